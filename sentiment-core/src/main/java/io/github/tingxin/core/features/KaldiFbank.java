package io.github.tingxin.core.features;

import java.util.Objects;

/**
 * Kaldi log mel filterbank features, equal to {@code torchaudio.compliance.kaldi.fbank} (and Kaldi's
 * {@code compute-fbank-feats}) within float rounding. Rows are frames; each row holds the log energy
 * first (last with {@code htk_compat}) when {@code use_energy}, then {@code num_mel_bins} values.
 *
 * <p>Audio shorter than one frame gives zero frames with {@code snip_edges} (as Kaldi; torchaudio raises
 * an error there), and frames then follow Kaldi's count.
 *
 * <p>Immutable and thread-safe: one instance may serve many threads. Work buffers are lent to one call at a time, so
 * {@link #extract(float[], int, int, float[], int)} allocates nothing and the other methods only their
 * output. All arithmetic up to the final rounding of each value to float is in double precision.
 */
public final class KaldiFbank extends KaldiFrameFeature {
  private final FbankOptions opts;

  /**
   * @param opts the options
   * @throws NullPointerException if {@code opts} is null
   */
  public KaldiFbank(FbankOptions opts) {
    super(Objects.requireNonNull(opts, "opts").frameOpts(), opts.melOpts(), opts.useEnergy(), opts.rawEnergy(),
        opts.energyFloor(), opts.usePower(), opts.useLogFbank());
    this.opts = opts;
  }

  /** The options. */
  public FbankOptions options() {
    return opts;
  }

  @Override
  public int dim() {
    return opts.dim();
  }

  @Override
  boolean subtractMean() {
    return opts.subtractMean();
  }

  @Override
  void writeBlock(Scratch s, int lanes, float[] out, int outOffset) {
    int dim = opts.dim();
    double[][] mel = s.mel;
    double[] energy = s.energy;
    int bins = mel.length;
    boolean useEnergy = opts.useEnergy();
    // The energy goes first, or last with htk_compat.
    int energyAt = opts.htkCompat() ? bins : 0;
    int melFrom = useEnergy && !opts.htkCompat() ? 1 : 0;
    for (int f = 0; f < lanes; f++) {
      int o = outOffset + f * dim;
      if (useEnergy) {
        out[o + energyAt] = (float) energy[f];
      }
      for (int b = 0; b < bins; b++) {
        out[o + melFrom + b] = (float) mel[b][f];
      }
    }
  }

  @Override
  public String toString() {
    return "KaldiFbank" + opts;
  }
}
