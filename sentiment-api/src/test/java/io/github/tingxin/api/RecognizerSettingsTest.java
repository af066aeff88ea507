package io.github.tingxin.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** One settings type, validated in one place: the record, the builder and a deserialised copy agree. */
class RecognizerSettingsTest {
  @Test
  void theDefaultsAreTheDocumentedOnes() {
    RecognizerSettings d = RecognizerSettings.DEFAULT;
    assertThat(d.device()).isEqualTo(Device.CPU);
    assertThat(d.threads()).isZero();
    assertThat(d.batchSize()).isEqualTo(8);
    assertThat(d.segmentation()).isEqualTo(Segmentation.DEFAULT);
    assertThat(d.alertRule()).isEqualTo(AlertRule.DEFAULT);
    assertThat(d.negativeThreshold()).isEqualTo(0.5);
    assertThat(d.maxAudioSeconds()).isEqualTo(14400);
    assertThat(d.backend()).isEmpty();
    assertThat(d.prosody()).isFalse();
  }

  @Test
  void everyRangeIsCheckedByTheRecordAndTheBuilderAlike() {
    record Case(String field, UnaryOperator<RecognizerSettings> with,
        java.util.function.Consumer<EmotionRecognizer.Builder> set) {}
    List<Case> cases = List.of(
        new Case("threads", s -> s.withThreads(-1), b -> b.threads(-1)),
        new Case("threads", s -> s.withThreads(100_000), b -> b.threads(100_000)),
        new Case("threads", s -> s.withThreads(RecognizerSettings.MAX_THREADS + 1),
            b -> b.threads(RecognizerSettings.MAX_THREADS + 1)),
        new Case("batchSize", s -> s.withBatchSize(0), b -> b.batchSize(0)),
        new Case("batchSize", s -> s.withBatchSize(1025), b -> b.batchSize(1025)),
        new Case("negativeThreshold", s -> s.withNegativeThreshold(0), b -> b.negativeThreshold(0)),
        new Case("negativeThreshold", s -> s.withNegativeThreshold(1), b -> b.negativeThreshold(1)),
        new Case("negativeThreshold", s -> s.withNegativeThreshold(Double.NaN), b -> b.negativeThreshold(Double.NaN)),
        // The record used to take an infinite limit that the builder refused.
        new Case("maxAudioSeconds", s -> s.withMaxAudioSeconds(Double.POSITIVE_INFINITY),
            b -> b.maxAudioSeconds(Double.POSITIVE_INFINITY)),
        new Case("maxAudioSeconds", s -> s.withMaxAudioSeconds(0), b -> b.maxAudioSeconds(0)),
        new Case("maxAudioSeconds", s -> s.withMaxAudioSeconds(Double.NaN), b -> b.maxAudioSeconds(Double.NaN)),
        new Case("backend", s -> s.withBackend(" onnxruntime"), b -> b.backend(" onnxruntime")));
    for (Case c : cases) {
      assertThatThrownBy(() -> c.with().apply(RecognizerSettings.DEFAULT)).as(c.field())
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(c.field() + " must be");
      EmotionRecognizer.Builder b = EmotionRecognizer.builder();
      assertThatThrownBy(() -> c.set().accept(b)).as(c.field())
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(c.field() + " must be");
    }
    assertThat(RecognizerSettings.DEFAULT.withThreads(RecognizerSettings.MAX_THREADS).threads()).isEqualTo(256);
    assertThat(RecognizerSettings.DEFAULT.withBatchSize(1024).batchSize()).isEqualTo(1024);
  }

  @Test
  void segmentationRefusesStepsShorterThanTenMilliseconds() {
    assertThatThrownBy(() -> Segmentation.sliding(Segmentation.Vad.SILERO, 2, 1e-6))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("hopSeconds must be 0 (the default) or"
            + " at least 0.01 s");
    assertThatThrownBy(() -> Segmentation.sliding(Segmentation.Vad.SILERO, 1e-3, 0))
        .hasMessageStartingWith("windowSeconds must be");
    assertThatThrownBy(() -> Segmentation.DEFAULT.withLimits(0, 1e-4)).hasMessageStartingWith("maxSeconds must be");
    assertThat(Segmentation.sliding(Segmentation.Vad.SILERO, 2, Segmentation.SHORTEST_STEP_SECONDS).hopSeconds())
        .isEqualTo(0.01);
  }

