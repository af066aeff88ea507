package io.github.tingxin.core.features;

/**
 * Kaldi's triangular mel filterbank ({@code MelBanksOptions}), with the bin count that Kaldi's fbank and
 * MFCC options and torchaudio use (23; the bare C++ struct says 25). The recipe keyword is in brackets.
 *
 * <p>Immutable and thread-safe. Frequencies are checked against the Nyquist frequency when an extractor
 * is made, as only then is the sample rate known.
 *
 * @param numBins number of triangular bins, from 4 to {@value #MAX_BINS} [{@code num_mel_bins}], default 23
 * @param lowFreq low edge of the first bin in hertz, at least 0 and below the Nyquist frequency
 *     [{@code low_freq}], default 20
 * @param highFreq high edge of the last bin in hertz; 0 means the Nyquist frequency and a negative value
 *     an offset below it [{@code high_freq}], default 0
 * @param vtlnLow lower inflection point of VTLN warping in hertz [{@code vtln_low}], default 100
 * @param vtlnHigh upper inflection point of VTLN warping, negative meaning an offset from the Nyquist
 *     frequency [{@code vtln_high}], default -500
 */
public record MelOptions(int numBins, double lowFreq, double highFreq, double vtlnLow, double vtlnHigh) {
  /** Most bins. */
  public static final int MAX_BINS = 1024;

  private static final MelOptions DEFAULTS = new MelOptions(23, 20, 0, 100, -500);

  /**
   * @throws IllegalArgumentException naming the option whose value is outside its range
   */
  public MelOptions {
    Checks.inRange(numBins, 4, MAX_BINS, "num_mel_bins");
    Checks.nonNegative(lowFreq, "low_freq");
    Checks.finite(highFreq, "high_freq");
    Checks.finite(vtlnLow, "vtln_low");
    Checks.finite(vtlnHigh, "vtln_high");
  }

  /** torchaudio's defaults. */
  public static MelOptions defaults() {
    return DEFAULTS;
  }

  /** A copy with {@code numBins} changed. */
  public MelOptions withNumBins(int v) {
    return new MelOptions(v, lowFreq, highFreq, vtlnLow, vtlnHigh);
  }

  /** A copy with {@code lowFreq} changed. */
  public MelOptions withLowFreq(double v) {
    return new MelOptions(numBins, v, highFreq, vtlnLow, vtlnHigh);
  }

  /** A copy with {@code highFreq} changed. */
  public MelOptions withHighFreq(double v) {
    return new MelOptions(numBins, lowFreq, v, vtlnLow, vtlnHigh);
  }

  /** A copy with {@code vtlnLow} changed. */
  public MelOptions withVtlnLow(double v) {
    return new MelOptions(numBins, lowFreq, highFreq, v, vtlnHigh);
  }

  /** A copy with {@code vtlnHigh} changed. */
  public MelOptions withVtlnHigh(double v) {
    return new MelOptions(numBins, lowFreq, highFreq, vtlnLow, v);
  }

  /** The high edge in hertz once 0 and negative values are resolved against {@code sampFreq}. */
  double resolvedHighFreq(double sampFreq) {
    return highFreq <= 0 ? highFreq + 0.5 * sampFreq : highFreq;
  }

  /** Checks the band against the Nyquist frequency of {@code sampFreq}. */
  void checkAgainst(double sampFreq) {
    double nyquist = 0.5 * sampFreq;
    double high = resolvedHighFreq(sampFreq);
    if (!(lowFreq < nyquist)) {
      throw Checks.invalid("low_freq", lowFreq + " Hz is not below the Nyquist frequency " + nyquist + " Hz");
    }
    if (!(high > 0 && high <= nyquist && lowFreq < high)) {
      throw Checks.invalid("high_freq", "resolves to " + high + " Hz, which must be in (low_freq " + lowFreq
          + " Hz, Nyquist " + nyquist + " Hz]");
    }
  }
}
