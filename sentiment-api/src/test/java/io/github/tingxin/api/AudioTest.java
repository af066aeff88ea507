package io.github.tingxin.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ReadOnlyBufferException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AudioTest {
  private static float[] noise(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (r.nextGaussian() * 0.3);
    }
    return x;
  }

  @Test
  void copiesTheCallersArraySoLaterWritesDoNotLeakIn() {
    float[] x = noise(1000, 1);
    Audio a = Audio.of(x, 16000);
    float before = a.sample(10);
    x[10] = 0.999f;
    assertThat(a.sample(10)).isEqualTo(before).isNotEqualTo(0.999f);
  }

  @Test
  void viewsAndCopiesCannotChangeTheSamples() {
    Audio a = Audio.of(noise(100, 2), 8000);
    assertThatThrownBy(() -> a.samples().put(0, 1f)).isInstanceOf(ReadOnlyBufferException.class);
    float[] copy = a.toArray();
    copy[0] = 42f;
    assertThat(a.sample(0)).isNotEqualTo(42f);
    float[] dst = new float[5];
    a.copyTo(3, dst, 1, 4);
    assertThat(dst[1]).isEqualTo(a.sample(3));
    assertThat(dst[4]).isEqualTo(a.sample(6));
  }

  @Test
  void reportsDurationAndSlices() {
    Audio a = Audio.of(noise(24000, 3), 16000);
    assertThat(a.durationSeconds()).isEqualTo(1.5);
    Audio s = a.slice(16000, 24000);
    assertThat(s.length()).isEqualTo(8000);
    assertThat(s.sample(0)).isEqualTo(a.sample(16000));
    assertThat(s.sampleRate()).isEqualTo(16000);
    assertThatThrownBy(() -> a.slice(10, 5)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void refusesNonFiniteSamplesNamingTheFirstIndexButNotTheValues() {
    float[] x = noise(50, 4);
    x[17] = Float.NaN;
    x[30] = Float.POSITIVE_INFINITY;
    assertThatThrownBy(() -> Audio.of(x, 16000))
        .isInstanceOfSatisfying(TingxinException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.NON_FINITE_SAMPLE);
          assertThat(e.getMessage()).contains("17").contains("NaN");
        });
    float[] y = noise(50, 5);
    y[3] = Float.NEGATIVE_INFINITY;
    assertThatThrownBy(() -> Audio.of(y, 16000)).hasMessageContaining("Sample 3 is infinite");
  }

  @Test
  void refusesImpossibleRates() {
    assertThatThrownBy(() -> Audio.of(new float[3], 0))
        .isInstanceOfSatisfying(TingxinException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_SAMPLE_RATE));
    assertThatThrownBy(() -> Audio.empty(1_000_000)).isInstanceOf(TingxinException.class);
  }

  @Test
  void emptyAudioIsValidAndToStringNamesNoSamples() {
    Audio e = Audio.empty(16000);
    assertThat(e.isEmpty()).isTrue();
    assertThat(e.durationSeconds()).isZero();
    Audio a = Audio.of(new float[] {0.123456f, -0.654321f}, 16000);
    assertThat(a.toString()).contains("2 samples").doesNotContain("0.123").doesNotContain("0.654");
  }
}
