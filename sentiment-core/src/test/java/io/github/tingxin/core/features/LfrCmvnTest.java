package io.github.tingxin.core.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tingxin.spi.Features;
import org.junit.jupiter.api.Test;

class LfrCmvnTest {
  @Test
  void lfrStacksLikeFunAsr() {
    // 5 frames of dim 1: values 0..4; m = 3, n = 2: one left pad of frame 0, last frame repeated.
    Features in = new Features(new float[] {0, 1, 2, 3, 4}, 5, 1);
    Features out = new Lfr(3, 2).apply(in);
    assertThat(out.frames()).isEqualTo(3);
    assertThat(out.dim()).isEqualTo(3);
    assertThat(out.data()).containsExactly(0, 0, 1, /**/ 1, 2, 3, /**/ 3, 4, 4);
  }

  @Test
  void globalCmvnIsMeanAndVarianceNormalisation() {
    Features in = new Features(new float[] {1, 10, 3, 30}, 2, 2);
    Cmvn.global(new double[] {2, 20}, new double[] {4, 100}).applyInPlace(in);
    assertThat(in.data()).containsExactly(-0.5f, -1f, 0.5f, 1f);
  }

  @Test
  void utteranceCmvnLeavesConstantDimensionsAtZero() {
    Features in = new Features(new float[] {5, 1, 5, 3}, 2, 2);
    Cmvn.utterance().applyInPlace(in);
    assertThat(in.data()).containsExactly(0f, -1f, 0f, 1f);
  }

  @Test
  void waveformNormalisation() {
    float[] x = {1, 2, 3, 4};
    WaveformNormalizer.normalizeInPlace(x, WaveformNormalizer.Mode.WAV2VEC2);
    double std = Math.sqrt(1.25 + 1e-7);
    assertThat(x[0]).isEqualTo((float) (-1.5 / std));
    float[] y = {1, 2, 3, 4};
    WaveformNormalizer.normalizeInPlace(y, WaveformNormalizer.Mode.LAYER_NORM);
    assertThat(y[3]).isEqualTo((float) (1.5 / Math.sqrt(1.25 + 1e-5)));
  }
}
