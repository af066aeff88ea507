package io.github.tingxin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command-line defects of issue 17, each as a user met it: files written over, results lost with exit 0,
 * unbounded options, an out-of-memory crash, a locale that cannot name Chinese files, and messages without
 * their code or with Java names in them.
 */
class HostileCliTest {
  static final Path SAMPLE = AnalyzeCliTest.SAMPLE;
  static final Path STEREO = AnalyzeCliTest.STEREO;
  static final String MODEL = AnalyzeCliTest.MODEL.toString();
  /** Java API names that must not reach a command-line user. */
  static final Pattern JAVA_NAMES = Pattern.compile("builder|openStream|Options\\.|Truncation\\.|WavReader"
      + "|segmentation\\.|maxAudioSeconds|windowSeconds|hopSeconds|intraOpThreads|batchSize");

  @TempDir Path dir;

  // ---- item 2: never write over an input, or over a file that is not the kind being written

  @Test
  void aForgottenChartNameNeverTurnsARecordingIntoAPicture() throws Exception {
    Path a = Files.copy(SAMPLE, dir.resolve("A.wav"));
    Path b = Files.copy(STEREO, dir.resolve("B.wav"));
    byte[] before = Files.readAllBytes(a);
    // `--chart A.wav B.wav`: the PNG name forgotten, so A.wav is taken as the chart's name.
    CliProcess.Result r = CliProcess.inProcess(null, "analyze", "--model", MODEL, "--chart", a.toString(),
        b.toString());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderrLines()).hasSize(1);
    assertThat(r.stderrLines().get(0)).contains("--chart " + a, "is not a PNG image", "[INVALID_OPTION]");
    assertThat(Files.readAllBytes(a)).isEqualTo(before);

    CliProcess.Result same = CliProcess.inProcess(null, "analyze", "--model", MODEL, "--chart", a.toString(),
        a.toString());
    assertThat(same.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(same.stderr()).contains("it is one of the input recordings");
    assertThat(Files.readAllBytes(a)).isEqualTo(before);

    // A PNG from an earlier run is the kind being written: it is replaced.
    Path png = dir.resolve("call.png");
    assertThat(CliProcess.inProcess(null, "analyze", "-q", "--model", MODEL, "--chart", png.toString(),
        b.toString()).exitCode()).isZero();
    assertThat(CliProcess.inProcess(null, "analyze", "-q", "--model", MODEL, "--chart", png.toString(),
        b.toString()).exitCode()).isZero();
    assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G');
    assertThat(leftovers()).as("no temporary files left").isEmpty();
  }

