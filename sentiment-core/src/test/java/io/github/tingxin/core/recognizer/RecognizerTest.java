package io.github.tingxin.core.recognizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tingxin.api.Alert;
import io.github.tingxin.api.AlertRule;
import io.github.tingxin.api.Audio;
import io.github.tingxin.api.AudioInput;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.EmotionStream;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.Segmentation;
import io.github.tingxin.api.Speaker;
import io.github.tingxin.api.StreamListener;
import io.github.tingxin.api.TingxinException;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recognizer through the public API, with {@link FakeBackend} and {@link TestFeatureProvider} standing in
 * for a model, on the EmoDB-based VAD test call (32.85 s, ten utterances in noise).
 */
class RecognizerTest {
  private static float[] call;

  @BeforeAll
  static void load() throws Exception {
    call = TestModels.call();
  }

  @AfterEach
  void reset() {
    FakeBackend.release();
  }

  private static EmotionRecognizer.Builder builder() {
    return EmotionRecognizer.builder().model(TestModels.model(true)).backend("fake");
  }

  private static EmotionRecognizer recognizer() {
    return builder().build();
  }

  @Test
  void analysesTheCallIntoTurnsWithinTheModelLimits() {
    try (EmotionRecognizer r = recognizer()) {
      CallAnalysis a = r.analyze(AudioInput.of(Audio.of(call, 16000)));
      assertThat(a.model()).isEqualTo("fake-model 1.0.0");
      assertThat(a.durationSeconds()).isEqualTo(call.length / 16000.0);
      // ten utterances of about 1.6 s, each its own turn (pauses >= 0.45 s)
      assertThat(a.segments()).hasSizeBetween(9, 12);
      for (int i = 0; i < a.segments().size(); i++) {
        SegmentResult s = a.segments().get(i);
        assertThat(s.index()).isEqualTo(i);
        assertThat(s.speaker()).isEqualTo(Speaker.CALLER);
        assertThat(s.channel()).isEqualTo(-1);
        assertThat(s.duration()).isBetween(0.5, 4.0);
        assertThat(s.scores()).hasSize(5);
        assertThat(s.negativeProbability()).isPresent();
        if (i > 0) {
          assertThat(s.start()).isGreaterThanOrEqualTo(a.segments().get(i - 1).end());
        }
      }
      assertThat(a.caller().segments()).isEqualTo(a.segments().size());
      assertThat(a.caller().speechSeconds()).isBetween(15.0, 20.0);
      assertThat(a.operator()).isEmpty();
    }
  }

  @Test
  void streamingGivesExactlyTheOfflineAnalysis() {
    // batch size 1: offline batches hold one segment, as a live stream scores them, so every bit agrees
    try (EmotionRecognizer r = builder().batchSize(1).build()) {
      CallAnalysis offline = r.analyze(AudioInput.of(Audio.of(call, 16000)));
      List<SegmentResult> live = new ArrayList<>();
      CallAnalysis streamed;
      try (EmotionStream s = r.openStream(16000, live::add)) {
        streamed = TestModels.feedInRandomChunks(s, call, new Random(5), 5000);
      }
      assertThat(streamed).isEqualTo(offline);
      assertThat(live).isEqualTo(offline.segments());
    }
  }

  @Test
  void streamingAgreesWithBatchedOfflineAnalysisAtAnotherRate() {
    float[] at8k = new float[call.length / 2];
    for (int i = 0; i < at8k.length; i++) {
      at8k[i] = call[2 * i];
    }
    try (EmotionRecognizer r = recognizer()) {
      CallAnalysis offline = r.analyze(AudioInput.of(Audio.of(at8k, 8000)));
      CallAnalysis streamed;
      try (EmotionStream s = r.openStream(8000, seg -> {})) {
        for (int i = 0; i < at8k.length; i += 333) {
          s.accept(at8k, i, Math.min(333, at8k.length - i));
        }
        streamed = s.finish();
      }
      // The fake model masks padding exactly, so batching changes nothing here either.
      assertThat(streamed).isEqualTo(offline);
      assertThat(offline.segments()).isNotEmpty();
    }
  }

