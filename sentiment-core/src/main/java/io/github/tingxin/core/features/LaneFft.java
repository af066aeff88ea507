package io.github.tingxin.core.features;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Forward complex FFTs of one size {@code n}, computed for many signals ("lanes") at once in double
 * precision: row {@code t} of a {@link Rows} table holds element {@code t} of every lane, so every
 * butterfly is a short loop over the lanes of a few rows. Such loops are what HotSpot's C2 compiler
 * turns into SIMD instructions; a frame-at-a-time FFT (JTransforms) runs scalar code. Used by the
 * extractors on blocks of frames, one frame per lane.
 *
 * <p>The algorithm is {@link FftPlan}'s: inputs go to rows in digit-reversed order ({@link #inputRow}),
 * outputs come out in natural order, stages run depth first (small blocks finish while their rows are in
 * L1 cache) and permute the table's row references (never the data) where that saves a copy. Sizes with
 * prime factors other than 2, 3 and 5 fall back to JTransforms, one lane at a time.
 *
 * <p>{@link FloatLaneFft} is this class in single precision (twice the lanes per SIMD instruction),
 * generated from it by {@code FloatTwins} (test sources; {@code FloatTwinsTest} fails when it is stale).
 *
 * <p>Each kernel below is one loop over the lanes with a small body: C2 (JDK 17) vectorises a loop only
 * when it unrolls it, and it unrolls only loops of fewer than about 60 IR nodes, so a whole radix-4
 * butterfly in one loop would stay scalar. Split differently, a kernel may silently stop vectorising:
 * measure ({@code FeatureBenchmark}) after any change here.
 *
 * <p>Immutable and thread-safe; the {@link Rows} are per thread.
 */
final class LaneFft {
  static final double C5A = Math.cos(2 * Math.PI / 5);
  static final double C5B = Math.cos(4 * Math.PI / 5);
  static final double S5A = Math.sin(2 * Math.PI / 5);
  static final double S5B = Math.sin(4 * Math.PI / 5);
  static final double S3 = Math.sin(2 * Math.PI / 3);
  static final double M5 = (C5A - C5B) / 2;

  private final FftPlan plan;
  private final int n;