  @Test
  void featuresNeverWriteOverTheRecordingOrAFileThatIsNotNpy() throws Exception {
    Path x = Files.copy(SAMPLE, dir.resolve("X.wav"));
    byte[] before = Files.readAllBytes(x);
    CliProcess.Result r = CliProcess.inProcess(null, "features", "--recipe", "kaldi-fbank", x.toString(), "--out",
        x.toString());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderrLines()).hasSize(1);
    assertThat(r.stderrLines().get(0)).contains("--out " + x, "one of the input recordings", "[INVALID_OPTION]");
    Path notes = Files.writeString(dir.resolve("notes.txt"), "my notes");
    CliProcess.Result r2 = CliProcess.inProcess(null, "features", "--recipe", "kaldi-fbank", x.toString(), "--out",
        notes.toString());
    assertThat(r2.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r2.stderr()).contains("is not a NumPy .npy file");
    assertThat(Files.readAllBytes(x)).isEqualTo(before);
    assertThat(Files.readString(notes)).isEqualTo("my notes");
  }

  @Test
  void aFailedWriteLeavesTheTargetAsItWasAndNoPartialFile() throws Exception {
    Path npy = dir.resolve("f.npy");
    Npy.writeFloat32(npy, new float[] {1, 2, 3, 4}, 2, 2);
    byte[] before = Files.readAllBytes(npy);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> OutputFiles.write("--out", npy, OutputFiles.Kind.NPY,
        List.of(), out -> {
          out.write(Npy.header(1000, 2));
          out.write(new byte[4096]);
          throw new IOException("No space left on device");
        })).hasMessageContaining("No space left");
    assertThat(Files.readAllBytes(npy)).isEqualTo(before);
    Path fresh = dir.resolve("new.png");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> OutputFiles.write("--chart", fresh,
        OutputFiles.Kind.PNG, List.of(), out -> {
          out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
          throw new IllegalStateException("the chart could not be drawn");
        })).isInstanceOf(IllegalStateException.class);
    assertThat(fresh).doesNotExist();
    assertThat(leftovers()).isEmpty();
  }

  // ---- item 3: results that could not be written are exit 5, never 0

  @Test
  void resultsWrittenToAFullDeviceExitFiveWithOneLine() throws Exception {
    // As users meet it: standard output is /dev/full.
    ProcessBuilder pb = new ProcessBuilder(CliProcess.command(List.of("-Xmx512m"), "analyze", "--json", "-q",
        "--model", MODEL, SAMPLE.toString())).redirectOutput(new File("/dev/full"));
    Process p = pb.start();
    p.getOutputStream().close();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err).isEqualTo(ExitCodes.OUTPUT);
    assertThat(err.lines().toList()).hasSize(1);
    assertThat(err).startsWith("tingxin: error: cannot write the results to standard output (No space left on"
        + " device)");

    // The same path for every command that prints results, in this JVM: a stream that fails as a full disk.
    byte[] wav = Files.readAllBytes(SAMPLE);
    String[][] commands = {
        {"analyze", "--model", MODEL, SAMPLE.toString()},
        {"analyze", "--csv", "--model", MODEL, SAMPLE.toString()},
        {"analyze", "--json", "--model", MODEL, SAMPLE.toString(), STEREO.toString()},
        {"stream", "--json", "--model", MODEL},
        {"stream", "--model", MODEL},
        {"model", "inspect", MODEL}};
    for (String[] args : commands) {
      FullDisk full = new FullDisk(200);
      CliProcess.Result r = CliProcess.inProcess(wav, full, args);
      assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r).isEqualTo(ExitCodes.OUTPUT);
      assertThat(r.stderrLines()).as(r.toString()).hasSize(1);
      assertThat(r.stderrLines().get(0)).contains("cannot write the results", "No space left on device");
    }
    // analyze stops at the first lost result instead of analysing on: two files try no more writes than one.
    FullDisk one = new FullDisk(0);
    CliProcess.inProcess(null, one, "analyze", "-q", "--json", "--model", MODEL, SAMPLE.toString());
    FullDisk two = new FullDisk(0);
    CliProcess.inProcess(null, two, "analyze", "-q", "--json", "--model", MODEL, SAMPLE.toString(),
        STEREO.toString());
    assertThat(two.attempts).isPositive().isEqualTo(one.attempts);

    // features writes its .npy itself: a full device is exit 5 too.
    CliProcess.Result f = CliProcess.inProcess(null, "features", "--recipe", "kaldi-fbank", SAMPLE.toString(),
        "--out", "/dev/full");
    assertThat(f.exitCode()).as(f.toString()).isEqualTo(ExitCodes.OUTPUT);
    assertThat(f.stderrLines()).hasSize(1);
    assertThat(f.stderrLines().get(0)).contains("cannot write /dev/full", "No space left on device");
  }

  /** Takes {@code capacity} bytes, then fails as a full disk does. */
  static final class FullDisk extends OutputStream {
    private int left;
    int attempts;

    FullDisk(int capacity) {
      this.left = capacity;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      attempts++;
      if (len > left) {
        left = 0;
        throw new IOException("No space left on device");
      }
      left -= len;
    }
  }

  // ---- item 8: every option has a range, checked where it is read

  @Test
  void unboundedOptionsAreRefusedAtOnceNamingTheOption() {
    String[][] cases = {
        {"--hop must be 0 (the default) or at least 0.01 s, was 1.0E-6", "--window", "2", "--hop", "1e-6"},
        {"--threads must be in 0..256", "--threads", "100000"},
        {"--threads takes a whole number, got '1e9'", "--threads", "1e9"},
        {"--batch-size must be in 1..1024, was 0", "--batch-size", "0"},
        {"--negative-threshold must be above 0 and below 1", "--negative-threshold", "1.5"},
        {"--window must be 0 (the default) or at least 0.01 s", "--window", "1e-9"},
        {"--max-audio-seconds must be finite and above 0", "--max-audio-seconds", "-1"},
        {"--channel: channel must be 'downmix', a channel number", "--channel", "99999999999"}};
    for (String[] c : cases) {
      List<String> args = new ArrayList<>(List.of("analyze", "--model", MODEL));
      args.addAll(List.of(c).subList(1, c.length));
      args.add(SAMPLE.toString());
      CliProcess.Result r = CliProcess.inProcess(null, args.toArray(String[]::new));
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.stderrLines()).as(r.toString()).hasSize(1);
      assertThat(r.stderrLines().get(0)).startsWith("tingxin: error: " + c[0]).endsWith("[INVALID_OPTION]");
    }
    CliProcess.Result stream = CliProcess.inProcess(new byte[0], "stream", "--window", "2", "--hop", "1e-6");
    assertThat(stream.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(stream.stderr()).contains("--hop must be");
    CliProcess.Result batch = CliProcess.inProcess(null, "batch", dir.toString(), "--out", dir.resolve("o").toString(),
        "--threads", "100000");
    assertThat(batch.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(batch.stderr()).contains("--threads must be in 0..256");
  }

  // ---- item 9: out of memory reaches the handler: exit 4, one line

  @Test
  void outOfMemoryIsExitFourWithOneLine() throws Exception {
    // Five minutes of audio: its samples alone (19 MB as floats, twice over) exceed a 24 MB heap.
    Path wav = TestWavs.write(dir.resolve("long.wav"), 16000, TestWavs.speechLike(16000, 300, 3, 0.3));
    ProcessBuilder pb = new ProcessBuilder(CliProcess.command(List.of("-Xmx24m"), "features", "--recipe",
        "waveform", wav.toString(), "--out", dir.resolve("w.npy").toString()));
    Process p = pb.start();
    p.getOutputStream().close();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err).isEqualTo(ExitCodes.RUNTIME);
    assertThat(err.lines().toList()).as(err).hasSize(1);
    assertThat(err).startsWith("tingxin: error: out of memory; give Java more").doesNotContain("\tat ");
    assertThat(dir.resolve("w.npy")).doesNotExist();
  }

  // ---- item 16: under LANG=C a Chinese file name opens

  @Test
  void aChineseFileNameOpensUnderTheCLocale() throws Exception {
    Files.copy(SAMPLE, dir.resolve(CliProcess.CHINESE_NAME));
    CliProcess.Result r = CliProcess.underCLocale(dir, java.util.Map.of("LC_ALL", "C"), CliProcess.command(
        List.of("-Xmx512m"), "analyze", "--csv", "-q", "--model", AnalyzeCliTest.MODEL.toAbsolutePath().toString()));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout().lines().skip(1).findFirst().orElse("")).startsWith(CliProcess.CHINESE_NAME + ",0,");
  }

  // ---- item 18: messages a user can act on

  @Test
  void parseErrorsCarryTheirCode() {
    for (String[] args : new String[][] {{"analyze", "--no-such-option", "a.wav"}, {"analyze"},
        {"stream", "--rate"}, {"features", "--recipe", "kaldi-fbank", "a.wav"}, {"no-such-command"}}) {
      CliProcess.Result r = CliProcess.inProcess(null, args);
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.stderrLines()).as(r.toString()).hasSize(1);
      assertThat(r.stderrLines().get(0)).startsWith("tingxin: error: ").endsWith("[INVALID_OPTION]");
    }
  }

  @Test
  void hintsSpeakOfCommandLineOptionsNotJavaOnes() throws Exception {
    byte[] whole = TestWavs.pcm16(16000, TestWavs.speechLike(16000, 2.0, 9, 0.5));
    Path cut = Files.write(dir.resolve("cut.wav"), java.util.Arrays.copyOf(whole, whole.length - 1001));
    String[][] cases = {
        {"--max-audio-seconds", "analyze", "--model", MODEL, "--max-audio-seconds", "5", SAMPLE.toString()},
        {"--window", "analyze", "--model", MODEL, "--window", "20", SAMPLE.toString()},
        {"tingxin stream", "analyze", "--model", MODEL, cut.toString()}};
    for (String[] c : cases) {
      CliProcess.Result r = CliProcess.inProcess(null, java.util.Arrays.copyOfRange(c, 1, c.length));
      assertThat(r.exitCode()).as(r.toString()).isNotZero();
      assertThat(r.stderrLines()).as(r.toString()).hasSize(1);
      assertThat(r.stderrLines().get(0)).as(r.toString()).contains(c[0]).doesNotContainPattern(JAVA_NAMES);
    }
  }

  @Test
  void aControlCharacterInALabelOrFileNameStartsNoRow() {
    ModelManifestWithEvilLabels evil = new ModelManifestWithEvilLabels();
    java.io.StringWriter table = new java.io.StringWriter();
    java.io.PrintWriter pw = new java.io.PrintWriter(table);
    io.github.tingxin.api.CallAnalysis call = evil.call();
    TableFormat.print(pw, "odd\nname.wav", evil.manifest, call, false);
    pw.flush();
    java.io.StringWriter plain = new java.io.StringWriter();
    java.io.PrintWriter pp = new java.io.PrintWriter(plain);
    TableFormat.print(pp, "name.wav", Calls.manifest(), Calls.call(false), false);
    pp.flush();
    assertThat(table.toString().lines().count()).as(table.toString())
        .isEqualTo(plain.toString().lines().count());
    assertThat(table.toString()).contains("odd\\nname.wav", "anger\\n   0.00 fake row", "\\u001b[2J")
        .doesNotContain("\u001b");

    java.io.StringWriter inspect = new java.io.StringWriter();
    java.io.PrintWriter ip = new java.io.PrintWriter(inspect);
    ModelCommand.Inspect.printManifest(ip, io.github.tingxin.api.ModelPackage.ofBytes(evil.manifest, new byte[] {1},
        "evil", null));
    ip.flush();
    java.io.StringWriter inspectPlain = new java.io.StringWriter();
    java.io.PrintWriter ipp = new java.io.PrintWriter(inspectPlain);
    ModelCommand.Inspect.printManifest(ipp, io.github.tingxin.api.ModelPackage.ofBytes(Calls.manifest(),
        new byte[] {1}, "plain", null));
    ipp.flush();
    assertThat(inspect.toString().lines().count()).isEqualTo(inspectPlain.toString().lines().count());
    assertThat(inspect.toString()).doesNotContain("\u001b");

    java.io.StringWriter csv = new java.io.StringWriter();
    java.io.PrintWriter cp = new java.io.PrintWriter(csv);
    CsvFormat.rows(cp, "odd\nname.wav", evil.manifest, call.segments(), false);
    cp.flush();
    // RFC 4180: the line breaks stay inside their quoted cells.
    assertThat(csv.toString()).contains("\"odd\nname.wav\"");
  }

  /** The test manifest with a line break and a terminal escape in its labels' names. */
  static final class ModelManifestWithEvilLabels {
    final io.github.tingxin.api.ModelManifest manifest;

    ModelManifestWithEvilLabels() {
      io.github.tingxin.api.ModelManifest m = Calls.manifest();
      List<io.github.tingxin.api.ModelManifest.Head> heads = new ArrayList<>();
      for (io.github.tingxin.api.ModelManifest.Head h : m.heads()) {
        List<io.github.tingxin.api.Label> labels = h.labels().stream().map(l -> new io.github.tingxin.api.Label(
            l.id(), l.english() + (l.id().equals("anger") ? "\n   0.00 fake row" : ""),
            l.chinese() + (l.id().equals("sadness") ? "\u001b[2J" : ""), l.negative())).toList();
        heads.add(new io.github.tingxin.api.ModelManifest.Head(h.name(), h.task(), h.output(), h.activation(), labels,
            h.thresholds(), h.ranges()));
      }
      manifest = new io.github.tingxin.api.ModelManifest(m.formatVersion(), m.name(), m.version(), m.license(),
          "a line\nbreak", m.sampleRate(), m.features(), m.input(), heads, m.negativeHead(), m.segments(),
          m.provenance());
    }

    io.github.tingxin.api.CallAnalysis call() {
      io.github.tingxin.api.CallAnalysis c = Calls.call(false);
      List<io.github.tingxin.api.SegmentResult> segs = c.segments().stream().map(s -> new io.github.tingxin.api
          .SegmentResult(s.index(), s.start(), s.end(), s.speaker(), s.channel(), s.scores().stream().map(ls -> {
            io.github.tingxin.api.Label l = manifest.heads().stream().filter(h -> h.name().equals(ls.head()))
                .flatMap(h -> h.labels().stream()).filter(x -> x.id().equals(ls.label().id())).findFirst().orElseThrow();
            return new io.github.tingxin.api.LabelScore(ls.head(), l, ls.score(), ls.threshold(), ls.selected());
          }).toList(), s.negativeProbability())).toList();
      return new io.github.tingxin.api.CallAnalysis(c.model(), c.durationSeconds(), segs, c.caller(), c.operator());
    }
  }

  private List<Path> leftovers() throws IOException {
    try (var files = Files.walk(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
    }
  }
}
