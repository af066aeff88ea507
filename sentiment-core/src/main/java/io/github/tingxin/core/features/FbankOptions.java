package io.github.tingxin.core.features;

import java.util.Objects;

/**
 * Kaldi filterbank options ({@code FbankOptions}) with {@code torchaudio.compliance.kaldi.fbank}'s
 * defaults (which differ from Kaldi's C++ in {@code energy_floor}: 1.0 here, 0.0 in Kaldi). The recipe
 * keyword is in brackets.
 *
 * <p>Immutable and thread-safe.
 *
 * @param frameOpts framing and per-frame conditioning
 * @param melOpts the mel filterbank ({@code num_mel_bins} 23 by default)
 * @param useEnergy add the log energy as an extra dimension [{@code use_energy}], default false
 * @param energyFloor floor on the energy, absolute; 0 for none [{@code energy_floor}], default 1.0
 * @param rawEnergy compute the energy before pre-emphasis and windowing [{@code raw_energy}], default true
 * @param htkCompat put the energy last instead of first [{@code htk_compat}], default false
 * @param useLogFbank natural log of the filterbank energies (floored at float epsilon)
 *     [{@code use_log_fbank}], default true
 * @param usePower power spectrum instead of magnitude [{@code use_power}], default true
 * @param subtractMean subtract each dimension's mean over the utterance [{@code subtract_mean}], default
 *     false (one-shot extraction only)
 * @param vtlnWarp VTLN warp factor [{@code vtln_warp}], default 1.0; only 1.0 is supported
 */
public record FbankOptions(FrameOptions frameOpts, MelOptions melOpts, boolean useEnergy, double energyFloor,
    boolean rawEnergy, boolean htkCompat, boolean useLogFbank, boolean usePower, boolean subtractMean,
    double vtlnWarp) {

  private static final FbankOptions DEFAULTS = new FbankOptions(FrameOptions.defaults(), MelOptions.defaults(),
      false, 1.0, true, false, true, true, false, 1.0);

  /**
   * @throws IllegalArgumentException naming an option whose value is outside its range (including a mel
   *     band outside the Nyquist frequency)
   * @throws io.github.tingxin.api.TingxinException {@link io.github.tingxin.api.ErrorCode#UNSUPPORTED_OPTION}
   *     for {@code vtln_warp} other than 1.0
   * @throws NullPointerException if an options record is null
   */
  public FbankOptions {
    Objects.requireNonNull(frameOpts, "frameOpts");
    Objects.requireNonNull(melOpts, "melOpts");
    Checks.nonNegative(energyFloor, "energy_floor");
    checkVtln(vtlnWarp);
    melOpts.checkAgainst(frameOpts.sampFreq());
  }

  static void checkVtln(double vtlnWarp) {
    Checks.positive(vtlnWarp, "vtln_warp");
    if (vtlnWarp != 1.0) {
      throw Checks.unsupported("vtln_warp", vtlnWarp + " is not supported: Tingxin computes unwarped mel"
          + " banks only; use 1.0");
    }
  }

  /** torchaudio's defaults. */
  public static FbankOptions defaults() {
    return DEFAULTS;
  }

  /** Values per frame: the bins, plus one for the energy. */
  public int dim() {
    return melOpts.numBins() + (useEnergy ? 1 : 0);
  }

  /** A copy with {@code frameOpts} changed. */
  public FbankOptions withFrameOpts(FrameOptions v) {
    return new FbankOptions(v, melOpts, useEnergy, energyFloor, rawEnergy, htkCompat, useLogFbank, usePower,
        subtractMean, vtlnWarp);
  }

  /** A copy with {@code melOpts} changed. */
  public FbankOptions withMelOpts(MelOptions v) {
    return new FbankOptions(frameOpts, v, useEnergy, energyFloor, rawEnergy, htkCompat, useLogFbank, usePower,
        subtractMean, vtlnWarp);
  }

  /** A copy with {@code useEnergy} changed. */
  public FbankOptions withUseEnergy(boolean v) {
    return new FbankOptions(frameOpts, melOpts, v, energyFloor, rawEnergy, htkCompat, useLogFbank, usePower,
        subtractMean, vtlnWarp);
  }

  /** A copy with {@code energyFloor} changed. */
  public FbankOptions withEnergyFloor(double v) {
    return new FbankOptions(frameOpts, melOpts, useEnergy, v, rawEnergy, htkCompat, useLogFbank, usePower,
        subtractMean, vtlnWarp);
  }

  /** A copy with {@code rawEnergy} changed. */
  public FbankOptions withRawEnergy(boolean v) {
    return new FbankOptions(frameOpts, melOpts, useEnergy, energyFloor, v, htkCompat, useLogFbank, usePower,
        subtractMean, vtlnWarp);
  }

  /** A copy with {@code htkCompat} changed. */
  public FbankOptions withHtkCompat(boolean v) {
    return new FbankOptions(frameOpts, melOpts, useEnergy, energyFloor, rawEnergy, v, useLogFbank, usePower,
        subtractMean, vtlnWarp);
  }

  /** A copy with {@code useLogFbank} changed. */
  public FbankOptions withUseLogFbank(boolean v) {
    return new FbankOptions(frameOpts, melOpts, useEnergy, energyFloor, rawEnergy, htkCompat, v, usePower,
        subtractMean, vtlnWarp);
  }

  /** A copy with {@code usePower} changed. */
  public FbankOptions withUsePower(boolean v) {
    return new FbankOptions(frameOpts, melOpts, useEnergy, energyFloor, rawEnergy, htkCompat, useLogFbank, v,
        subtractMean, vtlnWarp);
  }

  /** A copy with {@code subtractMean} changed. */
  public FbankOptions withSubtractMean(boolean v) {
    return new FbankOptions(frameOpts, melOpts, useEnergy, energyFloor, rawEnergy, htkCompat, useLogFbank,
        usePower, v, vtlnWarp);
  }

  /** A copy with {@code vtlnWarp} changed. */
  public FbankOptions withVtlnWarp(double v) {
    return new FbankOptions(frameOpts, melOpts, useEnergy, energyFloor, rawEnergy, htkCompat, useLogFbank,
        usePower, subtractMean, v);
  }
}
