package io.github.tingxin.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.core.vad.VadCallFixture;
import io.github.tingxin.spi.Providers;
import io.github.tingxin.spi.RegionTuning;
import io.github.tingxin.spi.VoiceActivityDetector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Silero VAD on the VAD test call of sentiment-core ({@link VadCallFixture}, made by
 * tools/reference/make_vad_fixture.py: ten EmoDB clips joined with pauses, pink noise at 20 then 12 dB SNR, a
 * white-noise burst), against its known speech.
 */
class SileroVoiceActivityDetectorTest {
  private static VadCallFixture call;
  private static float[] samples;

  @BeforeAll
  static void load() throws Exception {
    call = VadCallFixture.load();
    assertThat(call.sampleRate).isEqualTo(16000);
    samples = call.samples;
  }

  @Test
  void findsTheKnownSpeechOfTheNoisyEmoDbCall() {
    try (SileroVoiceActivityDetector vad = SileroVoiceActivityDetector.open(16000)) {
      List<double[]> found = VadCallFixture.detect(vad, vad.regionTuning(), samples, 4000);
      String measured = String.format(Locale.ROOT, "agreement %.4f falseAlarm %.4f burst %.3f s; %s",
          call.agreement(found), call.falseAlarm(found), call.speechInBurst(found), VadCallFixture.describe(found));
      System.out.println("silero VAD (" + SileroVoiceActivityDetector.MODEL_RESOURCE + "): " + measured);
      assertThat(call.agreement(found)).as(measured).isGreaterThanOrEqualTo(0.90);
      assertThat(call.falseAlarm(found)).as(measured).isLessThanOrEqualTo(0.10);
      assertThat(call.speechInBurst(found)).as(measured).isLessThan(0.1);
    }
  }

  @Test
  void chunkingNeverChangesTheProbabilities() {
    try (SileroVoiceActivityDetector vad = SileroVoiceActivityDetector.open(16000)) {
      float[] first = Arrays.copyOf(samples, 16000 * 6);
      float[] whole = probabilities(vad.newStream(), first, first.length, first.length / 512);
      Random random = new Random(9);
      VoiceActivityDetector.Stream s = vad.newStream();
      float[] out = new float[whole.length + 2];
      int n = 0;
      for (int i = 0; i < first.length; ) {
        int len = Math.min(first.length - i, 1 + random.nextInt(1500));
        int expected = s.framesCompletedBy(len);
        assertThat(s.accept(first, i, len, out, n)).isEqualTo(expected);
        n = (int) s.framesDone();
        i += len;
      }
      assertThat(Arrays.copyOf(out, n)).containsExactly(whole);
      float max = 0;
      float min = 1;
      for (float p : whole) {
        max = Math.max(max, p);
        min = Math.min(min, p);
      }
      assertThat(max).isGreaterThan(0.9f);
      assertThat(min).isLessThan(0.1f);
    }
  }

  @Test
  void refusesOtherRatesAndStreamsAfterClose() {
    assertThatThrownBy(() -> SileroVoiceActivityDetector.open(22050)).isInstanceOf(TingxinException.class)
        .extracting(e -> ((TingxinException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED_SAMPLE_RATE);
    SileroVoiceActivityDetector vad = SileroVoiceActivityDetector.open(8000);
    assertThat(vad.frameSamples()).isEqualTo(256);
    VoiceActivityDetector.Stream s = vad.newStream();
    vad.close();
    vad.close();
    assertThatThrownBy(() -> s.accept(new float[256], 0, 256, new float[1], 0))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(vad::newStream).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void closingDuringConcurrentStreamsLetsEachFrameCompleteOrBeRefused() throws Exception {
    float[] part = Arrays.copyOf(samples, 16000 * 4);
    float[] expected;
    try (SileroVoiceActivityDetector reference = SileroVoiceActivityDetector.open(16000)) {
      expected = probabilities(reference.newStream(), part, part.length, part.length / 512);
    }
    SileroVoiceActivityDetector vad = SileroVoiceActivityDetector.open(16000);
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch running = new CountDownLatch(threads);
      List<Future<float[]>> streams = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        VoiceActivityDetector.Stream stream = vad.newStream();
        streams.add(pool.submit(() -> {
          // one frame per chunk, until close refuses one
          float[] out = new float[expected.length];
          int n = 0;
          try {
            for (int i = 0; i + 512 <= part.length; i += 512) {
              n += stream.accept(part, i, 512, out, n);
              if (i == 0) {
                running.countDown();
              }
            }
          } catch (IllegalStateException closed) {
            assertThat(closed).hasMessageContaining("closed");
          }
          return Arrays.copyOf(out, n);
        }));
      }
      running.await();
      vad.close();
      assertThat(vad.handle().isFreed()).as("close returns once the session is freed").isTrue();
      for (Future<float[]> f : streams) {
        float[] got = f.get(60, TimeUnit.SECONDS);
        // every frame computed before close is exactly the frame of an undisturbed stream
        assertThat(got).isNotEmpty().containsExactly(Arrays.copyOf(expected, got.length));
      }
      vad.close();
      assertThatThrownBy(vad::newStream).isInstanceOf(IllegalStateException.class);
    } finally {
      pool.shutdownNow();
      vad.close();
    }
  }

  @Test
  void foundThroughTheServiceByName() {
    try (VoiceActivityDetector vad = Providers.VOICE_ACTIVITY_DETECTORS.named("silero").open(16000)) {
      assertThat(vad).isInstanceOf(SileroVoiceActivityDetector.class);
      // Silero's own post-processing defaults, owned by its provider
      assertThat(vad.regionTuning()).isEqualTo(new RegionTuning(0.5, 0.35, 0.25, 0.1, 0.03));
    }
  }

  static float[] probabilities(VoiceActivityDetector.Stream s, float[] x, int chunk, int frames) {
    float[] out = new float[frames + 2];
    int n = 0;
    for (int i = 0; i < x.length; i += chunk) {
      n += s.accept(x, i, Math.min(chunk, x.length - i), out, n);
    }
    return Arrays.copyOf(out, n);
  }
}
