package io.github.tingxin.core.features;

import java.util.SplittableRandom;

/** Fresh, non-trivial test signals made from a seed. */
final class TestSignals {
  private TestSignals() {}

  /** A gliding harmonic tone with noise and a varying envelope, like voiced speech. */
  static float[] speechLike(int rate, int length, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] x = new float[length];
    double phase = 0;
    for (int i = 0; i < length; i++) {
      double t = (double) i / rate;
      double f0 = 120 + 40 * Math.sin(2 * Math.PI * 1.3 * t);
      phase += 2 * Math.PI * f0 / rate;
      double v = 0;
      for (int k = 1; k <= 6; k++) {
        v += Math.sin(k * phase) / k;
      }
      double env = 0.3 * (1.1 + Math.sin(2 * Math.PI * 3 * t));
      x[i] = (float) (env * v + 0.02 * (rng.nextDouble() * 2 - 1));
    }
    return x;
  }
}
