package io.github.tingxin.core.features;

/**
 * {@link LanePowerSpectrum} in single precision, on a {@link FloatLaneFft}: the same steps in the same
 * order. Generated from {@link LanePowerSpectrum} by {@code FloatTwins} (test sources): change that
 * class, then regenerate.
 *
 * <p>Immutable and thread-safe; the {@link FloatLaneFft.Rows} are per thread.
 */
final class FloatLanePowerSpectrum {
  private final int frameSize;
  private final FloatLaneFft fft;
  /** {@code W_N^k = e^(-2 pi i k / N)}. */
  private final float[] twiddleRe;
  private final float[] twiddleIm;

  /**
   * @param frameSize {@code N}, even and at least 2
   */
  FloatLanePowerSpectrum(int frameSize) {
    if (frameSize < 2 || frameSize % 2 != 0) {
      throw new IllegalArgumentException("frame size " + frameSize);
    }
    this.frameSize = frameSize;
    int n = frameSize / 2;
    fft = new FloatLaneFft(n);
    twiddleRe = new float[n];
    twiddleIm = new float[n];
    for (int k = 0; k < n; k++) {
      double angle = -2 * Math.PI * k / frameSize;
      twiddleRe[k] = (float) Math.cos(angle);
      twiddleIm[k] = (float) Math.sin(angle);
    }
  }

  int frameSize() {
    return frameSize;
  }

  /** Bins computed: {@code N/2 + 1}, the last being the Nyquist frequency. */
  int bins() {
    return frameSize / 2 + 1;
  }

  FloatLaneFft.Rows newRows(int lanes) {
    return fft.newRows(lanes);
  }

  /**
   * Points {@code frame[t]} at the row that sample {@code t} of every frame must be written to before
   * {@link #compute}; the rows move between calls, so call it before filling each block.
   */
  void inputRows(FloatLaneFft.Rows rows, float[][] frame) {
    for (int t = 0; t < frameSize; t++) {
      int row = fft.inputRow(t >> 1);
      frame[t] = (t & 1) == 0 ? rows.re[row] : rows.im[row];
    }
  }

  /**
   * Transforms lanes {@code [0, lanes)} and points {@code spectrum[k]} ({@link #bins()} entries) at the row
   * that holds bin {@code k}: the power, or its square root with {@code magnitude}. The spectrum lives in
   * the transform's rows, so it is valid until they are next filled.
   */
  void compute(FloatLaneFft.Rows rows, int lanes, float[][] spectrum, boolean magnitude) {
    fft.transform(rows, lanes);
    float[][] re = rows.re;
    float[][] im = rows.im;
    int n = frameSize / 2;
    // X_0 = Re Z_0 + Im Z_0 and X_n = Re Z_0 - Im Z_0, both real.
    FloatLaneFft.sumDifference(re[0], im[0], lanes);
    square(re[0], lanes);
    square(im[0], lanes);
    spectrum[0] = re[0];
    spectrum[n] = im[0];
    for (int k = 1; k < n - k; k++) {
      // With A = Z_k and C = Z_(n-k): the even samples' spectrum E = (A + conj C) / 2, the odd ones'
      // O = (A - conj C) / 2i, and X_k = E + W^k O, X_(n-k) = conj(E - W^k O). The first kernel leaves
      // re[k] = 2 Re E, im[n-k] = 2 Im E and (im[k], re[n-k]) = 2 (Re W^k O, -Im W^k O); the second the
      // powers of X_k in re[k] and of X_(n-k) in im[k].
      evenOddParts(re[k], im[k], re[n - k], im[n - k], twiddleRe[k], -twiddleIm[k], lanes);
      quarterPowers(re[k], im[n - k], im[k], re[n - k], lanes);
      spectrum[k] = re[k];
      spectrum[n - k] = im[k];
    }
    if (n % 2 == 0 && n > 1) {
      // X_(n/2) = conj Z_(n/2)
      power(re[n / 2], im[n / 2], lanes);
      spectrum[n / 2] = re[n / 2];
    }
    if (magnitude) {
      for (int k = 0; k <= n; k++) {
        squareRoot(spectrum[k], lanes);
      }
    }
  }

  private static void square(float[] x, int lanes) {
    for (int f = 0; f < lanes; f++) {
      x[f] *= x[f];
    }
  }

  /** {@code re = re^2 + im^2}. */
  private static void power(float[] re, float[] im, int lanes) {
    for (int f = 0; f < lanes; f++) {
      re[f] = re[f] * re[f] + im[f] * im[f];
    }
  }

  /** {@code (a, d) = (a + c, b - d)} and {@code (b, c) = (b + d, a - c) (wr, wi)}, a complex product. */
  private static void evenOddParts(float[] a, float[] b, float[] c, float[] d, float wr, float wi,
      int lanes) {
    for (int f = 0; f < lanes; f++) {
      float x = a[f];
      float y = b[f];
      float z = c[f];
      float w = d[f];
      float u = y + w;
      float v = x - z;
      a[f] = x + z;
      d[f] = y - w;
      b[f] = u * wr - v * wi;
      c[f] = u * wi + v * wr;
    }
  }

  /**
   * {@code a = ((a + c)^2 + (b - d)^2) / 4} and {@code c = ((a - c)^2 + (b + d)^2) / 4}: the powers of
   * {@code (a + c + i (b - d)) / 2} and {@code (a - c + i (b + d)) / 2}.
   */
  private static void quarterPowers(float[] a, float[] b, float[] c, float[] d, int lanes) {
    for (int f = 0; f < lanes; f++) {
      float x = a[f];
      float y = b[f];
      float z = c[f];
      float w = d[f];
      float p = x + z;
      float q = x - z;
      float r = y + w;
      float t = y - w;
      a[f] = 0.25f * (p * p + t * t);
      c[f] = 0.25f * (q * q + r * r);
    }
  }

  private static void squareRoot(float[] x, int lanes) {
    for (int f = 0; f < lanes; f++) {
      x[f] = (float) Math.sqrt(x[f]);
    }
  }
}
