package io.github.tingxin.core.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.tingxin.api.Audio;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ResamplerTest {

  /**
   * Equal to torchaudio 0.13.1 {@code functional.resample} (float32, defaults) on every case of
   * resample.json: 18 rate pairs x 5 signals (noise, chirp, EmoDB speech, near full scale, near silent) and
   * very short inputs. Observed max abs error over all cases: 4.77e-7 (fullscale, 32000 -> 16000); the
   * issue's bound is 1e-5.
   */
  @Test
  void equalsTorchaudioOnEveryReferenceCase() {
    JsonNode cases = Reference.json("resample.json").get("cases");
    assertThat(cases.size()).isGreaterThan(100);
    double worst = 0;
    String worstCase = "";
    for (JsonNode c : cases) {
      float[] in = Reference.f32("resample/" + c.get("input").asText());
      float[] expected = Reference.f32("resample/" + c.get("output").asText());
      int inRate = c.get("inputRate").asInt();
      int outRate = c.get("outputRate").asInt();
      assertThat(in).hasSize(c.get("inputLength").asInt());
      Audio out = Resampler.resample(Audio.of(in, inRate), outRate);
      String label = c.get("signal").asText() + " " + inRate + "->" + outRate;
      assertThat(out.sampleRate()).isEqualTo(outRate);
      assertThat(out.length()).as(label).isEqualTo(expected.length);
      assertThat(Resampler.of(inRate, outRate).outputLength(in.length)).isEqualTo(expected.length);
      double max = maxAbsDiff(out.toArray(), expected);
      assertThat(max).as(label).isLessThanOrEqualTo(1e-5);
      if (max > worst) {
        worst = max;
        worstCase = label;
      }
    }
    // Pins the precision we claim in the javadoc above and in sentiment-bench/results/audio.md.
    assertThat(worst).as("worst case " + worstCase).isLessThan(1e-6);
  }

  @Test
  void missingReferenceFails() {
    assertThatThrownBy(() -> Reference.f32("resample/no-such-vector.f32")).isInstanceOf(AssertionError.class)
        .hasMessageContaining("is missing");
  }

  @Test
  void streamingEqualsOneShotBitForBitWithRandomChunks() {
    Random random = new Random(42);
    int[][] pairs = {{8000, 16000}, {44100, 16000}, {16000, 44100}, {48000, 16000}, {11025, 16000},
        {16000, 8000}, {22050, 16000}, {44100, 48000}, {16000, 16000}, {7, 13}};
    for (int[] pair : pairs) {
      float[] x = new float[3000 + random.nextInt(3000)];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (random.nextGaussian() * 0.3);
      }
      float[] oneShot = Resampler.resample(Audio.of(x, pair[0]), pair[1]).toArray();
      for (int trial = 0; trial < 5; trial++) {
        Resampler.Stream stream = Resampler.of(pair[0], pair[1]).newStream();
        float[] out = new float[oneShot.length + 16];
        int produced = 0;
        int pos = 0;
        while (pos < x.length) {
          int chunk = switch (random.nextInt(4)) {
            case 0 -> random.nextInt(3);          // 0, 1 or 2 samples
            case 1 -> random.nextInt(50);
            case 2 -> random.nextInt(700);
            default -> random.nextInt(2500);
          };
          chunk = Math.min(chunk, x.length - pos);
          assertThat(stream.maxOutput(chunk)).isLessThanOrEqualTo(out.length - produced);
          produced += stream.accept(x, pos, chunk, out, produced);
          pos += chunk;
          assertThat(stream.samplesOut()).isEqualTo(produced);
        }
        int pending = stream.pendingOutput();
        int flushed = stream.flush(out, produced);
        assertThat(flushed).isEqualTo(pending);
        produced += flushed;
        assertThat(Arrays.copyOf(out, produced)).as(pair[0] + "->" + pair[1]).isEqualTo(oneShot);
      }
    }
  }

  @Test
  void streamConvenienceFormsAndState() {
    float[] x = noise(1000, 3);
    float[] oneShot = Resampler.resample(Audio.of(x, 8000), 16000).toArray();
    Resampler.Stream stream = Resampler.of(8000, 16000).newStream();
    float[] a = stream.accept(Arrays.copyOfRange(x, 0, 400));
    float[] b = stream.accept(Arrays.copyOfRange(x, 400, 1000));
    float[] c = stream.flush();
    float[] all = new float[a.length + b.length + c.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    System.arraycopy(c, 0, all, a.length + b.length, c.length);
    assertThat(all).isEqualTo(oneShot);
    assertThat(stream.samplesIn()).isEqualTo(1000);
    assertThat(stream.samplesOut()).isEqualTo(2000);
    assertThatThrownBy(() -> stream.accept(new float[1])).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(stream::flush).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void emptyStreamAndEmptyAudio() {
    assertThat(Resampler.resample(Audio.empty(44100), 16000).length()).isZero();
    assertThat(Resampler.of(44100, 16000).newStream().flush()).isEmpty();
  }

  @Test
  void outputLengthIsCeilingAsTorchaudio() {
    Resampler r = Resampler.of(44100, 16000);
    for (long n = 0; n < 2000; n++) {
      assertThat(r.outputLength(n)).isEqualTo((long) Math.ceil(160.0 * n / 441.0));
    }
    assertThat(r.outputLength(10L * 3600 * 44100)).isEqualTo(10L * 3600 * 16000);
  }

  @Test
  void equalRatesReturnTheInput() {
    Audio audio = Audio.of(noise(100, 1), 16000);
    assertThat(Resampler.resample(audio, 16000)).isSameAs(audio);
  }

  @Test
  void keepsKernelsPerRatePair() {
    assertThat(Resampler.of(44100, 16000)).isSameAs(Resampler.of(44100, 16000));
    assertThat(Resampler.of(44100, 16000).inputRate()).isEqualTo(44100);
    assertThat(Resampler.of(44100, 16000).outputRate()).isEqualTo(16000);
  }

  @Test
  void refusesRatesOutOfRange() {
    for (int rate : new int[] {0, -8000, 384_001}) {
      assertThatThrownBy(() -> Resampler.of(rate, 16000)).isInstanceOf(TingxinException.class)
          .extracting(e -> ((TingxinException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED_SAMPLE_RATE);
      assertThatThrownBy(() -> Resampler.of(16000, rate)).isInstanceOf(TingxinException.class)
          .extracting(e -> ((TingxinException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED_SAMPLE_RATE);
    }
    assertThatThrownBy(() -> Resampler.of(8000, 16000).resample(Audio.of(new float[10], 16000)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void extremeRatePairsBuildBoundedKernels() {
    // Co-prime rates near the limit: no full (next x orig) kernel is ever built.
    Resampler r = Resampler.of(384_000, 383_999);
    Audio out = r.resample(Audio.of(noise(2000, 5), 384_000));
    assertThat(out.length()).isEqualTo(r.outputLength(2000));
    assertThat(Resampler.of(384_000, 8000).resample(Audio.of(noise(5000, 6), 384_000)).length()).isEqualTo(105);
  }

  @Test
  void isThreadSafe() throws Exception {
    float[] x = noise(20_000, 9);
    float[] expected = Resampler.resample(Audio.of(x, 44100), 16000).toArray();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[]>> results = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        results.add(pool.submit(() -> Resampler.resample(Audio.of(x, 44100), 16000).toArray()));
      }
      for (Future<float[]> f : results) {
        assertThat(f.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  static float[] noise(int n, long seed) {
    Random random = new Random(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return x;
  }

  static double maxAbsDiff(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs((double) a[i] - b[i]));
    }
    return max;
  }
}