  @Test
  void twoChannelsAreAnalysedAsCallerAndOperator(@TempDir Path dir) throws Exception {
    float[] operator = new float[call.length];
    int shift = 16000 * 3;
    for (int i = 0; i < call.length; i++) {
      operator[i] = call[(i + shift) % call.length] * 0.5f;
    }
    Path file = dir.resolve("call.wav");
    Files.write(file, TestModels.wav(16000, operator, call)); // caller on channel 1
    try (EmotionRecognizer r = recognizer()) {
      CallAnalysis both = r.analyze(AudioInput.file(file).callerAndOperator(1, 0));
      CallAnalysis callerOnly = r.analyze(AudioInput.of(Audio.of(call, 16000)));
      assertThat(both.operator()).isPresent();
      assertThat(both.callerSegments()).extracting(SegmentResult::start)
          .containsExactlyElementsOf(callerOnly.segments().stream().map(SegmentResult::start).toList());
      assertThat(both.callerSegments()).allSatisfy(s -> assertThat(s.channel()).isEqualTo(1));
      List<SegmentResult> ops = both.segments().stream().filter(s -> s.speaker() == Speaker.OPERATOR).toList();
      assertThat(ops).isNotEmpty().allSatisfy(s -> assertThat(s.channel()).isZero());
      assertThat(both.operator().get().segments()).isEqualTo(ops.size());
      for (int i = 1; i < both.segments().size(); i++) {
        assertThat(both.segments().get(i).start()).isGreaterThanOrEqualTo(both.segments().get(i - 1).start());
      }
      assertThat(both.caller().speechSeconds()).isEqualTo(callerOnly.caller().speechSeconds());
      // the same file, caller channel only, read as a stream of bytes
      CallAnalysis channel1 = r.analyze(AudioInput.stream(new ByteArrayInputStream(Files.readAllBytes(file)))
          .channel(1));
      assertThat(channel1.segments()).extracting(SegmentResult::end)
          .containsExactlyElementsOf(callerOnly.segments().stream().map(SegmentResult::end).toList());
      assertThatThrownBy(() -> r.analyze(AudioInput.file(file).channel(2))).isInstanceOf(TingxinException.class)
          .extracting(e -> ((TingxinException) e).code()).isEqualTo(ErrorCode.INVALID_CHANNEL);
    }
  }

  @Test
  void silenceGivesAnAnalysisWithoutSegments() {
    try (EmotionRecognizer r = recognizer()) {
      CallAnalysis a = r.analyze(AudioInput.of(Audio.of(new float[16000 * 3], 16000)));
      assertThat(a.segments()).isEmpty();
      assertThat(a.caller().speechSeconds()).isZero();
      assertThat(a.durationSeconds()).isEqualTo(3);
    }
  }

