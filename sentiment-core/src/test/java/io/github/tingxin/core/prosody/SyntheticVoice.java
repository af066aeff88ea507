package io.github.tingxin.core.prosody;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;

/** Voice-like test signals whose pitch, loudness, pauses and rhythm are known by construction. */
final class SyntheticVoice {
  private SyntheticVoice() {}

  /**
   * A harmonic tone (eight harmonics falling as 1/h) at {@code f0} with a 6 Hz vibrato of +-2 %, amplitude
   * {@code 0.3 * envelope(t)}, plus Gaussian noise of 1e-4 (seed 3).
   */
  static float[] of(int sampleRate, double seconds, double f0, DoubleUnaryOperator envelope) {
    float[] x = new float[(int) (seconds * sampleRate)];
    double phase = 0;
    Random noise = new Random(3);
    for (int i = 0; i < x.length; i++) {
      double t = i / (double) sampleRate;
      double f = f0 * (1 + 0.02 * Math.sin(2 * Math.PI * 6 * t));
      phase += 2 * Math.PI * f / sampleRate;
      double v = 0;
      for (int h = 1; h <= 8; h++) {
        v += Math.sin(h * phase) / h;
      }
      x[i] = (float) (0.3 * envelope.applyAsDouble(t) * v + 1e-4 * noise.nextGaussian());
    }
    return x;
  }

  /** The mean square of {@link #of} where the envelope is 1, in dB re full scale: 0.3^2 / 2 * sum 1/h^2. */
  static double levelDbfs() {
    double sum = 0;
    for (int h = 1; h <= 8; h++) {
      sum += 1.0 / (h * h);
    }
    return 10 * Math.log10(0.09 / 2 * sum);
  }

  /**
   * 1.5 s of a 180 Hz voice, then 0.3 s of silence, then 0.5 s more voice: pitch 180 Hz, one pause.
   */
  static float[] withOnePause(int sampleRate) {
    return of(sampleRate, 2.3, 180, t -> t < 1.5 || t >= 1.8 ? 1 : 0);
  }
}
