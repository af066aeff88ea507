package io.github.tingxin.core.features;

/**
 * The power (or magnitude) spectrum of real frames of an even length {@code N}, many frames at once, in
 * double precision: bins {@code 0 .. N/2} of {@code |X_k|^2}, {@code X_k = sum_t x_t e^(-2 pi i k t / N)}.
 * The frames are packed two samples to a complex element ({@code z_t = x_2t + i x_2t+1}) and transformed
 * by one {@link LaneFft} of size {@code N/2}; the spectra of the even and odd samples are then separated
 * and combined, the usual real-input FFT.
 *
 * <p>{@link FloatLanePowerSpectrum} is this class in single precision, generated from it by
 * {@code FloatTwins} (test sources; {@code FloatTwinsTest} fails when it is stale).
 *
 * <p>Immutable and thread-safe; the {@link LaneFft.Rows} are per thread.
 */
final class LanePowerSpectrum {
  private final int frameSize;
  private final LaneFft fft;
  /** {@code W_N^k = e^(-2 pi i k / N)}. */
  private final double[] twiddleRe;
  private final double[] twiddleIm;

  /**
   * @param frameSize {@code N}, even and at least 2
   */
  LanePowerSpectrum(int frameSize) {
    if (frameSize < 2 || frameSize % 2 != 0) {
      throw new IllegalArgumentException("frame size " + frameSize);
    }
    this.frameSize = frameSize;
    int n = frameSize / 2;
    fft = new LaneFft(n);
    twiddleRe = new double[n];
    twiddleIm = new double[n];
    for (int k = 0; k < n; k++) {
      double angle = -2 * Math.PI * k / frameSize;
      twiddleRe[k] = Math.cos(angle);
      twiddleIm[k] = Math.sin(angle);
    }
  }

  int frameSize() {
    return frameSize;
  }

  /** Bins computed: {@code N/2 + 1}, the last being the Nyquist frequency. */
  int bins() {
    return frameSize / 2 + 1;
  }

  LaneFft.Rows newRows(int lanes) {
    return fft.newRows(lanes);
  }

  /**
   * Points {@code frame[t]} at the row that sample {@code t} of every frame must be written to before
   * {@link #compute}; the rows move between calls, so call it before filling each block.
   */
  void inputRows(LaneFft.Rows rows, double[][] frame) {
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
  void compute(LaneFft.Rows rows, int lanes, double[][] spectrum, boolean magnitude) {
    fft.transform(rows, lanes);
    double[][] re = rows.re;
    double[][] im = rows.im;
    int n = frameSize / 2;
    // X_0 = Re Z_0 + Im Z_0 and X_n = Re Z_0 - Im Z_0, both real.
    LaneFft.sumDifference(re[0], im[0], lanes);
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

  private static void square(double[] x, int lanes) {
    for (int f = 0; f < lanes; f++) {
      x[f] *= x[f];
    }
  }

  /** {@code re = re^2 + im^2}. */
  private static void power(double[] re, double[] im, int lanes) {
    for (int f = 0; f < lanes; f++) {
      re[f] = re[f] * re[f] + im[f] * im[f];
    }
  }

  /** {@code (a, d) = (a + c, b - d)} and {@code (b, c) = (b + d, a - c) (wr, wi)}, a complex product. */
  private static void evenOddParts(double[] a, double[] b, double[] c, double[] d, double wr, double wi,
      int lanes) {
    for (int f = 0; f < lanes; f++) {
      double x = a[f];
      double y = b[f];
      double z = c[f];
      double w = d[f];
      double u = y + w;
      double v = x - z;
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
  private static void quarterPowers(double[] a, double[] b, double[] c, double[] d, int lanes) {
    for (int f = 0; f < lanes; f++) {
      double x = a[f];
      double y = b[f];
      double z = c[f];
      double w = d[f];
      double p = x + z;
      double q = x - z;
      double r = y + w;
      double t = y - w;
      a[f] = 0.25 * (p * p + t * t);
      c[f] = 0.25 * (q * q + r * r);
    }
  }

  private static void squareRoot(double[] x, int lanes) {
    for (int f = 0; f < lanes; f++) {
      x[f] = Math.sqrt(x[f]);
    }
  }
}
