package io.github.tingxin.onnx.recognizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.AudioInput;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.EmotionStream;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.LabelScore;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.Segmentation;
import io.github.tingxin.api.Speaker;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.core.audio.WavReader;
import io.github.tingxin.core.audio.PcmEncoding;
import io.github.tingxin.core.audio.WavWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole recognizer through the public API with ONNX Runtime and the fixture model packages of
 * fixtures/models, on the VAD test call of sentiment-core (ten EmoDB utterances with pauses and noise).
 */
class RecognizerEndToEndTest {
  private static final Path CALL = Path.of("..", "sentiment-core", "src", "test", "resources", "io", "github",
      "tingxin", "core", "vad", "vad-call-16k.wav");
  private static Audio call;

  @BeforeAll
  static void load() {
    assertThat(CALL).as("the VAD test call, made by tools/reference/make_vad_fixture.py").exists();
    call = WavReader.read(CALL).channel(0);
  }

  static ModelPackage fixture(String name) {
    Path dir = Path.of("..", "fixtures", "models", name);
    assertThat(dir).as("fixture model " + name + " (tools/reference/models/make_fixtures.py)").isDirectory();
    return ModelPackage.load(dir);
  }

  @Test
  void analysesAFileAndEachSegmentScoresAsTheClipAlone() {
    try (EmotionRecognizer r = EmotionRecognizer.builder().model(fixture("fbank-cnn-tiny")).threads(1).build()) {
      CallAnalysis a = r.analyze(AudioInput.file(CALL));
      assertThat(a.model()).isEqualTo("tingxin-fixture-fbank-cnn-tiny 0.0.1");
      assertThat(a.durationSeconds()).isCloseTo(32.85, within(1e-9));
      assertThat(a.segments()).hasSizeBetween(9, 12);
      assertThat(a.caller().speechSeconds()).isBetween(15.0, 20.0);
      // Batched, padded inference inside analyze equals scoring each segment's audio on its own.
      List<Audio> clips = new ArrayList<>();
      for (SegmentResult s : a.segments()) {
        clips.add(call.slice((int) Math.round(s.start() * 16000), (int) Math.round(s.end() * 16000)));
      }
      List<SegmentResult> alone = r.score(clips);
      for (int i = 0; i < clips.size(); i++) {
        assertThat(alone.get(i).negativeProbability().getAsDouble())
            .isCloseTo(a.segments().get(i).negativeProbability().getAsDouble(), within(1e-5));
        List<LabelScore> x = alone.get(i).scores();
        List<LabelScore> y = a.segments().get(i).scores();
        for (int k = 0; k < x.size(); k++) {
          assertThat(x.get(k).score()).isCloseTo(y.get(k).score(), within(1e-5));
        }
      }
      double negative = 0;
      for (SegmentResult s : a.segments()) {
        if (s.isNegative(0.5)) {
          negative += s.duration();
        }
      }
      assertThat(a.caller().negativeSeconds().getAsDouble()).isCloseTo(negative, within(1e-9));
    }
  }

  @Test
  void streamingEqualsOfflineAnalysis() {
    float[] x = call.toArray();
    for (int batch : new int[] {1, 8}) {
      try (EmotionRecognizer r = EmotionRecognizer.builder().model(fixture("fbank-cnn-tiny")).batchSize(batch)
          .threads(1).build()) {
        CallAnalysis offline = r.analyze(AudioInput.file(CALL));
        List<SegmentResult> live = new ArrayList<>();
        CallAnalysis streamed;
        try (EmotionStream s = r.openStream(16000, live::add)) {
          Random random = new Random(batch);
          for (int i = 0; i < x.length; ) {
            int n = Math.min(x.length - i, 1 + random.nextInt(4000));
            s.accept(x, i, n);
            i += n;
          }
          streamed = s.finish();
        }
        assertThat(live).hasSameSizeAs(offline.segments());
        if (batch == 1) {
          assertThat(streamed).isEqualTo(offline); // same batches, so every bit agrees
        } else {
          // ONNX Runtime may round a padded batch differently in the last bits; times and counts are exact
          assertThat(streamed.segments()).extracting(SegmentResult::start)
              .containsExactlyElementsOf(offline.segments().stream().map(SegmentResult::start).toList());
          assertThat(streamed.segments()).extracting(SegmentResult::end)
              .containsExactlyElementsOf(offline.segments().stream().map(SegmentResult::end).toList());
          for (int i = 0; i < live.size(); i++) {
            assertThat(streamed.segments().get(i).negativeProbability().getAsDouble())
                .isCloseTo(offline.segments().get(i).negativeProbability().getAsDouble(), within(1e-5));
          }
          assertThat(streamed.caller().negativeShare().getAsDouble())
              .isCloseTo(offline.caller().negativeShare().getAsDouble(), within(1e-9));
        }
      }
    }
  }