  @Test
  void theBuilderHoldsTheSettingsItIsGiven() {
    RecognizerSettings s = RecognizerSettings.DEFAULT.withThreads(2).withBatchSize(3)
        .withSegmentation(Segmentation.sliding(Segmentation.Vad.NONE, 2, 1)).withNegativeThreshold(0.7)
        .withMaxAudioSeconds(60).withBackend("onnxruntime").withDevice(Device.cudaIfAvailable(1))
        .withAlertRule(new AlertRule(0.9, 5, 30)).withProsody(true);
    ModelPackage model = ModelPackage.ofBytes(minimalManifest(), new byte[] {1}, "test", null);
    EmotionRecognizer.RecognizerConfig c = EmotionRecognizer.builder().model(model).settings(s).config();
    assertThat(c.settings()).isEqualTo(s);
    assertThat(c.intraOpThreads()).isEqualTo(2);
    assertThat(c.backend()).contains("onnxruntime");
    assertThat(c.prosody()).isTrue();
    assertThat(EmotionRecognizer.builder().model(model).prosody(true).config().settings())
        .isEqualTo(RecognizerSettings.DEFAULT.withProsody(true));
    assertThat(new RecognizerSettings(Device.CPU, 0, 8, Segmentation.DEFAULT, AlertRule.DEFAULT, 0.5, 14400, ""))
        .as("the constructor without prosody").isEqualTo(RecognizerSettings.DEFAULT);
    assertThat(EmotionRecognizer.builder().model(model).settings(s).threads(4).config().settings())
        .isEqualTo(s.withThreads(4));
    assertThat(EmotionRecognizer.builder().model(model).config().backend()).isEmpty();
  }

  @Test
  void settingsSurviveJavaSerialisationAndAreCheckedAgainOnTheWayIn() throws Exception {
    RecognizerSettings s = RecognizerSettings.DEFAULT.withThreads(1)
        .withSegmentation(Segmentation.sliding(Segmentation.Vad.SILERO, 2, 1)).withDevice(Device.cuda(0));
    assertThat(roundTrip(s)).isEqualTo(s);
    assertThat(roundTrip(s.withProsody(true))).isEqualTo(s.withProsody(true));
    // A stream edited to hold an out-of-range value is refused by the same constructor.
    byte[] bytes = serialise(s.withThreads(17));
    int at = indexOfInt(bytes, 17);
    bytes[at + 3] = (byte) 0xFF; // 17 -> 255 is in range; make it 0x000100FF = 65791
    bytes[at + 2] = 1;
    assertThatThrownBy(() -> deserialise(bytes)).hasRootCauseInstanceOf(IllegalArgumentException.class)
        .rootCause().hasMessageStartingWith("threads must be");
  }