  /**
   * @param n the transform size, at least 1
   */
  LaneFft(int n) {
    this.plan = new FftPlan(n);
    this.n = n;
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
    final double[][] re;
    final double[][] im;
    private final DoubleFFT_1D fallbackFft;
    private final double[] fallbackWork;

    private Rows(LaneFft fft, int lanes) {
      re = new double[fft.n][lanes];
      im = new double[fft.n][lanes];
      fallbackFft = fft.plan.fallback() ? new DoubleFFT_1D(fft.n) : null;
      fallbackWork = fft.plan.fallback() ? new double[2 * fft.n] : null;
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
  private void combine(double[][] re, double[][] im, int lanes, int s, int base) {
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
  private void stage(double[][] re, double[][] im, int lanes, int s, int base, int j) {
    int r = plan.radix[s];
    int m = plan.span[s];
    double[] wr = plan.twiddleRe[s];
    double[] wi = plan.twiddleIm[s];
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
    double[] work = rows.fallbackWork;
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
  private static void radix4(double[][] re, double[][] im, int p, int m, int lanes) {
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

  private static void radix3(double[][] re, double[][] im, int p, int m, int lanes) {
    int a = p;
    int b = p + m;
    int c = p + 2 * m;
    sumDifference(re[b], re[c], lanes);
    sumDifference(im[b], im[c], lanes);
    // b = s = x1 + x2, c = x1 - x2: y0 = a + s, u = a - s / 2, v = sin(2 pi / 3) (x1 - x2)
    sumAndScaledDifference(re[a], re[b], -0.5, lanes);
    sumAndScaledDifference(im[a], im[b], -0.5, lanes);
    Lanes.scale(re[c], S3, lanes);
    Lanes.scale(im[c], S3, lanes);
    minusPlusI(re[b], im[b], re[c], im[c], lanes);
  }

  // Winograd's 5-point DFT: with s1 = x1 + x4, s2 = x2 + x3, d1 = x1 - x4, d2 = x2 - x3,
  // y0 = x0 + s1 + s2; u1, u2 = x0 - (s1 + s2) / 4 +- M5 (s1 - s2) with M5 = (cos 2pi/5 - cos 4pi/5) / 2;
  // v1 = sin(2pi/5) d1 + sin(4pi/5) d2, v2 = sin(4pi/5) d1 - sin(2pi/5) d2; (y1, y4) = u1 -+ i v1,
  // (y2, y3) = u2 -+ i v2.
  private static void radix5(double[][] re, double[][] im, int p, int m, int lanes) {
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

  private static void swap(double[][] re, double[][] im, int x, int y) {
    double[] t = re[x];
    re[x] = re[y];
    re[y] = t;
    t = im[x];
    im[x] = im[y];
    im[y] = t;
  }

  // The kernels. Each must stay small enough for C2 to vectorise (see the class comment).

  /** {@code (xr, xi) *= (wr, wi)}. */
  static void rotate(double[] xr, double[] xi, double wr, double wi, int lanes) {
    for (int f = 0; f < lanes; f++) {
      double a = xr[f];
      double b = xi[f];
      xr[f] = a * wr - b * wi;
      xi[f] = a * wi + b * wr;
    }
  }

  /** {@link #rotate} of two complex rows by two twiddles. */
  private static void rotateTwo(double[] xr, double[] xi, double wr, double wi, double[] yr, double[] yi,
      double vr, double vi, int lanes) {
    for (int f = 0; f < lanes; f++) {
      double a = xr[f];
      double b = xi[f];
      double c = yr[f];
      double d = yi[f];
      xr[f] = a * wr - b * wi;
      xi[f] = a * wi + b * wr;
      yr[f] = c * vr - d * vi;
      yi[f] = c * vi + d * vr;
    }
  }

  /** The radix-2 butterfly {@code (x, y) = (x + w y, x - w y)} of complex rows. */
  private static void butterfly(double[] xr, double[] xi, double[] yr, double[] yi, double wr, double wi,
      int lanes) {
    for (int f = 0; f < lanes; f++) {
      double a = yr[f];
      double b = yi[f];
      double tr = a * wr - b * wi;
      double ti = a * wi + b * wr;
      double p = xr[f];
      double q = xi[f];
      xr[f] = p + tr;
      xi[f] = q + ti;
      yr[f] = p - tr;
      yi[f] = q - ti;
    }
  }

  /** {@code (a, b, c, d) = ((a + c) + (b + d), (a + c) - (b + d), a - c, b - d)}. */
  private static void fourPointSums(double[] a, double[] b, double[] c, double[] d, int lanes) {
    for (int f = 0; f < lanes; f++) {
      double w = a[f];
      double x = b[f];
      double y = c[f];
      double z = d[f];
      double s = w + y;
      double t = x + z;
      a[f] = s + t;
      b[f] = s - t;
      c[f] = w - y;
      d[f] = x - z;
    }
  }

  /** {@code (b, c, e, d) = (s1 + s2, m (s1 - s2), b - e, c - d)} with {@code s1 = b + e}, {@code s2 = c + d}. */
  private static void fivePointSums(double[] b, double[] c, double[] e, double[] d, double m, int lanes) {
    for (int f = 0; f < lanes; f++) {
      double w = b[f];
      double x = c[f];
      double y = e[f];
      double z = d[f];
      double s1 = w + y;
      double s2 = x + z;
      b[f] = s1 + s2;
      c[f] = (s1 - s2) * m;
      e[f] = w - y;
      d[f] = x - z;
    }
  }

  /** {@code (a, s, t) = (a + s, u + t, u - t)} with {@code u = a - s / 4}. */
  private static void centreAndSpread(double[] a, double[] s, double[] t, int lanes) {
    for (int f = 0; f < lanes; f++) {
      double x = a[f];
      double y = s[f];
      double z = t[f];
      double u = x - 0.25 * y;
      a[f] = x + y;
      s[f] = u + z;
      t[f] = u - z;
    }
  }

  /** {@code (x, y) = (x + y, x - y)}. */
  static void sumDifference(double[] x, double[] y, int lanes) {
    for (int f = 0; f < lanes; f++) {
      double a = x[f];
      double b = y[f];
      x[f] = a + b;
      y[f] = a - b;
    }
  }

  /** {@code (u, v) = (u - i v, u + i v)} for complex {@code u = ur + i ui}, {@code v = vr + i vi}. */
  private static void minusPlusI(double[] ur, double[] ui, double[] vr, double[] vi, int lanes) {
    for (int f = 0; f < lanes; f++) {
      double a = ur[f];
      double b = ui[f];
      double c = vr[f];
      double d = vi[f];
      ur[f] = a + d;
      ui[f] = b - c;
      vr[f] = a - d;
      vi[f] = b + c;
    }
  }

  /** {@code (a, s) = (a + s, a + c s)}. */
  private static void sumAndScaledDifference(double[] a, double[] s, double c, int lanes) {
    for (int f = 0; f < lanes; f++) {
      double x = a[f];
      double y = s[f];
      a[f] = x + y;
      s[f] = x + c * y;
    }
  }
}
