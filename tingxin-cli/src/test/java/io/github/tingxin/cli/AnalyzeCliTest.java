package io.github.tingxin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import io.github.tingxin.api.ModelPackage;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tingxin analyze} run as a separate process on the bundled sample call with the fixture model: the
 * table, JSON parsed back, CSV, the chart, two-channel analysis, and the errors of bad input.
 */
class AnalyzeCliTest {
  static final Path SAMPLE = Path.of("../examples/samples/sample-call.wav");
  static final Path STEREO = Path.of("../examples/samples/sample-call-stereo.wav");
  static final Path MODEL = Path.of("../fixtures/models/fbank-cnn-tiny");
  static final String[] MODEL_ARGS = {"--model", MODEL.toString()};

  static JsonNode sampleJson;

  @BeforeAll
  static void analyseOnceAsJson() throws Exception {
    assertThat(SAMPLE).as("the committed sample call").exists();
    assertThat(MODEL.resolve("model.onnx")).as("the fixture model").exists();
    CliProcess.Result r = CliProcess.run(args("analyze", "--json", "-q", SAMPLE.toString()));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stderr()).as("nothing on stderr with -q").isEmpty();
    sampleJson = JsonFormat.MAPPER.readTree(r.stdout());
  }

  static String[] args(String... a) {
    List<String> all = new ArrayList<>(List.of(a));
    all.addAll(1, List.of(MODEL_ARGS));
    return all.toArray(String[]::new);
  }

  @Test
  void jsonHoldsAPlausibleTimelineAndSummary() {
    JsonNode j = sampleJson;
    assertThat(j.get("file").asText()).isEqualTo(SAMPLE.toString());
    assertThat(j.at("/model/name").asText()).isEqualTo("tingxin-fixture-fbank-cnn-tiny");
    assertThat(j.get("durationSeconds").asDouble()).isCloseTo(49.17, org.assertj.core.data.Offset.offset(0.01));
    JsonNode segs = j.get("segments");
    // 19 clips separated by pauses: the energy VAD must find several turns, none in the leading silence.
    assertThat(segs.size()).isBetween(5, 60);
    double prevStart = -1;
    double speech = 0;
    for (JsonNode s : segs) {
      double start = s.get("start").asDouble();
      double end = s.get("end").asDouble();
      assertThat(start).isGreaterThanOrEqualTo(prevStart);
      assertThat(end).isGreaterThan(start).isLessThanOrEqualTo(49.2);
      assertThat(end - start).isLessThanOrEqualTo(10.0 + 1e-9); // the model's maxSeconds
      assertThat(s.get("speaker").asText()).isEqualTo("caller");
      assertThat(s.get("channel").asInt()).isEqualTo(-1);
      double p = s.get("negativeProbability").asDouble();
      assertThat(p).isBetween(0.0, 1.0);
      assertThat(s.at("/scores/negative/negative").asDouble()).isEqualTo(p);
      assertThat(s.at("/scores/emotion").size()).isEqualTo(7);
      assertThat(s.get("topLabel").asText()).isIn("anger", "boredom", "disgust", "fear", "happiness", "sadness",
          "neutral");
      prevStart = start;
      speech += end - start;
    }
    assertThat(segs.get(0).get("start").asDouble()).as("no speech before the first clip at 0.6 s")
        .isGreaterThan(0.4);
    JsonNode caller = j.at("/summary/caller");
    assertThat(caller.get("segments").asInt()).isEqualTo(segs.size());
    assertThat(caller.get("speechSeconds").asDouble()).isCloseTo(speech, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(caller.get("negativeShare").asDouble()).isBetween(0.0, 1.0);
    assertThat(j.at("/summary/operator").isNull()).isTrue();
  }

  @Test
  void prosodyAddsEachSegmentsCuesMeasuredOnItsSpanAlikeOfflineAndLive() throws Exception {
    CliProcess.Result r = CliProcess.inProcess(null, args("analyze", "--prosody", "--json", SAMPLE.toString()));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    JsonNode segs = JsonFormat.MAPPER.readTree(r.stdout()).get("segments");
    assertThat(segs).hasSameSizeAs(sampleJson.get("segments"));
    float[] audio = io.github.tingxin.core.audio.WavReader.read(SAMPLE).channel(0).toArray();
    int voiced = 0;
    for (int i = 0; i < segs.size(); i++) {
      JsonNode s = segs.get(i);
      assertThat(s.get("scores")).as("the scores do not change").isEqualTo(sampleJson.at("/segments/" + i + "/scores"));
      int from = (int) Math.round(s.get("start").asDouble() * 16000);
      int to = (int) Math.round(s.get("end").asDouble() * 16000);
      java.util.Optional<io.github.tingxin.api.ProsodicCues> want =
          io.github.tingxin.core.prosody.ProsodicFeatures.cues(audio, from, to - from, 16000);
      if (want.isEmpty()) {
        assertThat(s.get("prosody").isNull()).as("segment " + i).isTrue();
        continue;
      }
      voiced++;
      assertThat(s.at("/prosody/pitchHz").asDouble()).as("segment " + i).isEqualTo(want.get().pitchHz());
      assertThat(s.at("/prosody/pauseCount").asInt()).isEqualTo(want.get().pauseCount());
      assertThat(s.at("/prosody/shimmer").asDouble()).isEqualTo(want.get().shimmer());
    }
    assertThat(voiced).as("segments of speech with cues").isGreaterThan(segs.size() / 2);
    assertThat(sampleJson.at("/segments/0").has("prosody")).as("without --prosody").isFalse();

    CliProcess.Result live = CliProcess.inProcess(Files.readAllBytes(SAMPLE), args("stream", "--prosody", "--json"));
    assertThat(live.exitCode()).as(live.toString()).isZero();
    List<JsonNode> events = new ArrayList<>();
    try (MappingIterator<JsonNode> it = JsonFormat.MAPPER.readerFor(JsonNode.class).readValues(live.stdout())) {
      it.forEachRemaining(e -> {
        if (e.get("type").asText().equals("segment")) {
          events.add(e);
        }
      });
    }
    assertThat(events).hasSameSizeAs(segs);
    for (int i = 0; i < segs.size(); i++) {
      assertThat(events.get(i).get("prosody")).as("segment " + i + " streamed").isEqualTo(segs.get(i).get("prosody"));
    }

    CliProcess.Result table = CliProcess.inProcess(null, args("analyze", "--prosody", SAMPLE.toString()));
    assertThat(table.stdout().lines().filter(l -> l.strip().startsWith("voice: ")).count())
        .as("a voice line under each segment").isEqualTo(segs.size());
  }

  @Test
  void tableShowsTheSameSegmentsAndTheSummary() throws Exception {
    CliProcess.Result r = CliProcess.run(args("analyze", SAMPLE.toString()));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    List<String> lines = r.stdout().lines().toList();
    assertThat(lines.get(0)).startsWith(SAMPLE + ": 49.17 s, model tingxin-fixture-fbank-cnn-tiny 0.0.1, "
        + sampleJson.get("segments").size() + " segments");
    assertThat(lines.get(1)).isEqualTo(TableFormat.SEGMENT_HEADER);
    JsonNode first = sampleJson.at("/segments/0");
    assertThat(lines.get(2)).startsWith(String.format(java.util.Locale.ROOT, "%8.2f %8.2f  caller    mix %8.3f",
        first.get("start").asDouble(), first.get("end").asDouble(), first.get("negativeProbability").asDouble()));
    assertThat(r.stdout()).contains("Summary: caller", "negative", "longest negative", "trend", "peaks");
    // A passed --model gives no note; nothing else reaches stderr.
    assertThat(r.stderr()).isEmpty();
  }

  @Test
  void csvHasOneRowPerSegmentWithTheJsonValues() throws Exception {
    CliProcess.Result r = CliProcess.inProcess(null, args("analyze", "--csv", SAMPLE.toString()));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    List<String> lines = r.stdout().lines().toList();
    assertThat(lines.get(0)).startsWith("file,index,start,end,short,speaker,channel,negative_probability,top_label,"
        + "selected,negative.not_negative,negative.negative,emotion.anger");
    assertThat(lines).hasSize(1 + sampleJson.get("segments").size());
    for (int i = 1; i < lines.size(); i++) {
      String[] cells = lines.get(i).split(",");
      JsonNode s = sampleJson.get("segments").get(i - 1);
      assertThat(cells[0]).isEqualTo(SAMPLE.toString());
      assertThat(Double.parseDouble(cells[2])).isCloseTo(s.get("start").asDouble(),
          org.assertj.core.data.Offset.offset(5e-7));
      assertThat(cells[4]).isEqualTo(s.get("short").asText());
      assertThat(Double.parseDouble(cells[7])).isCloseTo(s.get("negativeProbability").asDouble(),
          org.assertj.core.data.Offset.offset(5e-7));
      assertThat(cells[8]).isEqualTo(s.get("topLabel").asText());
    }
  }

  @Test
  void aRecordingShorterThanTheModelsMinimumIsOneShortScoredSegment(@TempDir Path dir) throws Exception {
    // 0.2 s of speech-like sound, under fbank-cnn-tiny's 0.25 s minimum: padded with silence and marked
    Path clip = TestWavs.write(dir.resolve("short.wav"), 16000, TestWavs.speechLike(16000, 0.2, 15, 0.5));
    CliProcess.Result r = CliProcess.inProcess(null, args("analyze", "--vad", "none", "--json", clip.toString()));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    JsonNode j = JsonFormat.MAPPER.readTree(r.stdout());
    assertThat(j.get("segments")).hasSize(1);
    assertThat(j.at("/segments/0/start").asDouble()).isZero();
    assertThat(j.at("/segments/0/end").asDouble()).isEqualTo(0.2);
    assertThat(j.at("/segments/0/short").asBoolean()).isTrue();
    assertThat(j.at("/segments/0/negativeProbability").isNumber()).isTrue();
    assertThat(j.at("/summary/caller/shortSegments").asInt()).isEqualTo(1);
    assertThat(j.at("/summary/caller/negativeShare").isNumber()).isTrue();
    CliProcess.Result table = CliProcess.inProcess(null, args("analyze", "--vad", "none", clip.toString()));
    assertThat(table.stdout()).contains("    0.00     0.20* caller")
        .contains("* shorter than the model's minimum of 0.25 s: scored padded with silence to it")
        .doesNotContain("no speech found");
  }

  @Test
  void silenceGivesNoSpeechAndNoFiguresRatherThanZeros(@TempDir Path dir) throws Exception {
    Path quiet = TestWavs.write(dir.resolve("quiet.wav"), 16000, new short[16000 * 3]);
    CliProcess.Result r = CliProcess.inProcess(null, args("analyze", "--json", quiet.toString()));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    JsonNode caller = JsonFormat.MAPPER.readTree(r.stdout()).at("/summary/caller");
    assertThat(caller.get("speechSeconds").asDouble()).isZero();
    assertThat(caller.get("negativeShare").isNull()).isTrue();
    assertThat(caller.get("trend").isNull()).isTrue();
    assertThat(caller.at("/labels/0/mean").isNull()).isTrue();
    CliProcess.Result table = CliProcess.inProcess(null, args("analyze", quiet.toString()));
    assertThat(table.stdout()).contains("no speech found", "negative           -", "trend              -")
        .doesNotContain("0.000");
  }

  @Test
  void windowsShorterThanTheMinimumAreScoredByTheRuleWithANote(@TempDir Path dir) throws Exception {
    Path clip = TestWavs.write(dir.resolve("speech.wav"), 16000, TestWavs.speechLike(16000, 1.0, 16, 0.5));
    CliProcess.Result r = CliProcess.inProcess(null, args("analyze", "--vad", "none", "--window", "0.2",
        "--json", clip.toString()));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stderr()).contains("--window 0.2 s is shorter than the model's minimum of 0.25 s");
    JsonNode segs = JsonFormat.MAPPER.readTree(r.stdout()).get("segments");
    assertThat(segs).hasSize(5);
    for (JsonNode s : segs) {
      assertThat(s.get("short").asBoolean()).isTrue();
      assertThat(s.get("negativeProbability").isNumber()).isTrue();
    }
  }

  @Test
  void chartIsAValidPngOfTheCall(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("call.png");
    CliProcess.Result r = CliProcess.run(args("analyze", "-q", "--chart", png.toString(), SAMPLE.toString()));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    byte[] bytes = Files.readAllBytes(png);
    assertThat(bytes).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G', (byte) 0x0D, (byte) 0x0A);
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isEqualTo(TimelineChart.WIDTH);
    assertThat(img.getHeight()).isEqualTo(TimelineChart.HEIGHT);
    Files.copy(png, Path.of("target", "chart-sample-call.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void callerAndOperatorOnTheStereoCall() throws Exception {
    CliProcess.Result r = CliProcess.run(args("analyze", "--json", "--caller-and-operator", "0,1", STEREO.toString()));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    JsonNode j = JsonFormat.MAPPER.readTree(r.stdout());
    assertThat(j.at("/summary/operator/speaker").asText()).isEqualTo("operator");
    long callers = 0;
    long operators = 0;
    for (JsonNode s : j.get("segments")) {
      if (s.get("speaker").asText().equals("caller")) {
        callers++;
        assertThat(s.get("channel").asInt()).isEqualTo(0);
      } else {
        operators++;
        assertThat(s.get("channel").asInt()).isEqualTo(1);
      }
    }
    assertThat(callers).isPositive();
    assertThat(operators).isPositive();
    // The operator speaks 6 clips, about 11 s: far less than the caller's 13 clips.
    assertThat(j.at("/summary/operator/speechSeconds").asDouble())
        .isLessThan(j.at("/summary/caller/speechSeconds").asDouble());
  }

  @Test
  void severalFilesGiveOneJsonDocumentEachAndABadOneIsReportedNotFatal(@TempDir Path dir) throws Exception {
    Path bad = Files.writeString(dir.resolve("notes.wav"), "these are notes, not audio");
    CliProcess.Result r = CliProcess.run(args("analyze", "--json", "-q", SAMPLE.toString(), bad.toString(),
        STEREO.toString()));
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.BAD_AUDIO);
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = JsonFormat.MAPPER.readerFor(JsonNode.class).readValues(r.stdout())) {
      it.forEachRemaining(docs::add);
    }
    assertThat(docs).extracting(d -> d.get("file").asText()).containsExactly(SAMPLE.toString(), STEREO.toString());
    assertThat(r.stderrLines()).hasSize(1);
    assertThat(r.stderrLines().get(0)).startsWith("tingxin: error: " + bad + ": ").endsWith("[NOT_RIFF_WAVE]");
  }

  @Test
  void badAudioIsExitTwoWithOneLine(@TempDir Path dir) throws Exception {
    Path text = Files.writeString(dir.resolve("text.wav"), "RIFX and then nonsense");
    Path truncated = dir.resolve("cut.wav");
    byte[] whole = TestWavs.pcm16(16000, TestWavs.speechLike(16000, 1.0, 9, 0.5));
    Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length - 1000));
    Path empty = TestWavs.write(dir.resolve("empty.wav"), 16000, new short[0]);
    record Case(String[] args, String code) {}
    List<Case> cases = List.of(
        new Case(args("analyze", dir.resolve("missing.wav").toString()), "[IO_ERROR]"),
        new Case(args("analyze", text.toString()), "[NOT_RIFF_WAVE]"),
        new Case(args("analyze", truncated.toString()), "[DATA_TRUNCATED]"),
        new Case(args("analyze", empty.toString()), "[EMPTY_AUDIO]"),
        new Case(args("analyze", "--channel", "3", STEREO.toString()), "[INVALID_CHANNEL]"));
    boolean first = true;
    for (Case c : cases) {
      // The first as a process, the rest in this JVM: same code, without four more JVM starts.
      CliProcess.Result r = first ? CliProcess.run(c.args()) : CliProcess.inProcess(null, c.args());
      first = false;
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.BAD_AUDIO);
      assertThat(r.stdout()).isEmpty();
      assertThat(r.stderrLines()).as(r.toString()).hasSize(1);
      assertThat(r.stderrLines().get(0)).startsWith("tingxin: error: ").endsWith(c.code());
      assertThat(r.stderr()).doesNotContain("Exception", "\tat ");
    }
  }

  @Test
  void badModelIsExitThreeAndAMissingDeviceExitFour(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("model");
    Files.createDirectories(model);
    Files.writeString(model.resolve("tingxin-model.json"), "{\"formatVersion\": 1, \"name\": \"x\"}");
    Files.write(model.resolve("model.onnx"), new byte[] {1, 2, 3});
    CliProcess.Result r = CliProcess.run("analyze", "--model", model.toString(), SAMPLE.toString());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.BAD_MODEL);
    assertThat(r.stderrLines()).hasSize(1);
    assertThat(r.stderrLines().get(0)).endsWith("[MANIFEST_INVALID]");

    CliProcess.Result cuda = CliProcess.inProcess(null, args("analyze", "--device", "cuda:7", SAMPLE.toString()));
    assertThat(cuda.exitCode()).as(cuda.toString()).isEqualTo(ExitCodes.RUNTIME);
    assertThat(cuda.stderrLines()).hasSize(1);
    assertThat(cuda.stderrLines().get(0)).endsWith("[DEVICE_UNAVAILABLE]");

    CliProcess.Result device = CliProcess.inProcess(null, args("analyze", "--device", "gpu", SAMPLE.toString()));
    assertThat(device.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(device.stderrLines().get(0)).endsWith("[INVALID_OPTION]");
  }

  @Test
  void withoutModelTheBundledDefaultOrTheFixtureIsUsedAndSaidSo() throws Exception {
    CliProcess.Result r = CliProcess.run("analyze", "--json", SAMPLE.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    JsonNode j = JsonFormat.MAPPER.readTree(r.stdout());
    boolean bundled = getClass().getClassLoader().getResource(
        ModelPackage.BUNDLED_DEFAULT_RESOURCE + "/" + ModelPackage.MANIFEST_FILE) != null;
    if (bundled) {
      assertThat(r.stderr()).isEmpty();
      assertThat(j.at("/model/name").asText()).isEqualTo(ModelPackage.bundledDefault().manifest().name());
    } else {
      assertThat(j.at("/model/name").asText()).isEqualTo("tingxin-fixture-fbank-cnn-tiny");
      assertThat(r.stderrLines()).hasSize(1);
      assertThat(r.stderrLines().get(0)).contains("note:", "fixture", "not trained for real calls");
    }
  }
}