  @Test
  void commandLineOptionsAreReadInOnePlaceWithTheOptionNamedInEveryError() {
    RecognizerSettings s = RecognizerSettings.DEFAULT.withOptions(java.util.Map.of("vad", "Silero", "window", "2",
        "hop", "1", "threads", "2", "device", "cuda?", "batch-size", "4", "negative-threshold", "0.6",
        "max-audio-seconds", "60", "alert", "0.7, 5, 30"));
    assertThat(s).isEqualTo(new RecognizerSettings(Device.cudaIfAvailable(0), 2, 4,
        Segmentation.sliding(Segmentation.Vad.SILERO, 2, 1), new AlertRule(0.7, 5, 30), 0.6, 60, ""));
    assertThat(RecognizerSettings.DEFAULT.withOptions(java.util.Map.of("prosody", "true")))
        .isEqualTo(RecognizerSettings.DEFAULT.withProsody(true));
    assertThat(RecognizerSettings.DEFAULT.withProsody(true).withOptions(java.util.Map.of("prosody", "false")))
        .isEqualTo(RecognizerSettings.DEFAULT);
    assertThat(RecognizerSettings.DEFAULT.withOptions(java.util.Map.of())).isEqualTo(RecognizerSettings.DEFAULT);
    assertThat(RecognizerSettings.DEFAULT.withOptions(java.util.Map.of("vad", "none")).segmentation())
        .isEqualTo(Segmentation.turns(Segmentation.Vad.NONE));
    assertThat(RecognizerSettings.DEFAULT.withOptions(java.util.Map.of("vad", "WebRTC")).segmentation().vad())
        .as("a plug-in's detector, checked when the recognizer is built").isEqualTo("webrtc");
    String[][] bad = {
        {"threads", "100000", "--threads must be in 0..256 (0 lets the backend choose), was 100000"},
        {"threads", "99999999999999", "--threads must be in 0..256"},
        {"threads", "1e3", "--threads takes a whole number, got '1e3'"},
        {"batch-size", "0", "--batch-size must be in 1..1024, was 0"},
        {"negative-threshold", "NaN", "--negative-threshold takes a decimal number, got 'NaN'"},
        {"negative-threshold", "1", "--negative-threshold must be above 0 and below 1, was 1.0"},
        {"max-audio-seconds", "Infinity", "--max-audio-seconds takes a decimal number"},
        {"max-audio-seconds", "1e999", "--max-audio-seconds must be finite and above 0, was Infinity"},
        {"vad", " ", "--vad needs a detector's name"},
        {"hop", "1", "--hop needs --window"},
        {"window", "0", "--window and --hop must be more than 0 seconds"},
        {"device", "gpu", "Device 'gpu' is not one of cpu, cuda"},
        {"alert", "0.8,20", "--alert takes three numbers P,SECONDS,WINDOW"},
        {"alert", "0.8,20,10", "--alert P,SECONDS,WINDOW: windowSeconds must be finite and >= negativeSpeechSeconds"},
        {"prosody", "yes", "--prosody is a flag (true or false), got 'yes'"}};
    for (String[] c : bad) {
      assertThatThrownBy(() -> RecognizerSettings.DEFAULT.withOptions(java.util.Map.of(c[0], c[1]))).as(c[0] + " " + c[1])
          .isInstanceOfSatisfying(TingxinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_OPTION))
          .hasMessageStartingWith(c[2]);
    }
    // Issue 17, item 8: a hop of a microsecond hung the analysis; it is refused, naming the option.
    assertThatThrownBy(() -> RecognizerSettings.DEFAULT.withOptions(java.util.Map.of("window", "2", "hop", "1e-6")))
        .hasMessage("--hop must be 0 (the default) or at least 0.01 s, was 1.0E-6");
    assertThatThrownBy(() -> RecognizerSettings.DEFAULT.withOptions(java.util.Map.of("window", "3", "hop", "4")))
        .hasMessageStartingWith("--hop 4.0 exceeds --window 3.0");
    assertThatThrownBy(() -> RecognizerSettings.DEFAULT.withOptions(java.util.Map.of("pattern", "*.wav")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a recognizer option");
  }

  private static ModelManifest minimalManifest() {
    return new ModelManifest(1, "m", "1", "CC0-1.0", "", 16000,
        new ModelManifest.FeatureRecipe("waveform", java.util.Map.of()),
        new ModelManifest.InputSpec("x", ModelManifest.Layout.BATCH_TIME, java.util.Optional.empty(), 0),
        List.of(new ModelManifest.Head("negative", Task.BINARY, "y", ModelManifest.Activation.SOFTMAX,
            List.of(new Label("no", "no", "否", false), new Label("yes", "yes", "是", true)), List.of(0.5, 0.5),
            List.of())),
        java.util.Optional.of("negative"), new ModelManifest.SegmentLimits(0.5, 8),
        new ModelManifest.Provenance("nothing", "none", "none", ""));
  }

  private static int indexOfInt(byte[] bytes, int value) {
    for (int i = 0; i + 3 < bytes.length; i++) {
      if (bytes[i] == 0 && bytes[i + 1] == 0 && bytes[i + 2] == 0 && bytes[i + 3] == value) {
        return i;
      }
    }
    throw new AssertionError("no int " + value + " in the stream");
  }

  private static byte[] serialise(Object o) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(b)) {
      out.writeObject(o);
    }
    return b.toByteArray();
  }

  private static Object deserialise(byte[] bytes) throws Exception {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return in.readObject();
    }
  }

  private static RecognizerSettings roundTrip(RecognizerSettings s) throws Exception {
    return (RecognizerSettings) deserialise(serialise(s));
  }
}
