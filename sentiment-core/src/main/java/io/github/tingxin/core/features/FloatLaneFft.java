package io.github.tingxin.core.features;

import org.jtransforms.fft.FloatFFT_1D;

/**
 * {@link LaneFft} in single precision: the same plan, kernels and order of operations, each SIMD
 * instruction covering twice the lanes. For features whose reference is itself computed in float32
 * (Whisper's log-mel), where single-precision rounding stays far below the tolerance. Generated from
 * {@link LaneFft} by {@code FloatTwins} (test sources): change that class, then regenerate.
 *
 * <p>Immutable and thread-safe; the {@link Rows} are per thread.
 */
final class FloatLaneFft {
  private static final float S5A = (float) LaneFft.S5A;
  private static final float S5B = (float) LaneFft.S5B;
  private static final float S3 = (float) LaneFft.S3;
  private static final float M5 = (float) LaneFft.M5;

  private final FftPlan plan;
  private final int n;
  private final float[][] twiddleRe;
  private final float[][] twiddleIm;

  /**
   * @param n the transform size, at least 1
   */
  FloatLaneFft(int n) {
    this.plan = new FftPlan(n);
    this.n = n;
    twiddleRe = new float[plan.radix.length][];
    twiddleIm = new float[plan.radix.length][];
    for (int s = 0; s < plan.radix.length; s++) {
      twiddleRe[s] = new float[plan.twiddleRe[s].length];
      twiddleIm[s] = new float[plan.twiddleIm[s].length];
      for (int t = 0; t < twiddleRe[s].length; t++) {
        twiddleRe[s][t] = (float) plan.twiddleRe[s][t];
        twiddleIm[s][t] = (float) plan.twiddleIm[s][t];
      }
    }
  }

  /** The transform size. */
  int size() {
    return n;
  }

  /** The row of a {@link Rows} table that input element {@code i} goes to before {@link #transform}. */
  int inputRow(int i) {
    return plan.inputRow(i);
  }

  /** Work rows for this size and up to {@code lanes} lanes, for one thread. */
  Rows newRows(int lanes) {
    return new Rows(this, lanes);
  }

  /**
   * A table of {@code n} rows of real parts and {@code n} rows of imaginary parts, each {@code lanes} long,
   * plus what a fallback transform needs. Not thread-safe.
   */
  static final class Rows {
    final float[][] re;
    final float[][] im;
    private final FloatFFT_1D fallbackFft;
    private final float[] fallbackWork;

    private Rows(FloatLaneFft fft, int lanes) {
      re = new float[fft.n][lanes];
      im = new float[fft.n][lanes];
      fallbackFft = fft.plan.fallback() ? new FloatFFT_1D(fft.n) : null;
      fallbackWork = fft.plan.fallback() ? new float[2 * fft.n] : null;
    }

    int lanes() {
      return re[0].length;
    }
  }

  /**
   * Transforms lanes {@code [0, lanes)} in place: before, row {@link #inputRow(int) inputRow(i)} holds input
   * {@code i}; after, row {@code k} holds output {@code k} ({@code sum_i x_i e^(-2 pi i k i / n)}). The
   * table's row references may be reordered.
   */
  void transform(Rows rows, int lanes) {
    if (plan.fallback()) {
      transformEachLane(rows, lanes);
    } else if (plan.radix.length > 0) {
      combine(rows.re, rows.im, lanes, plan.radix.length - 1, 0);
    }
  }

  // Stages s and s - 1 on the block of span[s] * radix[s] rows from base, after the stages before them on
  // each of its sub-blocks: depth first, so that small blocks are finished while their rows are still in
  // L1 cache. The two stages are interleaved: butterfly j of stage s - 1 in each of the radix[s] sub-blocks
  // makes the rows that butterflies j, j + span[s - 1], ... of stage s combine, so these run right after,
  // while those radix[s] * radix[s - 1] rows are in L1, instead of after a pass over the whole block.
  private void combine(float[][] re, float[][] im, int lanes, int s, int base) {
    if (s == 0) {
      stage(re, im, lanes, 0, base, 0);
      return;
    }
    int r = plan.radix[s];
    int m = plan.span[s];
    int inner = plan.radix[s - 1];
    int innerSpan = plan.span[s - 1];
    if (s > 1) {
      for (int q = 0; q < r; q++) {
        for (int t = 0; t < inner; t++) {
          combine(re, im, lanes, s - 2, base + q * m + t * innerSpan);
        }
      }
    }
    for (int j = 0; j < innerSpan; j++) {
      for (int q = 0; q < r; q++) {
        stage(re, im, lanes, s - 1, base + q * m, j);
      }
      for (int t = 0; t < inner; t++) {
        stage(re, im, lanes, s, base, j + t * innerSpan);
      }
    }
  }

