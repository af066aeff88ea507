package io.github.tingxin.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.tingxin.api.AudioInput;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.LabelScore;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ModelManifest.Calibration;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.core.model.CalibrationFit;
import io.github.tingxin.core.model.ScoreDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tingxin model recalibrate}: the written package carries the maximum-likelihood calibration of the
 * segments' log-odds against their files' labels, reports it as the SDK decodes it, and nothing else is
 * touched.
 */
class RecalibrateCliTest {
  static final int RATE = 16000;
  static final int FILES = 64;
  @TempDir static Path dir;
  static List<Path> wavs = new ArrayList<>();
  static boolean[] negative = new boolean[FILES];
  static Path csv;
  static ModelPackage source;
  static ModelManifest.Head head;

  /** Speech-like files whose labels follow the fixture model's own scores, with a fifth of them flipped. */
  @BeforeAll
  static void labelledFiles() throws Exception {
    source = ModelPackage.load(AnalyzeCliTest.MODEL);
    head = source.manifest().negativeHeadSpec().orElseThrow();
    SplittableRandom random = new SplittableRandom(41);
    Files.createDirectories(dir.resolve("clips"));
    Files.createDirectories(dir.resolve("stereo"));
    double[] meanLogOdds = new double[FILES];
    try (EmotionRecognizer recognizer = EmotionRecognizer.builder().model(source).build()) {
      for (int i = 0; i < FILES; i++) {
        short[] caller = TestWavs.speechLike(RATE, 1.2 + random.nextDouble(), 1000 + i, 0.05 + 0.4 * random.nextDouble());
        Path wav = TestWavs.write(dir.resolve("clips/clip, " + i + ".wav"), RATE, caller);
        wavs.add(wav);
        // The same caller with an operator on the second channel, speaking after the caller.
        short[] operator = new short[caller.length + RATE];
        short[] talk = TestWavs.speechLike(RATE, 0.9, 5000 + i, 0.3);
        System.arraycopy(talk, 0, operator, caller.length, Math.min(talk.length, RATE));
        short[] padded = java.util.Arrays.copyOf(caller, operator.length);
        TestWavs.write(dir.resolve("stereo/call " + i + ".wav"), RATE, padded, operator);
        TestWavs.write(dir.resolve("stereo/caller " + i + ".wav"), RATE, padded);
        List<Double> d = logOdds(recognizer, wav);
        meanLogOdds[i] = d.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      }
    }
    double[] sorted = meanLogOdds.clone();
    java.util.Arrays.sort(sorted);
    double median = sorted[FILES / 2];
    StringBuilder rows = new StringBuilder("file,negative\n");
    for (int i = 0; i < FILES; i++) {
      negative[i] = (meanLogOdds[i] > median) != (random.nextDouble() < 0.2);
      rows.append('"').append(dir.relativize(wavs.get(i))).append("\",").append(negative[i] ? "yes" : "0")
          .append('\n');
    }
    csv = dir.resolve("labels.csv");
    Files.writeString(csv, "\uFEFF" + rows.toString().replace("\n", "\r\n")); // as a spreadsheet saves it
  }

  static List<Double> logOdds(EmotionRecognizer recognizer, Path wav) {
    List<Double> out = new ArrayList<>();
    for (SegmentResult s : recognizer.analyze(AudioInput.file(wav)).segments()) {
      List<LabelScore> scores = s.scores().stream().filter(l -> l.head().equals(head.name())).toList();
      out.add(ScoreDecoder.logOdds(head, scores));
    }
    return out;
  }

