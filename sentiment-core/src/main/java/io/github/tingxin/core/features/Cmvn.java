package io.github.tingxin.core.features;

import io.github.tingxin.spi.Features;
import java.util.Arrays;
import java.util.Objects;

/**
 * Cepstral mean and variance normalisation of feature rows: {@code (x - mean) / sqrt(var)} per dimension.
 * {@link #global} takes the means and variances from the model (FunASR's {@code am.mvn}, converted to
 * means and variances); {@link #utterance()} computes them over the frames of each call (population
 * variance, floored at 1e-10 so constant dimensions become 0, not NaN).
 *
 * <p>Immutable and thread-safe.
 */
public final class Cmvn {
  /** Where the statistics come from. */
  public enum Mode {
    /** No normalisation. */
    NONE,
    /** Mean and variance of each call's frames. */
    UTTERANCE,
    /** Fixed means and variances. */
    GLOBAL
  }

  private static final Cmvn NONE = new Cmvn(Mode.NONE, null, null);
  private static final Cmvn UTTERANCE = new Cmvn(Mode.UTTERANCE, null, null);
  private static final double VAR_FLOOR = 1e-10;

  private final Mode mode;
  private final float[] means;
  private final float[] invStd;

  private Cmvn(Mode mode, float[] means, float[] invStd) {
    this.mode = mode;
    this.means = means;
    this.invStd = invStd;
  }

  /** No normalisation. */
  public static Cmvn none() {
    return NONE;
  }

  /** Per-utterance normalisation. */
  public static Cmvn utterance() {
    return UTTERANCE;
  }

  /**
   * Global normalisation.
   *
   * @param means one mean per feature dimension [{@code cmvn_means}]
   * @param vars one variance per feature dimension, each finite and > 0 [{@code cmvn_vars}]
   * @throws IllegalArgumentException naming {@code cmvn_means} or {@code cmvn_vars} if the lengths differ or
   *     a value is not finite or a variance is not positive
   */
  public static Cmvn global(double[] means, double[] vars) {
    Objects.requireNonNull(means, "means");
    Objects.requireNonNull(vars, "vars");
    if (means.length == 0 || means.length != vars.length) {
      throw Checks.invalid("cmvn_vars", "needs one value per cmvn_means value (" + means.length + "), got "
          + vars.length);
    }
    float[] m = new float[means.length];
    float[] s = new float[vars.length];
    for (int i = 0; i < means.length; i++) {
      Checks.finite(means[i], "cmvn_means[" + i + "]");
      Checks.positive(vars[i], "cmvn_vars[" + i + "]");
      m[i] = (float) means[i];
      s[i] = (float) (1.0 / Math.sqrt(vars[i]));
    }
    return new Cmvn(Mode.GLOBAL, m, s);
  }

  /** The mode. */
  public Mode mode() {
    return mode;
  }

  /** For {@link Mode#GLOBAL}, the dimension the statistics have; otherwise -1. */
  public int dim() {
    return means == null ? -1 : means.length;
  }

  /**
   * Normalises {@code features} in place (its array must be owned by the caller) and returns it.
   *
   * @throws IllegalArgumentException if global statistics have another dimension than the features
   */
  public Features applyInPlace(Features features) {
    Objects.requireNonNull(features, "features");
    int dim = features.dim();
    applyInPlace(features.data(), 0, features.frames(), dim, new double[dim], new double[dim]);
    return features;
  }

  /**
   * Normalises {@code rows} rows of {@code dim} values from {@code x[offset]} in place; {@code mean} and
   * {@code scale} are work arrays of at least {@code dim} values.
   *
   * @throws IllegalArgumentException if global statistics have another dimension than the features
   */
  void applyInPlace(float[] x, int offset, int rows, int dim, double[] mean, double[] scale) {
    if (mode == Mode.NONE || rows == 0) {
      return;
    }
    if (mode == Mode.GLOBAL) {
      if (dim != means.length) {
        throw new IllegalArgumentException("CMVN statistics have " + means.length + " dimensions, features " + dim);
      }
      for (int r = 0; r < rows; r++) {
        int o = offset + r * dim;
        for (int d = 0; d < dim; d++) {
          x[o + d] = (x[o + d] - means[d]) * invStd[d];
        }
      }
      return;
    }
    Arrays.fill(mean, 0, dim, 0.0);
    Arrays.fill(scale, 0, dim, 0.0);
    for (int r = 0; r < rows; r++) {
      for (int d = 0; d < dim; d++) {
        mean[d] += x[offset + r * dim + d];
      }
    }
    for (int d = 0; d < dim; d++) {
      mean[d] /= rows;
    }
    for (int r = 0; r < rows; r++) {
      for (int d = 0; d < dim; d++) {
        double v = x[offset + r * dim + d] - mean[d];
        scale[d] += v * v;
      }
    }
    for (int d = 0; d < dim; d++) {
      scale[d] = 1.0 / Math.sqrt(Math.max(scale[d] / rows, VAR_FLOOR));
    }
    for (int r = 0; r < rows; r++) {
      for (int d = 0; d < dim; d++) {
        int i = offset + r * dim + d;
        x[i] = (float) ((x[i] - mean[d]) * scale[d]);
      }
    }
  }

  @Override
  public String toString() {
    return "Cmvn[" + mode + (means == null ? "" : ", dim " + means.length) + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cmvn c && c.mode == mode && Arrays.equals(c.means, means) && Arrays.equals(c.invStd, invStd);
  }

  @Override
  public int hashCode() {
    return mode.hashCode() * 31 + Arrays.hashCode(means);
  }
}