  // Butterfly j of stage s on the block from base: rows base + j + q span[s], q < radix[s].
  private void stage(float[][] re, float[][] im, int lanes, int s, int base, int j) {
    int r = plan.radix[s];
    int m = plan.span[s];
    float[] wr = twiddleRe[s];
    float[] wi = twiddleIm[s];
    int p = base + j;
    int t = j * (r - 1);
    if (r == 2) {
      // the twiddle (1 for j = 0) and the butterfly in one kernel
      butterfly(re[p], im[p], re[p + m], im[p + m], j > 0 ? wr[t] : 1, j > 0 ? wi[t] : 0, lanes);
      return;
    }
    if (j > 0) {
      int q = 1;
      for (; q + 1 < r; q += 2) {
        rotateTwo(re[p + q * m], im[p + q * m], wr[t + q - 1], wi[t + q - 1], re[p + (q + 1) * m],
            im[p + (q + 1) * m], wr[t + q], wi[t + q], lanes);
      }
      if (q < r) {
        rotate(re[p + q * m], im[p + q * m], wr[t + q - 1], wi[t + q - 1], lanes);
      }
    }
    switch (r) {
      case 4 -> radix4(re, im, p, m, lanes);
      case 3 -> radix3(re, im, p, m, lanes);
      default -> radix5(re, im, p, m, lanes);
    }
  }

  private void transformEachLane(Rows rows, int lanes) {
    float[] work = rows.fallbackWork;
    for (int f = 0; f < lanes; f++) {
      for (int t = 0; t < n; t++) {
        work[2 * t] = rows.re[t][f];
        work[2 * t + 1] = rows.im[t][f];
      }
      rows.fallbackFft.complexForward(work);
      for (int t = 0; t < n; t++) {
        rows.re[t][f] = work[2 * t];
        rows.im[t][f] = work[2 * t + 1];
      }
    }
  }

  // y_p = sum_q x_q (-i)^(pq): y0, y2 = (a + c) +- (b + d); y1, y3 = (a - c) -+ i (b - d).
  private static void radix4(float[][] re, float[][] im, int p, int m, int lanes) {
    int a = p;
    int b = p + m;
    int c = p + 2 * m;
    int d = p + 3 * m;
    fourPointSums(re[a], re[b], re[c], re[d], lanes);
    fourPointSums(im[a], im[b], im[c], im[d], lanes);
    // a = y0, b = y2; (c, d) = (a - c, b - d) -> (y1, y3)
    minusPlusI(re[c], im[c], re[d], im[d], lanes);
    swap(re, im, b, c);
  }

  private static void radix3(float[][] re, float[][] im, int p, int m, int lanes) {
    int a = p;
    int b = p + m;
    int c = p + 2 * m;
    sumDifference(re[b], re[c], lanes);
    sumDifference(im[b], im[c], lanes);
    // b = s = x1 + x2, c = x1 - x2: y0 = a + s, u = a - s / 2, v = sin(2 pi / 3) (x1 - x2)
    sumAndScaledDifference(re[a], re[b], -0.5f, lanes);
    sumAndScaledDifference(im[a], im[b], -0.5f, lanes);
    FloatLanes.scale(re[c], S3, lanes);
    FloatLanes.scale(im[c], S3, lanes);
    minusPlusI(re[b], im[b], re[c], im[c], lanes);
  }

  // Winograd's 5-point DFT: with s1 = x1 + x4, s2 = x2 + x3, d1 = x1 - x4, d2 = x2 - x3,
  // y0 = x0 + s1 + s2; u1, u2 = x0 - (s1 + s2) / 4 +- M5 (s1 - s2) with M5 = (cos 2pi/5 - cos 4pi/5) / 2;
  // v1 = sin(2pi/5) d1 + sin(4pi/5) d2, v2 = sin(4pi/5) d1 - sin(2pi/5) d2; (y1, y4) = u1 -+ i v1,
  // (y2, y3) = u2 -+ i v2.
  private static void radix5(float[][] re, float[][] im, int p, int m, int lanes) {
    int a = p;
    int b = p + m;
    int c = p + 2 * m;
    int d = p + 3 * m;
    int e = p + 4 * m;
    fivePointSums(re[b], re[c], re[e], re[d], M5, lanes);
    fivePointSums(im[b], im[c], im[e], im[d], M5, lanes);
    // b = s1 + s2, c = M5 (s1 - s2), e = d1, d = d2
    centreAndSpread(re[a], re[b], re[c], lanes);
    centreAndSpread(im[a], im[b], im[c], lanes);
    // a = y0, b = u1, c = u2. (v2, v1) is the complex product (d1 + i d2)(S5B + i S5A), computed in place
    // in (e, d) and swapped.
    rotate(re[e], re[d], S5B, S5A, lanes);
    rotate(im[e], im[d], S5B, S5A, lanes);
    swap(re, im, d, e);
    minusPlusI(re[b], im[b], re[e], im[e], lanes);
    minusPlusI(re[c], im[c], re[d], im[d], lanes);
  }

