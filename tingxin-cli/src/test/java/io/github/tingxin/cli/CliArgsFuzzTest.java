package io.github.tingxin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Fuzzes the command line's argument handling in this JVM ({@link Main#run}): a command, then options and
 * values drawn from every command's vocabulary, from edge values (negative, huge, NaN, out-of-range
 * channels) and from fuzzed text, with fuzzed bytes on standard input. The oracle is docs/cli.md's
 * contract: nothing escapes {@code run}, the exit code is a documented one and never 70 (an unexpected
 * exception, a bug), a failure prints a {@code tingxin: error:} line, and no stack trace appears unless
 * {@code --verbose} asked for it.
 *
 * <p>Safety and bounds: every file the commands may write ({@code --out}, {@code --chart}) is a path in a
 * temporary folder made here, fuzzed text never starts with {@code -} or {@code /} (so it can name no
 * option and no absolute path), the recordings are one or two seconds long, standard input is at most
 * 64 KiB, {@code analyze} and {@code stream} run the small fixture model, and {@code batch} (which needs
 * Spark, absent from this test's class path) only says so or refuses its options.
 */
class CliArgsFuzzTest {
  private static final Set<Integer> DOCUMENTED = Set.of(ExitCodes.OK, ExitCodes.USAGE, ExitCodes.BAD_AUDIO,
      ExitCodes.BAD_MODEL, ExitCodes.RUNTIME, ExitCodes.OUTPUT, ExitCodes.INTERRUPTED);
  private static final String[] COMMANDS = {"analyze", "stream", "features", "model", "batch", "help", "--version",
      "--help", "nonsense"};
  private static final String[] OPTIONS = {"--json", "--csv", "--chart", "--channel", "--caller-and-operator",
      "--model", "-m", "--device", "--threads", "--batch-size", "--negative-threshold", "--vad", "--window", "--hop",
      "--max-audio-seconds", "--raw", "--rate", "--encoding", "--channels", "--alert", "--recipe", "--option",
      "--out", "-q", "--quiet", "-v", "-h", "--help", "--incremental", "--overwrite", "--threads-per-task",
      "--pattern", "--partitions", "--conf", "inspect", "recalibrate", "--labels", "--"};
  private static final String[] VALUES = {"0", "1", "2", "-1", "3", "0.5", "1e-6", "1e309", "NaN", "Infinity", "100000",
      "99999999999999999999", "0,1", "1,1", "1,0,2", "downmix", "mix", "energy", "silero", "none", "cpu", "cuda:7",
      "cuda?", "gpu", "s16le", "mulaw", "alaw", "f64le", "8000", "384000", "0.8,20,120", "0.8,20,10", "kaldi-fbank",
      "kaldi-mfcc", "whisper-logmel", "waveform", "num_mel_bins=23", "num_mel_bins=0", "dither=0",
      "frame_length=1e9", "cmvn=utterance", ""};

  private static Path dir;
  private static List<String> files;

  static synchronized void setUp() {
    if (dir != null) {
      return;
    }
    try {
      dir = Files.createTempDirectory("tingxin-cli-fuzz");
      dir.toFile().deleteOnExit();
      Path mono = TestWavs.write(dir.resolve("mono.wav"), 16000, TestWavs.speechLike(16000, 1.0, 5, 0.5));
      Path stereo = TestWavs.write(dir.resolve("stereo.wav"), 8000, TestWavs.speechLike(8000, 2.0, 6, 0.5),
          TestWavs.speechLike(8000, 2.0, 7, 0.4));
      Path text = Files.writeString(dir.resolve("text.wav"), "not audio");
      Path labels = Files.writeString(dir.resolve("labels.csv"), "file,negative\nmono.wav,1\nstereo.wav,0\n"
          + "text.wav,yes\n");
      files = List.of(mono.toString(), stereo.toString(), text.toString(), dir.resolve("missing.wav").toString(),
          AnalyzeCliTest.MODEL.toString(), dir.toString(), labels.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "60s")
  void commandLine(FuzzedDataProvider data) throws IOException {
    setUp();
    List<String> args = new ArrayList<>();
    String command = data.pickValue(COMMANDS);
    args.add(command);
    if (command.equals("analyze") || command.equals("stream")) {
      // The fixture model loads in milliseconds; the bundled one would make most inputs slow.
      args.addAll(List.of("--model", AnalyzeCliTest.MODEL.toString()));
    }
    int tokens = data.consumeInt(0, 10);
    for (int i = 0; i < tokens; i++) {
      switch (data.consumeInt(0, 4)) {
        case 0, 1 -> {
          String option = data.pickValue(OPTIONS);
          args.add(option);
          if (option.equals("--out") || option.equals("--chart")) {
            args.add(output(data));
          }
        }
        case 2 -> args.add(data.pickValue(VALUES));
        case 3 -> args.add(data.pickValue(files));
        default -> args.add(text(data));
      }
    }
    if (command.equals("batch") && !args.contains("--help") && !args.contains("-h")) {
      // Spark must not start here: only command lines that are refused before it does.
      args.add("--incremental");
      args.add("--overwrite");
    }
    args.removeIf(String::isEmpty);
    byte[] stdin = data.consumeBytes(64 * 1024);
    if (stdin.length > 0 && data.consumeBoolean()) {
      stdin = Files.readAllBytes(Path.of(files.get(0))); // a real WAV now and then, so stream gets further
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CliProcess.Result r = CliProcess.inProcess(stdin, out, args.toArray(String[]::new));
    String what = String.join(" ", args) + "\n" + r;
    assertThat(r.exitCode()).as(what).isIn(DOCUMENTED);
    if (r.exitCode() != ExitCodes.OK) {
      assertThat(r.stderr()).as(what).contains("tingxin: error: ");
    }
    if (!args.contains("-v") && !args.contains("--verbose")) {
      assertThat(r.stderr()).as(what).doesNotContain("\tat ");
    }
  }

  /** A path in the temporary folder, the only place a fuzzed command line may write. */
  private static String output(FuzzedDataProvider data) {
    String name = data.pickValue(new String[] {"out.npy", "out.png", "charts", "mono.wav", "text.wav", "sub/x.npy",
        ""});
    return dir.resolve(name).toString();
  }

  /** Fuzzed text that can name neither an option nor an absolute path. */
  private static String text(FuzzedDataProvider data) {
    String s = data.consumeString(40);
    if (s.startsWith("-") || s.startsWith("/") || s.contains("..")) {
      s = "x" + s.replace("..", "_").replace('/', '_');
    }
    return s;
  }
}