  static String sha256(Path p) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }

  @Test
  void writesAPackageWithTheFittedCalibrationThatTheSdkApplies() throws Exception {
    String labelsBefore = sha256(csv);
    String wavBefore = sha256(wavs.get(3));
    Path out = dir.resolve("recalibrated");
    CliProcess.Result r = CliProcess.inProcess(null, "model", "recalibrate", "--model",
        AnalyzeCliTest.MODEL.toString(), "--labels", csv.toString(), "--out", out.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("Recalibrated tingxin-fixture-fbank-cnn-tiny 0.0.1", "64 labelled",
        "ECE", "files held out", "note: fewer than 200 files", "at most 25 % calm flagged: --negative-threshold ");

    // The fit the command wrote is the maximum-likelihood fit of every segment against its file's label.
    List<Double> d = new ArrayList<>();
    List<Boolean> y = new ArrayList<>();
    try (EmotionRecognizer recognizer = EmotionRecognizer.builder().model(source).build()) {
      for (int i = 0; i < FILES; i++) {
        for (double v : logOdds(recognizer, wavs.get(i))) {
          d.add(v);
          y.add(negative[i]);
        }
      }
    }
    boolean[] labels = new boolean[y.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = y.get(i);
    }
    Calibration expected = CalibrationFit.fit(d.stream().mapToDouble(Double::doubleValue).toArray(), labels);
    ModelPackage written = ModelPackage.load(out);
    ModelManifest.Head writtenHead = written.manifest().negativeHeadSpec().orElseThrow();
    assertThat(writtenHead.calibration()).isPresent();
    assertThat(writtenHead.calibration().get().temperature()).isCloseTo(expected.temperature(), within(1e-12));
    assertThat(writtenHead.calibration().get().offset()).isCloseTo(expected.offset(), within(1e-12));
    assertThat(expected.temperature()).isNotCloseTo(1.0, within(0.01)); // the test's labels move the fit
    assertThat(written.manifest().version()).startsWith("0.0.1+recalibrated.");
    assertThat(written.manifest().heads().get(1)).isEqualTo(source.manifest().heads().get(1));
    assertThat(written.modelBytes()).isEqualTo(source.modelBytes());
    assertThat(Files.readString(out.resolve("MODEL_CARD.md"))).isEqualTo(source.modelCard().orElseThrow());
    String report = Files.readString(out.resolve("RECALIBRATION.md"));
    assertThat(report).contains("64 labelled", "held out").doesNotContain("clip, ");
    try (var listing = Files.list(out)) {
      assertThat(listing.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("MODEL_CARD.md", "RECALIBRATION.md", "model.onnx", "tingxin-model.json");
    }

    // The SDK decodes the new package's probability as sigmoid(d / T + c) of the old log-odds.
    try (EmotionRecognizer before = EmotionRecognizer.builder().model(source).build();
        EmotionRecognizer after = EmotionRecognizer.builder().model(written).build()) {
      for (int i : new int[] {0, 9, 33}) {
        List<SegmentResult> old = before.analyze(AudioInput.file(wavs.get(i))).segments();
        List<SegmentResult> now = after.analyze(AudioInput.file(wavs.get(i))).segments();
        assertThat(now).hasSameSizeAs(old);
        for (int k = 0; k < old.size(); k++) {
          double oldD = ScoreDecoder.logOdds(head, old.get(k).scores().stream()
              .filter(l -> l.head().equals(head.name())).toList());
          assertThat(now.get(k).negativeProbability().getAsDouble())
              .isCloseTo(ScoreDecoder.sigmoid(oldD / expected.temperature() + expected.offset()), within(1e-9));
        }
      }
    }

    // The threshold printed for the flag budget decides every labelled segment as the printed shares say.
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("--negative-threshold ([0-9.]+) \\(on the files"
        + " fitted: ([0-9.]+) % calm flagged, recall ([0-9.]+) %\\)").matcher(r.stdout());
    assertThat(m.find()).as(r.stdout()).isTrue();
    double threshold = Double.parseDouble(m.group(1));
    int calm = 0;
    int flagged = 0;
    int negatives = 0;
    int caught = 0;
    try (EmotionRecognizer after = EmotionRecognizer.builder().model(written).build()) {
      for (int i = 0; i < FILES; i++) {
        for (SegmentResult s : after.analyze(AudioInput.file(wavs.get(i))).segments()) {
          boolean over = s.negativeProbability().getAsDouble() >= threshold;
          if (negative[i]) {
            negatives++;
            caught += over ? 1 : 0;
          } else {
            calm++;
            flagged += over ? 1 : 0;
          }
        }
      }
    }
    assertThat(flagged).isLessThanOrEqualTo((int) Math.floor(0.25 * calm)).isPositive();
    assertThat(100.0 * flagged / calm).isCloseTo(Double.parseDouble(m.group(2)), within(0.051));
    assertThat(100.0 * caught / negatives).isCloseTo(Double.parseDouble(m.group(3)), within(0.051));

    // Inspect shows it; inputs are untouched.
    CliProcess.Result inspect = CliProcess.inProcess(null, "model", "inspect", out.toString());
    assertThat(inspect.exitCode()).as(inspect.toString()).isZero();
    assertThat(inspect.stdout()).contains("recalibrated: p = sigmoid(log-odds / ");
    assertThat(sha256(csv)).isEqualTo(labelsBefore);
    assertThat(sha256(wavs.get(3))).isEqualTo(wavBefore);

    // Recalibrating the recalibrated package composes: the new fit on top is close to the identity.
    Path again = dir.resolve("again");
    CliProcess.Result r2 = CliProcess.inProcess(null, "model", "recalibrate", "--model", out.toString(), "--labels",
        csv.toString(), "--out", again.toString());
    assertThat(r2.exitCode()).as(r2.toString()).isZero();
    Calibration twice = ModelPackage.load(again).manifest().negativeHeadSpec().orElseThrow().calibration().get();
    assertThat(twice.temperature()).isCloseTo(expected.temperature(), within(1e-6));
    assertThat(twice.offset()).isCloseTo(expected.offset(), within(1e-6));
  }

  @Test
  void withCallerAndOperatorOnlyTheCallersSegmentsAreFitted() throws Exception {
    StringBuilder rows = new StringBuilder("file,negative\n");
    StringBuilder callerRows = new StringBuilder("file,negative\n");
    for (int i = 0; i < FILES; i++) {
      rows.append("\"stereo/call ").append(i).append(".wav\",").append(negative[i] ? 1 : 0).append('\n');
      callerRows.append("\"stereo/caller ").append(i).append(".wav\",").append(negative[i] ? 1 : 0).append('\n');
    }
    Path stereoLabels = Files.writeString(dir.resolve("stereo-labels.csv"), rows);
    Path callerLabels = Files.writeString(dir.resolve("caller-labels.csv"), callerRows);
    Path mono = dir.resolve("mono-fit");
    Path stereo = dir.resolve("stereo-fit");
    CliProcess.Result a = CliProcess.inProcess(null, "model", "recalibrate", "--model",
        AnalyzeCliTest.MODEL.toString(), "--labels", callerLabels.toString(), "--out", mono.toString());
    CliProcess.Result b = CliProcess.inProcess(null, "model", "recalibrate", "--model",
        AnalyzeCliTest.MODEL.toString(), "--channel", "0,1", "--labels", stereoLabels.toString(), "--out",
        stereo.toString());
    assertThat(a.exitCode()).as(a.toString()).isZero();
    assertThat(b.exitCode()).as(b.toString()).isZero();
    // The caller's channel holds the mono recordings: the operator's turns add nothing to the fit.
    assertThat(b.stdout()).contains("64 labelled");
    assertThat(ModelPackage.load(stereo).manifest().negativeHeadSpec().orElseThrow().calibration())
        .isEqualTo(ModelPackage.load(mono).manifest().negativeHeadSpec().orElseThrow().calibration());
    assertThat(b.stdout().lines().filter(l -> l.contains("segments")).findFirst())
        .isEqualTo(a.stdout().lines().filter(l -> l.contains("segments")).findFirst());
  }

  @Test
  void aWriteThatFailsRemovesExactlyWhatItCreated() throws Exception {
    // A package whose graph vanished before it could be copied: the write fails after making its folders.
    ModelPackage gone = ModelPackage.ofFile(source.manifest(), dir.resolve("vanished/model.onnx"), "test", "card");
    Path fresh = dir.resolve("fresh/deeper/pkg");
    assertThatThrownBy(() -> RecalibrateCommand.writePackage(fresh, gone, source.manifest(), "report"))
        .isInstanceOfSatisfying(io.github.tingxin.api.TingxinException.class,
            e -> assertThat(e.code()).isEqualTo(io.github.tingxin.api.ErrorCode.OUTPUT_FAILED))
        .hasMessageContaining("nothing was left behind");
    assertThat(dir.resolve("fresh")).doesNotExist(); // every folder it made is gone, the deepest first
    Path mine = Files.createDirectories(dir.resolve("an empty folder of the user's"));
    assertThatThrownBy(() -> RecalibrateCommand.writePackage(mine, gone, source.manifest(), "report"))
        .hasMessageContaining("nothing was left behind");
    assertThat(mine).isEmptyDirectory(); // not made by it: kept, and empty again
  }

  @Test
  void refusesAnOutputFolderThatHoldsAnythingAndLeavesItAlone() throws Exception {
    Path out = Files.createDirectories(dir.resolve("taken"));
    Path mine = Files.writeString(out.resolve("notes.txt"), "mine");
    CliProcess.Result r = CliProcess.inProcess(null, "model", "recalibrate", "--model",
        AnalyzeCliTest.MODEL.toString(), "--labels", csv.toString(), "--out", out.toString());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderr()).contains("not an empty folder").contains("[INVALID_OPTION]");
    assertThat(Files.readString(mine)).isEqualTo("mine");
    try (var listing = Files.list(out)) {
      assertThat(listing.count()).isEqualTo(1);
    }
  }

  @Test
  void badLabelsAreUsageErrorsNamingTheLineAndWriteNothing() throws Exception {
    String[][] cases = {
        {"few.csv", "file,negative\n" + rows(0, 10), "at least 20 of each"},
        {"value.csv", "file,negative\n" + rows(0, 3) + "\"" + dir.relativize(wavs.get(5)) + "\",maybe\n",
            "line 5: negative is 'maybe'"},
        {"header.csv", "path,label\nx.wav,1\n", "the header must name the columns file and negative"},
        {"missing.csv", "file,negative\nnowhere.wav,1\n", "line 2: "},
        {"one-class.csv", "file,negative\n" + rows(0, FILES).replace(",0\n", ",yes\n"), "0 not-negative files"},
        {"twice.csv", "file,negative\n" + rows(0, 6) + "\"./" + dir.relativize(wavs.get(2)) + "\",1\n",
            "is listed again (first on line 4)"}};
    CliProcess.Result budget = CliProcess.inProcess(null, "model", "recalibrate", "--model",
        AnalyzeCliTest.MODEL.toString(), "--labels", csv.toString(), "--out", dir.resolve("never").toString(),
        "--flag-budget", "1");
    assertThat(budget.exitCode()).as(budget.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(budget.stderr()).contains("--flag-budget: 1.0 is not above 0 and below 1");
    assertThat(dir.resolve("never")).doesNotExist();
    for (String[] c : cases) {
      Path labels = Files.writeString(dir.resolve(c[0]), c[1], StandardCharsets.UTF_8);
      Path out = dir.resolve("out-" + c[0]);
      CliProcess.Result r = CliProcess.inProcess(null, "model", "recalibrate", "--model",
          AnalyzeCliTest.MODEL.toString(), "--labels", labels.toString(), "--out", out.toString());
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.stderr()).as(c[0]).contains(c[2]).contains("[INVALID_OPTION]");
      assertThat(out).doesNotExist();
    }
  }

  static String rows(int from, int to) {
    StringBuilder s = new StringBuilder();
    for (int i = from; i < to; i++) {
      s.append('"').append(dir.relativize(wavs.get(i))).append("\",").append(negative[i] ? "yes" : "0").append('\n');
    }
    return s.toString();
  }
}
