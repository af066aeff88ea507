package io.github.tingxin.core.features;

import io.github.tingxin.spi.Features;
import java.util.Objects;

/**
 * Low frame rate stacking as FunASR's {@code apply_lfr(inputs, lfr_m, lfr_n)} (SenseVoice, Paraformer):
 * output frame {@code i} concatenates input frames {@code i*n - (m-1)/2 .. i*n - (m-1)/2 + m - 1}, the
 * first frame repeated on the left and the last on the right; {@code ceil(T / n)} frames of
 * {@code m * dim} values.
 *
 * <p>Immutable and thread-safe.
 *
 * @param m frames stacked [{@code lfr_m}], at least 1
 * @param n frames advanced [{@code lfr_n}], at least 1
 */
public record Lfr(int m, int n) {
  /** @throws io.github.tingxin.api.TingxinException {@code INVALID_OPTION} if {@code m} or {@code n} is below 1 */
  public Lfr {
    if (m < 1) {
      throw Checks.invalid("lfr_m", "must be >= 1, got " + m);
    }
    if (n < 1) {
      throw Checks.invalid("lfr_n", "must be >= 1, got " + n);
    }
  }

  /** Whether this stacking changes nothing ({@code m == n == 1}). */
  public boolean isIdentity() {
    return m == 1 && n == 1;
  }

  /** Output frames for {@code frames} input frames. */
  public int numFrames(int frames) {
    return (frames + n - 1) / n;
  }

  /** Stacks {@code in} into new features. */
  public Features apply(Features in) {
    Objects.requireNonNull(in, "in");
    if (isIdentity()) {
      return in;
    }
    int t = in.frames();
    int dim = in.dim();
    int outFrames = numFrames(t);
    int outDim = m * dim;
    float[] src = in.data();
    float[] out = new float[outFrames * outDim];
    int left = (m - 1) / 2;
    for (int i = 0; i < outFrames; i++) {
      for (int j = 0; j < m; j++) {
        int frame = Math.min(Math.max(i * n - left + j, 0), t - 1);
        System.arraycopy(src, frame * dim, out, i * outDim + j * dim, dim);
      }
    }
    return new Features(out, outFrames, outDim);
  }
}
