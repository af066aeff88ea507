package io.github.tingxin.core.features;

import java.util.Locale;

/**
 * Kaldi's analysis windows, as {@code torchaudio.compliance.kaldi} computes them (symmetric, over the
 * frame length before zero padding). Immutable and thread-safe.
 */
public enum WindowType {
  /** Hann raised to the power 0.85 (Kaldi's default). */
  POVEY,
  /** Symmetric Hamming, 0.54 - 0.46 cos. */
  HAMMING,
  /** Symmetric Hann. */
  HANNING,
  /** All ones. */
  RECTANGULAR,
  /** Generalised Blackman with {@code blackman_coeff}. */
  BLACKMAN;

  /** The name Kaldi and torchaudio use ({@code povey}, {@code hamming}, ...). */
  public String kaldiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The window named {@code name} as Kaldi spells it.
   *
   * @throws IllegalArgumentException naming {@code window_type} for an unknown name
   */
  public static WindowType fromKaldiName(String name) {
    for (WindowType t : values()) {
      if (t.kaldiName().equals(name)) {
        return t;
      }
    }
    throw Checks.invalid("window_type", "'" + name + "' is not a window; use povey, hamming, hanning, rectangular"
        + " or blackman");
  }

  /** The window of {@code size} samples, computed in double precision. */
  double[] coefficients(int size, double blackmanCoeff) {
    double[] w = new double[size];
    double a = 2 * Math.PI / (size - 1);
    for (int i = 0; i < size; i++) {
      double hann = 0.5 - 0.5 * Math.cos(a * i);
      w[i] = switch (this) {
        case POVEY -> Math.pow(hann, 0.85);
        case HAMMING -> 0.54 - 0.46 * Math.cos(a * i);
        case HANNING -> hann;
        case RECTANGULAR -> 1.0;
        case BLACKMAN -> blackmanCoeff - 0.5 * Math.cos(a * i) + (0.5 - blackmanCoeff) * Math.cos(2 * a * i);
      };
    }
    return w;
  }
}
