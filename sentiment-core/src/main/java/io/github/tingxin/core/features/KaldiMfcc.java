package io.github.tingxin.core.features;

import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * Kaldi MFCCs, equal to {@code torchaudio.compliance.kaldi.mfcc} (and Kaldi's {@code compute-mfcc-feats})
 * within float rounding: log mel energies, Kaldi's DCT (C0 weighted by sqrt(1/bins)), liftering, and C0
 * replaced by the log energy with {@code use_energy}.
 *
 * <p>Audio shorter than one frame gives zero frames with {@code snip_edges} (as Kaldi).
 *
 * <p>Immutable and thread-safe: one instance may serve many threads. A call allocates only its output;
 * scratch buffers are per thread. For streaming, see {@link #online()}.
 */
public final class KaldiMfcc extends KaldiFrameFeature {
  private static final double SQRT2 = Math.sqrt(2);

  private final MfccOptions opts;
  private final double[] dct;
  private final double[] lifter;

  /**
   * @param opts the options
   * @throws NullPointerException if {@code opts} is null
   */
  public KaldiMfcc(MfccOptions opts) {
    super(Objects.requireNonNull(opts, "opts").frameOpts(), opts.melOpts(), opts.useEnergy(), opts.rawEnergy(),
        opts.energyFloor(), true, true);
    this.opts = opts;
    int bins = opts.melOpts().numBins();
    int ceps = opts.numCeps();
    // The DCT and lifter coefficients are rounded to single precision as torchaudio (create_dct in
    // float32) and Kaldi (BaseFloat matrices) hold them: with log energies near the floor (-16) the
    // rounding of 23-80 coefficients moves a lifted cepstrum by a few 1e-4.
    dct = new double[ceps * bins];
    float angle = (float) (Math.PI / bins);
    float norm = (float) Math.sqrt(2.0 / bins);
    for (int c = 0; c < ceps; c++) {
      for (int b = 0; b < bins; b++) {
        float arg = angle * (b + 0.5f) * (float) c;
        dct[c * bins + b] = c == 0 ? (float) Math.sqrt(1.0 / bins) : (float) Math.cos(arg) * norm;
      }
    }
    lifter = new double[ceps];
    double q = opts.cepstralLifter();
    for (int c = 0; c < ceps; c++) {
      float sin = (float) Math.sin((float) Math.PI * (float) c / (float) q);
      lifter[c] = q == 0 ? 1 : 1.0f + (float) (0.5 * q) * sin;
    }
  }

  /** The options. */
  public MfccOptions options() {
    return opts;
  }

  @Override
  public int dim() {
    return opts.numCeps();
  }

  @Override
  boolean subtractMean() {
    return opts.subtractMean();
  }

  @Override
  void computeFrame(FloatBuffer src, long srcStart, long numSamples, int frame, Scratch s, float[] out,
      int outOffset) {
    double energy = melFrame(src, srcStart, numSamples, frame, s);
    double[] mel = s.mel;
    int bins = mel.length;
    int ceps = lifter.length;
    boolean htk = opts.htkCompat();
    // With htk_compat C0 goes last: C1..C(n-1) first.
    int o = htk ? outOffset - 1 : outOffset;
    for (int c = 0; c < ceps; c++) {
      double v;
      if (c == 0 && opts.useEnergy()) {
        v = energy;
      } else {
        double sum = 0;
        int row = c * bins;
        for (int b = 0; b < bins; b++) {
          sum += dct[row + b] * mel[b];
        }
        v = sum * lifter[c];
      }
      if (c == 0 && htk) {
        out[outOffset + ceps - 1] = (float) (opts.useEnergy() ? v : v * SQRT2);
      } else {
        out[o + c] = (float) v;
      }
    }
  }

  @Override
  public String toString() {
    return "KaldiMfcc" + opts;
  }
}
