package io.github.tingxin.core.features;

import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * Kaldi log mel filterbank features, equal to {@code torchaudio.compliance.kaldi.fbank} (and Kaldi's
 * {@code compute-fbank-feats}) within float rounding. Rows are frames; each row holds the log energy
 * first (last with {@code htk_compat}) when {@code use_energy}, then {@code num_mel_bins} values.
 *
 * <p>Audio shorter than one frame gives zero frames with {@code snip_edges} (as Kaldi; torchaudio raises
 * an error there), and frames then follow Kaldi's count.
 *
 * <p>Immutable and thread-safe: one instance may serve many threads. A call allocates only its output;
 * scratch buffers are per thread. For streaming, see {@link #online()}.
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
  void computeFrame(FloatBuffer src, long srcStart, long numSamples, int frame, Scratch s, float[] out,
      int outOffset) {
    float energy = (float) melFrame(src, srcStart, numSamples, frame, s);
    int o = outOffset;
    boolean useEnergy = opts.useEnergy();
    boolean htk = opts.htkCompat();
    if (useEnergy && !htk) {
      out[o++] = energy;
    }
    double[] mel = s.mel;
    for (int b = 0; b < mel.length; b++) {
      out[o++] = (float) mel[b];
    }
    if (useEnergy && htk) {
      out[o] = energy;
    }
  }

  @Override
  public String toString() {
    return "KaldiFbank" + opts;
  }
}
