package io.github.tingxin.core.features;

import java.util.Objects;

/**
 * Kaldi MFCC options ({@code MfccOptions}). Defaults are {@code torchaudio.compliance.kaldi.mfcc}'s except
 * {@code use_energy}, which is true as in Kaldi's C++ and in Tingxin's recipe table
 * ({@code docs/model-package.md}); torchaudio's own default is false, so a model trained with torchaudio's
 * defaults must say {@code use_energy: false} in its recipe. The recipe keyword is in brackets.
 *
 * <p>Immutable and thread-safe.
 *
 * @param frameOpts framing and per-frame conditioning
 * @param melOpts the mel filterbank ({@code num_mel_bins} 23 by default)
 * @param numCeps cepstra kept, including C0, at most {@code num_mel_bins} [{@code num_ceps}], default 13
 * @param useEnergy replace C0 by the log energy [{@code use_energy}], default true
 * @param energyFloor floor on the energy, absolute; 0 for none [{@code energy_floor}], default 1.0
 * @param rawEnergy compute the energy before pre-emphasis and windowing [{@code raw_energy}], default true
 * @param cepstralLifter liftering coefficient, 0 for none, at most {@value #MAX_LIFTER}
 *     [{@code cepstral_lifter}], default 22
 * @param htkCompat put C0/energy last (times sqrt 2 when it is C0) [{@code htk_compat}], default false
 * @param subtractMean subtract each dimension's mean over the utterance [{@code subtract_mean}], default
 *     false (one-shot extraction only)
 * @param vtlnWarp VTLN warp factor [{@code vtln_warp}], default 1.0; only 1.0 is supported
 */
public record MfccOptions(FrameOptions frameOpts, MelOptions melOpts, int numCeps, boolean useEnergy,
    double energyFloor, boolean rawEnergy, double cepstralLifter, boolean htkCompat, boolean subtractMean,
    double vtlnWarp) {

  /** Largest {@code cepstral_lifter}. */
  public static final double MAX_LIFTER = 10_000;

  private static final MfccOptions DEFAULTS = new MfccOptions(FrameOptions.defaults(), MelOptions.defaults(),
      13, true, 1.0, true, 22.0, false, false, 1.0);

  /**
   * @throws IllegalArgumentException naming an option whose value is outside its range
   * @throws io.github.tingxin.api.TingxinException {@link io.github.tingxin.api.ErrorCode#UNSUPPORTED_OPTION}
   *     for {@code vtln_warp} other than 1.0
   * @throws NullPointerException if an options record is null
   */
  public MfccOptions {
    Objects.requireNonNull(frameOpts, "frameOpts");
    Objects.requireNonNull(melOpts, "melOpts");
    if (numCeps < 1 || numCeps > melOpts.numBins()) {
      throw Checks.invalid("num_ceps", "must be a whole number from 1 to num_mel_bins (" + melOpts.numBins()
          + "), got " + numCeps);
    }
    Checks.nonNegative(energyFloor, "energy_floor");
    Checks.inRange(cepstralLifter, 0, MAX_LIFTER, "cepstral_lifter");
    FbankOptions.checkVtln(vtlnWarp);
    melOpts.checkAgainst(frameOpts.sampFreq());
  }

  /** The defaults described above. */
  public static MfccOptions defaults() {
    return DEFAULTS;
  }

  /** A copy with {@code frameOpts} changed. */
  public MfccOptions withFrameOpts(FrameOptions v) {
    return new MfccOptions(v, melOpts, numCeps, useEnergy, energyFloor, rawEnergy, cepstralLifter, htkCompat,
        subtractMean, vtlnWarp);
  }

  /** A copy with {@code melOpts} changed. */
  public MfccOptions withMelOpts(MelOptions v) {
    return new MfccOptions(frameOpts, v, numCeps, useEnergy, energyFloor, rawEnergy, cepstralLifter, htkCompat,
        subtractMean, vtlnWarp);
  }

  /** A copy with {@code numCeps} changed. */
  public MfccOptions withNumCeps(int v) {
    return new MfccOptions(frameOpts, melOpts, v, useEnergy, energyFloor, rawEnergy, cepstralLifter, htkCompat,
        subtractMean, vtlnWarp);
  }

  /** A copy with {@code useEnergy} changed. */
  public MfccOptions withUseEnergy(boolean v) {
    return new MfccOptions(frameOpts, melOpts, numCeps, v, energyFloor, rawEnergy, cepstralLifter, htkCompat,
        subtractMean, vtlnWarp);
  }

  /** A copy with {@code energyFloor} changed. */
  public MfccOptions withEnergyFloor(double v) {
    return new MfccOptions(frameOpts, melOpts, numCeps, useEnergy, v, rawEnergy, cepstralLifter, htkCompat,
        subtractMean, vtlnWarp);
  }

  /** A copy with {@code rawEnergy} changed. */
  public MfccOptions withRawEnergy(boolean v) {
    return new MfccOptions(frameOpts, melOpts, numCeps, useEnergy, energyFloor, v, cepstralLifter, htkCompat,
        subtractMean, vtlnWarp);
  }

  /** A copy with {@code cepstralLifter} changed. */
  public MfccOptions withCepstralLifter(double v) {
    return new MfccOptions(frameOpts, melOpts, numCeps, useEnergy, energyFloor, rawEnergy, v, htkCompat,
        subtractMean, vtlnWarp);
  }

  /** A copy with {@code htkCompat} changed. */
  public MfccOptions withHtkCompat(boolean v) {
    return new MfccOptions(frameOpts, melOpts, numCeps, useEnergy, energyFloor, rawEnergy, cepstralLifter, v,
        subtractMean, vtlnWarp);
  }

  /** A copy with {@code subtractMean} changed. */
  public MfccOptions withSubtractMean(boolean v) {
    return new MfccOptions(frameOpts, melOpts, numCeps, useEnergy, energyFloor, rawEnergy, cepstralLifter,
        htkCompat, v, vtlnWarp);
  }

  /** A copy with {@code vtlnWarp} changed. */
  public MfccOptions withVtlnWarp(double v) {
    return new MfccOptions(frameOpts, melOpts, numCeps, useEnergy, energyFloor, rawEnergy, cepstralLifter,
        htkCompat, subtractMean, v);
  }

  /** The filterbank these MFCCs are computed from (log power, energy as configured, no mean subtraction). */
  FbankOptions fbankOptions() {
    return new FbankOptions(frameOpts, melOpts, useEnergy, energyFloor, rawEnergy, false, true, true, false,
        vtlnWarp);
  }
}
