package io.github.tingxin.core.features;

/**
 * {@link Lanes} in single precision. Generated from {@link Lanes} by {@code FloatTwins} (test sources):
 * change that class, then regenerate. Stateless.
 */
final class FloatLanes {
  private FloatLanes() {}

  /** {@code x *= c}. */
  static void scale(float[] x, float c, int lanes) {
    for (int f = 0; f < lanes; f++) {
      x[f] *= c;
    }
  }

  /** {@code acc += x}. */
  static void add(float[] acc, float[] x, int lanes) {
    for (int f = 0; f < lanes; f++) {
      acc[f] += x[f];
    }
  }

  /** {@code acc += w x}. */
  static void addScaled(float[] acc, float[] x, float w, int lanes) {
    for (int f = 0; f < lanes; f++) {
      acc[f] += w * x[f];
    }
  }

  /** {@code acc += x^2}. */
  static void addSquares(float[] acc, float[] x, int lanes) {
    for (int f = 0; f < lanes; f++) {
      acc[f] += x[f] * x[f];
    }
  }

  /** {@code x -= y}. */
  static void subtract(float[] x, float[] y, int lanes) {
    for (int f = 0; f < lanes; f++) {
      x[f] -= y[f];
    }
  }
}
