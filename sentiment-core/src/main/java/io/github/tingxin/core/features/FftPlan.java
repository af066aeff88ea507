package io.github.tingxin.core.features;

import java.util.ArrayList;
import java.util.List;

/**
 * How {@link LaneFft} and {@link FloatLaneFft} compute a forward complex FFT of size {@code n}: an in-place
 * mixed-radix decimation-in-time Cooley-Tukey FFT with radices 5, 3, 4 and 2 (in that order, so that the
 * first stage, which needs no twiddles, takes the largest radix), with the inputs placed in digit-reversed
 * order and the outputs in natural order. Sizes with other prime factors are computed by JTransforms
 * instead ({@link #fallback()}). Immutable and thread-safe.
 */
final class FftPlan {
  final int n;
  /** Radix of each stage, and the length of the sub-transforms it combines. */
  final int[] radix;
  final int[] span;
  /** Per stage, twiddle {@code W_L^(q j)} of butterfly {@code j}, input {@code q >= 1}, at {@code j * (r - 1) + q - 1}. */
  final double[][] twiddleRe;
  final double[][] twiddleIm;
  private final int[] inputRow;
  private final boolean fallback;

  /**
   * @param n the transform size, at least 1
   */
  FftPlan(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("FFT size " + n);
    }
    this.n = n;
    List<Integer> radices = new ArrayList<>();
    int rest = n;
    for (int r : new int[] {5, 3, 4, 2}) {
      while (rest % r == 0) {
        radices.add(r);
        rest /= r;
      }
    }
    fallback = rest != 1;
    inputRow = new int[n];
    int stages = fallback ? 0 : radices.size();
    radix = new int[stages];
    span = new int[stages];
    twiddleRe = new double[stages][];
    twiddleIm = new double[stages][];
    int sub = 1;
    for (int s = 0; s < stages; s++) {
      int r = radices.get(s);
      int length = sub * r;
      radix[s] = r;
      span[s] = sub;
      twiddleRe[s] = new double[sub * (r - 1)];
      twiddleIm[s] = new double[sub * (r - 1)];
      for (int j = 0; j < sub; j++) {
        for (int q = 1; q < r; q++) {
          double angle = -2 * Math.PI * ((long) q * j % length) / length;
          twiddleRe[s][j * (r - 1) + q - 1] = Math.cos(angle);
          twiddleIm[s][j * (r - 1) + q - 1] = Math.sin(angle);
        }
      }
      sub = length;
    }
    if (fallback) {
      for (int i = 0; i < n; i++) {
        inputRow[i] = i;
      }
    } else {
      placeInputs(0, 1, n, stages - 1, 0);
    }
  }

  // The last stage (radix r) combines r sub-transforms of the inputs first + stride * (q + r u), placed one
  // after another; each is laid out the same way by the stages before it.
  private void placeInputs(int first, int stride, int length, int stage, int base) {
    if (length == 1) {
      inputRow[first] = base;
      return;
    }
    int r = radix[stage];
    int sub = length / r;
    for (int q = 0; q < r; q++) {
      placeInputs(first + stride * q, stride * r, sub, stage - 1, base + q * sub);
    }
  }

  /** The row that input element {@code i} goes to before a transform. */
  int inputRow(int i) {
    return inputRow[i];
  }

  /** Whether the size has a prime factor other than 2, 3 and 5, so JTransforms computes it. */
  boolean fallback() {
    return fallback;
  }
}
