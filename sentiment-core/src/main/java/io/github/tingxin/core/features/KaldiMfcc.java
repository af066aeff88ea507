package io.github.tingxin.core.features;

import java.util.Arrays;
import java.util.Objects;

/**
 * Kaldi MFCCs, equal to {@code torchaudio.compliance.kaldi.mfcc} (and Kaldi's {@code compute-mfcc-feats})
 * within float rounding: log mel energies, Kaldi's DCT (C0 weighted by sqrt(1/bins)), liftering, and C0
 * replaced by the log energy with {@code use_energy}.
 *
 * <p>Audio shorter than one frame gives zero frames with {@code snip_edges} (as Kaldi).
 *
 * <p>Immutable and thread-safe: one instance may serve many threads. Work buffers are lent to one call at a time, so
 * {@link #extract(float[], int, int, float[], int)} allocates nothing and the other methods only their
 * output. All arithmetic up to the final rounding of each value to float is in double precision.
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
  int extraRows() {
    return opts.numCeps();
  }

  @Override
  void writeBlock(Scratch s, int lanes, float[] out, int outOffset) {
    double[][] mel = s.mel;
    double[][] cepstra = s.extra;
    int bins = mel.length;
    int ceps = lifter.length;
    boolean useEnergy = opts.useEnergy();
    for (int c = useEnergy ? 1 : 0; c < ceps; c++) {
      double[] acc = cepstra[c];
      Arrays.fill(acc, 0, lanes, 0.0);
      int row = c * bins;
      for (int b = 0; b < bins; b++) {
        Lanes.addScaled(acc, mel[b], dct[row + b], lanes);
      }
      Lanes.scale(acc, lifter[c], lanes);
    }
    if (useEnergy) {
      System.arraycopy(s.energy, 0, cepstra[0], 0, lanes);
    }
    // With htk_compat C0 goes last (times sqrt 2 unless it is the energy): C1..C(n-1) first.
    boolean htk = opts.htkCompat();
    int shift = htk ? -1 : 0;
    for (int f = 0; f < lanes; f++) {
      int o = outOffset + f * ceps;
      for (int c = htk ? 1 : 0; c < ceps; c++) {
        out[o + shift + c] = (float) cepstra[c][f];
      }
      if (htk) {
        double c0 = cepstra[0][f];
        out[o + ceps - 1] = (float) (useEnergy ? c0 : c0 * SQRT2);
      }
    }
  }

  @Override
  public String toString() {
    return "KaldiMfcc" + opts;
  }
}