  @Test
  void errorsAreSpecific(@TempDir Path dir) throws Exception {
    try (EmotionRecognizer r = builder().maxAudioSeconds(10).build()) {
      assertCode(() -> r.analyze(AudioInput.of(Audio.empty(16000))), ErrorCode.EMPTY_AUDIO);
      Path empty = dir.resolve("empty.wav");
      Files.write(empty, TestModels.wav(16000, new float[0]));
      assertCode(() -> r.analyze(AudioInput.file(empty)), ErrorCode.EMPTY_AUDIO);
      assertCode(() -> r.analyze(AudioInput.of(Audio.of(call, 16000))), ErrorCode.AUDIO_TOO_LONG);
      Path longFile = dir.resolve("long.wav");
      Files.write(longFile, TestModels.wav(16000, call));
      assertCode(() -> r.analyze(AudioInput.file(longFile)), ErrorCode.AUDIO_TOO_LONG);
      assertCode(() -> r.score(List.of(Audio.empty(16000))), ErrorCode.EMPTY_AUDIO);
      assertCode(() -> r.openStream(400_000, s -> {}), ErrorCode.UNSUPPORTED_SAMPLE_RATE);
    }
    assertCode(() -> builder().segmentation(Segmentation.DEFAULT.withLimits(0, 10)).build(), ErrorCode.INVALID_OPTION);
    assertCode(() -> builder().backend("no-such").build(), ErrorCode.BACKEND_UNAVAILABLE);
    // Silero comes with sentiment-onnx, which is not on this module's test class path
    assertThatThrownBy(() -> builder().segmentation(Segmentation.turns(Segmentation.Vad.SILERO)).build())
        .isInstanceOfSatisfying(TingxinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.VAD_UNAVAILABLE))
        .hasMessageContaining("'silero' (named by the segmentation)")
        .hasMessageContaining("available: [energy, half-energy, none]").hasMessageContaining("sentiment-onnx");
  }

  @Test
  void aPlugInDetectorIsNamedByTheSegmentationAndBringsItsOwnTuning() {
    CallAnalysis energy;
    try (EmotionRecognizer r = recognizer()) {
      energy = r.analyze(AudioInput.of(Audio.of(call, 16000)));
    }
    try (EmotionRecognizer r = builder().segmentation(Segmentation.turns(" Half-Energy")).build()) {
      assertThat(r.config().segmentation().vad()).isEqualTo(HalfEnergyVadProvider.NAME);
      CallAnalysis half = r.analyze(AudioInput.of(Audio.of(call, 16000)));
      assertThat(half.segments()).isNotEmpty().isEqualTo(energy.segments());
    }
  }

  @Test
  void aClosedRecognizerRefusesWorkAndCloseIsIdempotent() {
    EmotionRecognizer r = recognizer();
    EmotionStream s = r.openStream(16000, seg -> {});
    r.close();
    r.close();
    assertThatThrownBy(() -> r.analyze(AudioInput.of(Audio.of(call, 16000)))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> r.score(List.of(Audio.of(call, 16000)))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> r.openStream(16000, seg -> {})).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> s.accept(new float[100])).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anInterruptedThreadGetsInterruptedAndTheRecognizerStaysUsable() {
    try (EmotionRecognizer r = recognizer()) {
      Thread.currentThread().interrupt();
      assertCode(() -> r.analyze(AudioInput.of(Audio.of(call, 16000))), ErrorCode.INTERRUPTED);
      assertThat(Thread.interrupted()).as("interrupt flag restored").isTrue();
      assertThat(r.analyze(AudioInput.of(Audio.of(call, 16000))).segments()).isNotEmpty();
    }
  }

  @Test
  void streamsRefuseNonFiniteChunksWholeAndFinishOnce() {
    try (EmotionRecognizer r = recognizer()) {
      CallAnalysis offline = r.analyze(AudioInput.of(Audio.of(call, 16000)));
      EmotionStream s = r.openStream(16000, seg -> {});
      s.accept(call, 0, 100_000);
      float[] bad = new float[5000];
      bad[4000] = Float.NaN;
      assertCode(() -> s.accept(bad), ErrorCode.NON_FINITE_SAMPLE);
      bad[4000] = Float.POSITIVE_INFINITY;
      assertCode(() -> s.accept(bad), ErrorCode.NON_FINITE_SAMPLE);
      s.accept(call, 100_000, call.length - 100_000);
      assertThat(s.finish()).isEqualTo(offline); // nothing of the bad chunks was taken
      assertCode(s::finish, ErrorCode.STREAM_FINISHED);
      assertCode(() -> s.accept(call), ErrorCode.STREAM_FINISHED);
      EmotionStream closed = r.openStream(16000, seg -> {});
      closed.close();
      closed.close();
      assertCode(() -> closed.accept(call), ErrorCode.STREAM_FINISHED);
      assertCode(closed::finish, ErrorCode.STREAM_FINISHED);
    }
  }

  @Test
  void segmentsArriveAsTheyCloseAndAlertsFireOnce() {
    List<double[]> arrivals = new ArrayList<>();
    List<Alert> alerts = new ArrayList<>();
    long[] fed = new long[1];
    AlertRule rule = new AlertRule(0.3, 3, 10);
    try (EmotionRecognizer r = builder().alertRule(rule).build();
        EmotionStream s = r.openStream(16000, new StreamListener() {
          @Override
          public void onSegment(SegmentResult segment) {
            arrivals.add(new double[] {segment.end(), fed[0] / 16000.0});
          }

          @Override
          public void onAlert(Alert alert) {
            alerts.add(alert);
          }
        })) {
      for (int i = 0; i < call.length; i += 1600) {
        int n = Math.min(1600, call.length - i);
        fed[0] += n;
        s.accept(call, i, n);
      }
      int beforeFinish = arrivals.size();
      CallAnalysis a = s.finish();
      assertThat(beforeFinish).isGreaterThanOrEqualTo(a.segments().size() - 1);
      for (double[] arrival : arrivals) {
        // latency: the pause that closes a turn, the detector's hangover and look-back, one chunk
        assertThat(arrival[1] - arrival[0]).isLessThan(1.0);
      }
      double threshold = rule.probability();
      assertThat(a.segments()).anySatisfy(seg -> assertThat(seg.isNegative(threshold)).isTrue());
      assertThat(alerts).isNotEmpty();
      for (Alert alert : alerts) {
        assertThat(alert.negativeSpeechSeconds()).isGreaterThanOrEqualTo(3);
        assertThat(alert.at()).isEqualTo(alert.trigger().end());
      }
    }
  }

  @Test
  void aThrowingListenerLeavesTheStreamUsable() {
    try (EmotionRecognizer r = recognizer()) {
      CallAnalysis offline = r.analyze(AudioInput.of(Audio.of(call, 16000)));
      int[] seen = new int[1];
      EmotionStream s = r.openStream(16000, seg -> {
        seen[0]++;
        throw new IllegalStateException("listener bug");
      });
      int failures = 0;
      for (int i = 0; i < call.length; i += 8000) {
        try {
          s.accept(call, i, Math.min(8000, call.length - i));
        } catch (IllegalStateException e) {
          failures++;
        }
      }
      try {
        s.finish();
      } catch (IllegalStateException e) {
        failures++;
      }
      assertThat(seen[0]).isEqualTo(offline.segments().size());
      assertThat(failures).isGreaterThan(0);
    }
  }

  @Test
  void eightThreadsSharingOneRecognizerGetTheSequentialAnswers() throws Exception {
    try (EmotionRecognizer r = recognizer()) {
      List<Audio> inputs = new ArrayList<>();
      for (int k = 0; k < 4; k++) {
        float[] x = new float[call.length];
        for (int i = 0; i < x.length; i++) {
          x[i] = call[(i + k * 16000 * 5) % call.length] * (0.5f + 0.2f * k);
        }
        inputs.add(Audio.of(x, 16000));
      }
      List<CallAnalysis> sequential = new ArrayList<>();
      for (Audio a : inputs) {
        sequential.add(r.analyze(AudioInput.of(a)));
      }
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<Boolean>> results = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          int k = t % inputs.size();
          results.add(pool.submit(() -> {
            for (int rep = 0; rep < 2; rep++) {
              if (!r.analyze(AudioInput.of(inputs.get(k))).equals(sequential.get(k))) {
                return false;
              }
            }
            return true;
          }));
        }
        for (Future<Boolean> f : results) {
          assertThat(f.get(2, TimeUnit.MINUTES)).isTrue();
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void closeWaitsForAnalysesInProgress() throws Exception {
    EmotionRecognizer r = recognizer();
    FakeBackend.runGate = new CountDownLatch(1);
    FakeBackend.runStarted = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<CallAnalysis> analysis = pool.submit(() -> r.analyze(AudioInput.of(Audio.of(call, 16000))));
      assertThat(FakeBackend.runStarted.await(1, TimeUnit.MINUTES)).isTrue();
      Future<?> closing = pool.submit(r::close);
      Thread.sleep(200);
      assertThat(closing.isDone()).as("close waits while inference runs").isFalse();
      FakeBackend.runGate.countDown();
      assertThat(analysis.get(1, TimeUnit.MINUTES).segments()).isNotEmpty();
      closing.get(1, TimeUnit.MINUTES);
      assertThatThrownBy(() -> r.analyze(AudioInput.of(Audio.of(call, 16000))))
          .isInstanceOf(IllegalStateException.class);
    } finally {
      FakeBackend.runGate = null;
      pool.shutdownNow();
    }
  }

  @Test
  void scoreTakesClipsAsTheyAre() {
    try (EmotionRecognizer r = recognizer()) {
      Audio a = Audio.of(call, 16000).slice(16000 * 4, 16000 * 6);
      Audio b = Audio.of(call, 16000).slice(16000 * 10, 16000 * 11);
      List<SegmentResult> scored = r.score(List.of(a, b));
      assertThat(scored).hasSize(2);
      assertThat(scored.get(0).index()).isZero();
      assertThat(scored.get(0).start()).isZero();
      assertThat(scored.get(0).end()).isEqualTo(2.0);
      assertThat(scored.get(1).end()).isEqualTo(1.0);
      SegmentResult alone = r.score(List.of(b)).get(0);
      assertThat(alone.scores()).isEqualTo(scored.get(1).scores());
    }
  }

  @Test
  void modelsWithoutLengthsAreBatchedOnlyWithEqualLengths() {
    // FakeBackend fails the run if a model without a lengths input gets a padded batch.
    try (EmotionRecognizer r = EmotionRecognizer.builder().model(TestModels.model(false)).backend("fake")
        .segmentation(Segmentation.sliding(Segmentation.Vad.ENERGY, 1.0, 0.5)).build()) {
      CallAnalysis a = r.analyze(AudioInput.of(Audio.of(call, 16000)));
      assertThat(a.segments()).hasSizeGreaterThan(20);
      // windows of 1 s, or a region's whole length where it is shorter: those under the model's 0.5 s
      // minimum are padded to it (the manifest's default rule) and flagged
      assertThat(a.segments()).allSatisfy(s -> {
        assertThat(s.duration()).isLessThanOrEqualTo(1.0);
        assertThat(s.shortInput()).isEqualTo(s.duration() < 0.5);
      });
    }
  }

  private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
    assertThatThrownBy(call).isInstanceOf(TingxinException.class)
        .satisfies(e -> assertThat(((TingxinException) e).code()).isEqualTo(code))
        .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
  }
}