  /**
   * A package recalibrated for a line ({@code tingxin model recalibrate} writes one; Java users call
   * {@code withHeadCalibration}) scores every segment, offline and streamed, as its calibration says:
   * p = sigmoid(d / T + c) of the same graph's log-odds d, the emotion head untouched.
   */
  @Test
  void aRecalibratedPackageScoresAsItsCalibrationSaysOfflineAndStreamed() {
    ModelPackage plain = fixture("fbank-cnn-tiny");
    ModelManifest.Calibration calibration = new ModelManifest.Calibration(2.5, -0.75);
    ModelPackage recalibrated = plain.withManifest(
        plain.manifest().withHeadCalibration("negative", Optional.of(calibration)));
    CallAnalysis before;
    try (EmotionRecognizer r = EmotionRecognizer.builder().model(plain).batchSize(1).threads(1).build()) {
      before = r.analyze(AudioInput.of(call));
    }
    try (EmotionRecognizer r = EmotionRecognizer.builder().model(recalibrated).batchSize(1).threads(1).build()) {
      CallAnalysis after = r.analyze(AudioInput.of(call));
      assertThat(after.segments()).hasSameSizeAs(before.segments()).hasSizeBetween(9, 12);
      double spread = 0;
      for (int i = 0; i < after.segments().size(); i++) {
        SegmentResult b = before.segments().get(i);
        SegmentResult a = after.segments().get(i);
        double p = b.negativeProbability().getAsDouble();
        double want = 1 / (1 + Math.exp(-(Math.log(p / (1 - p)) / 2.5 - 0.75)));
        assertThat(a.negativeProbability().getAsDouble()).as("segment " + i).isCloseTo(want, within(1e-6));
        assertThat(a.score("negative").getAsDouble()).isCloseTo(want, within(1e-6));
        assertThat(a.score("not_negative").getAsDouble()).isCloseTo(1 - want, within(1e-6));
        assertThat(a.scores().stream().filter(l -> l.head().equals("emotion")).toList())
            .isEqualTo(b.scores().stream().filter(l -> l.head().equals("emotion")).toList());
        spread = Math.max(spread, Math.abs(want - p));
      }
      assertThat(spread).as("the calibration moves the probabilities").isGreaterThan(0.05);
      CallAnalysis streamed;
      try (EmotionStream s = r.openStream(16000, x -> { })) {
        float[] x = call.toArray();
        for (int i = 0; i < x.length; i += 3200) {
          s.accept(x, i, Math.min(3200, x.length - i));
        }
        streamed = s.finish();
      }
      assertThat(streamed).isEqualTo(after);
    }
  }

  @Test
  void everyFixtureKindRunsEndToEnd() {
    for (String name : List.of("wav2vec2-tiny", "wav2vec2-tiny-int8", "hubert-tiny", "whisper-tiny",
        "fbank-cnn-tiny-nolengths")) {
      try (EmotionRecognizer r = EmotionRecognizer.builder().model(fixture(name)).threads(1).build()) {
        CallAnalysis a = r.analyze(AudioInput.of(call));
        assertThat(a.segments()).as(name).hasSizeBetween(9, 12);
        assertThat(a.caller().labels()).as(name).isNotEmpty();
        for (SegmentResult s : a.segments()) {
          assertThat(s.scores()).as(name).allSatisfy(l -> assertThat(l.score()).isFinite());
        }
      }
    }
  }

  @Test
  void callerAndOperatorOnTwoChannels(@TempDir Path dir) {
    float[] caller = call.toArray();
    float[] operator = new float[caller.length];
    for (int i = 0; i < operator.length; i++) {
      operator[i] = 0.6f * caller[(i + 16000 * 2) % caller.length];
    }
    Path file = dir.resolve("two-party.wav");
    WavWriter.write(file, List.of(Audio.of(caller, 16000), Audio.of(operator, 16000)), PcmEncoding.S16LE,
        WavWriter.Header.CLASSIC);
    try (EmotionRecognizer r = EmotionRecognizer.builder().model(fixture("fbank-cnn-tiny")).threads(1).build()) {
      CallAnalysis both = r.analyze(AudioInput.file(file).callerAndOperator(0, 1));
      CallAnalysis callerOnly = r.analyze(AudioInput.file(file).channel(0));
      assertThat(both.callerSegments()).isEqualTo(callerOnly.callerSegments().stream().map(s ->
          new SegmentResult(s.index(), s.start(), s.end(), s.speaker(), 0, s.scores(), s.negativeProbability()))
          .toList());
      assertThat(both.operator()).isPresent();
      assertThat(both.operator().get().segments()).isPositive();
      assertThat(both.segments()).filteredOn(s -> s.speaker() == Speaker.OPERATOR)
          .allSatisfy(s -> assertThat(s.channel()).isEqualTo(1));
      assertThat(both.caller()).isEqualTo(callerOnly.caller());
    }
  }