  private static void swap(float[][] re, float[][] im, int x, int y) {
    float[] t = re[x];
    re[x] = re[y];
    re[y] = t;
    t = im[x];
    im[x] = im[y];
    im[y] = t;
  }

  // The kernels. Each must stay small enough for C2 to vectorise (see the class comment).

  /** {@code (xr, xi) *= (wr, wi)}. */
  static void rotate(float[] xr, float[] xi, float wr, float wi, int lanes) {
    for (int f = 0; f < lanes; f++) {
      float a = xr[f];
      float b = xi[f];
      xr[f] = a * wr - b * wi;
      xi[f] = a * wi + b * wr;
    }
  }

  /** {@link #rotate} of two complex rows by two twiddles. */
  private static void rotateTwo(float[] xr, float[] xi, float wr, float wi, float[] yr, float[] yi,
      float vr, float vi, int lanes) {
    for (int f = 0; f < lanes; f++) {
      float a = xr[f];
      float b = xi[f];
      float c = yr[f];
      float d = yi[f];
      xr[f] = a * wr - b * wi;
      xi[f] = a * wi + b * wr;
      yr[f] = c * vr - d * vi;
      yi[f] = c * vi + d * vr;
    }
  }

  /** The radix-2 butterfly {@code (x, y) = (x + w y, x - w y)} of complex rows. */
  private static void butterfly(float[] xr, float[] xi, float[] yr, float[] yi, float wr, float wi,
      int lanes) {
    for (int f = 0; f < lanes; f++) {
      float a = yr[f];
      float b = yi[f];
      float tr = a * wr - b * wi;
      float ti = a * wi + b * wr;
      float p = xr[f];
      float q = xi[f];
      xr[f] = p + tr;
      xi[f] = q + ti;
      yr[f] = p - tr;
      yi[f] = q - ti;
    }
  }

  /** {@code (a, b, c, d) = ((a + c) + (b + d), (a + c) - (b + d), a - c, b - d)}. */
  private static void fourPointSums(float[] a, float[] b, float[] c, float[] d, int lanes) {
    for (int f = 0; f < lanes; f++) {
      float w = a[f];
      float x = b[f];
      float y = c[f];
      float z = d[f];
      float s = w + y;
      float t = x + z;
      a[f] = s + t;
      b[f] = s - t;
      c[f] = w - y;
      d[f] = x - z;
    }
  }

  /** {@code (b, c, e, d) = (s1 + s2, m (s1 - s2), b - e, c - d)} with {@code s1 = b + e}, {@code s2 = c + d}. */
  private static void fivePointSums(float[] b, float[] c, float[] e, float[] d, float m, int lanes) {
    for (int f = 0; f < lanes; f++) {
      float w = b[f];
      float x = c[f];
      float y = e[f];
      float z = d[f];
      float s1 = w + y;
      float s2 = x + z;
      b[f] = s1 + s2;
      c[f] = (s1 - s2) * m;
      e[f] = w - y;
      d[f] = x - z;
    }
  }

  /** {@code (a, s, t) = (a + s, u + t, u - t)} with {@code u = a - s / 4}. */
  private static void centreAndSpread(float[] a, float[] s, float[] t, int lanes) {
    for (int f = 0; f < lanes; f++) {
      float x = a[f];
      float y = s[f];
      float z = t[f];
      float u = x - 0.25f * y;
      a[f] = x + y;
      s[f] = u + z;
      t[f] = u - z;
    }
  }

  /** {@code (x, y) = (x + y, x - y)}. */
  static void sumDifference(float[] x, float[] y, int lanes) {
    for (int f = 0; f < lanes; f++) {
      float a = x[f];
      float b = y[f];
      x[f] = a + b;
      y[f] = a - b;
    }
  }

  /** {@code (u, v) = (u - i v, u + i v)} for complex {@code u = ur + i ui}, {@code v = vr + i vi}. */
  private static void minusPlusI(float[] ur, float[] ui, float[] vr, float[] vi, int lanes) {
    for (int f = 0; f < lanes; f++) {
      float a = ur[f];
      float b = ui[f];
      float c = vr[f];
      float d = vi[f];
      ur[f] = a + d;
      ui[f] = b - c;
      vr[f] = a - d;
      vi[f] = b + c;
    }
  }

  /** {@code (a, s) = (a + s, a + c s)}. */
  private static void sumAndScaledDifference(float[] a, float[] s, float c, int lanes) {
    for (int f = 0; f < lanes; f++) {
      float x = a[f];
      float y = s[f];
      a[f] = x + y;
      s[f] = x + c * y;
    }
  }
}
