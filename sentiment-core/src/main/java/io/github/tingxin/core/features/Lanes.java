package io.github.tingxin.core.features;

/**
 * Kernels over the lanes of row tables (one frame per lane, see {@link LaneFft}): each is one loop over
 * {@code [0, lanes)} with a body small enough for HotSpot's C2 to vectorise. {@link FloatLanes} is this
 * class in single precision, generated from it. Stateless.
 */
final class Lanes {
  private Lanes() {}

  /** {@code x *= c}. */
  static void scale(double[] x, double c, int lanes) {
    for (int f = 0; f < lanes; f++) {
      x[f] *= c;
    }
  }

  /** {@code acc += x}. */
  static void add(double[] acc, double[] x, int lanes) {
    for (int f = 0; f < lanes; f++) {
      acc[f] += x[f];
    }
  }

  /** {@code acc += w x}. */
  static void addScaled(double[] acc, double[] x, double w, int lanes) {
    for (int f = 0; f < lanes; f++) {
      acc[f] += w * x[f];
    }
  }

  /** {@code acc += x^2}. */
  static void addSquares(double[] acc, double[] x, int lanes) {
    for (int f = 0; f < lanes; f++) {
      acc[f] += x[f] * x[f];
    }
  }

  /** {@code x -= y}. */
  static void subtract(double[] x, double[] y, int lanes) {
    for (int f = 0; f < lanes; f++) {
      x[f] -= y[f];
    }
  }
}