  @Test
  void sileroSegmentationAndSlidingWindows() {
    try (EmotionRecognizer silero = EmotionRecognizer.builder().model(fixture("fbank-cnn-tiny"))
        .segmentation(Segmentation.turns(Segmentation.Vad.SILERO)).threads(1).build();
        EmotionRecognizer sliding = EmotionRecognizer.builder().model(fixture("fbank-cnn-tiny"))
            .segmentation(Segmentation.sliding(Segmentation.Vad.NONE, 4, 2)).threads(1).build()) {
      CallAnalysis a = silero.analyze(AudioInput.of(call));
      assertThat(a.segments()).hasSizeBetween(9, 12);
      CallAnalysis w = sliding.analyze(AudioInput.of(call));
      // windows every 2 s over the whole 32.85 s, plus one final window ending at the end
      assertThat(w.segments()).hasSize(16);
      assertThat(w.segments().get(15).end()).isCloseTo(32.85, within(1e-9));
    }
  }

  @Test
  void errorsThroughTheRealBackend(@TempDir Path dir) {
    try (EmotionRecognizer r = EmotionRecognizer.builder().model(fixture("fbank-cnn-tiny")).maxAudioSeconds(30)
        .threads(1).build()) {
      assertCode(() -> r.analyze(AudioInput.file(CALL)), ErrorCode.AUDIO_TOO_LONG);
      assertCode(() -> r.analyze(AudioInput.of(Audio.empty(8000))), ErrorCode.EMPTY_AUDIO);
      assertCode(() -> r.analyze(AudioInput.file(dir.resolve("missing.wav"))), ErrorCode.IO_ERROR);
      CallAnalysis quiet = r.analyze(AudioInput.of(Audio.of(new float[8000 * 5], 8000)));
      assertThat(quiet.segments()).isEmpty();
      Thread.currentThread().interrupt();
      try {
        assertCode(() -> r.analyze(AudioInput.of(call.slice(0, 16000 * 10))), ErrorCode.INTERRUPTED);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
      } finally {
        Thread.interrupted();
      }
      assertThat(r.analyze(AudioInput.of(call.slice(0, 16000 * 10))).segments()).isNotEmpty();
    }
    EmotionRecognizer closed = EmotionRecognizer.builder().model(fixture("fbank-cnn-tiny")).build();
    closed.close();
    closed.close();
    assertThatThrownBy(() -> closed.analyze(AudioInput.of(call))).isInstanceOf(IllegalStateException.class);
    assertCode(() -> EmotionRecognizer.builder().model(fixture("fbank-cnn-tiny")).backend("tensorflow").build(),
        ErrorCode.BACKEND_UNAVAILABLE);
  }

  @Test
  void eightThreadsShareOneRecognizer() throws Exception {
    try (EmotionRecognizer r = EmotionRecognizer.builder().model(fixture("fbank-cnn-tiny")).threads(1).build()) {
      List<Audio> inputs = List.of(call.slice(0, 16000 * 12), call.slice(16000 * 10, 16000 * 25),
          call.slice(16000 * 20, call.length()));
      List<CallAnalysis> sequential = new ArrayList<>();
      for (Audio a : inputs) {
        sequential.add(r.analyze(AudioInput.of(a)));
      }
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<CallAnalysis>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          Audio a = inputs.get(t % inputs.size());
          futures.add(pool.submit(() -> r.analyze(AudioInput.of(a))));
        }
        for (int t = 0; t < 8; t++) {
          assertThat(futures.get(t).get(2, TimeUnit.MINUTES)).isEqualTo(sequential.get(t % inputs.size()));
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable c, ErrorCode code) {
    assertThatThrownBy(c).isInstanceOf(TingxinException.class)
        .satisfies(e -> assertThat(((TingxinException) e).code()).isEqualTo(code));
  }
}
