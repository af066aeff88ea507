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
 * @param m frames stacked, from 1 to {@value #MAX_FRAMES} [{@code lfr_m}]
 * @param n frames advanced, from 1 to {@value #MAX_FRAMES} [{@code lfr_n}]
 */
public record Lfr(int m, int n) {
  /** Most frames stacked or advanced. */
  public static final int MAX_FRAMES = 64;

  /** @throws IllegalArgumentException naming {@code lfr_m} or {@code lfr_n} if it is outside its range */
  public Lfr {
    Checks.inRange(m, 1, MAX_FRAMES, "lfr_m");
    Checks.inRange(n, 1, MAX_FRAMES, "lfr_n");
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
    float[] out = new float[outFrames * m * dim];
    for (int i = 0; i < outFrames; i++) {
      stack(i, in.data(), 0, t, dim, out, i * m * dim);
    }
    return new Features(out, outFrames, m * dim);
  }

  /** Input frame {@code j} (from 0 to {@code m - 1}) of output frame {@code i}, for {@code frames} input frames. */
  int source(int i, int j, int frames) {
    return Math.min(Math.max(i * n - (m - 1) / 2 + j, 0), frames - 1);
  }

  /**
   * Writes output frame {@code i} to {@code out[outOffset...]} from {@code frames} input frames of which
   * {@code src} holds frames from {@code first} on (all that frame {@code i} needs).
   */
  void stack(int i, float[] src, int first, int frames, int dim, float[] out, int outOffset) {
    for (int j = 0; j < m; j++) {
      System.arraycopy(src, (source(i, j, frames) - first) * dim, out, outOffset + j * dim, dim);
    }
  }
}
