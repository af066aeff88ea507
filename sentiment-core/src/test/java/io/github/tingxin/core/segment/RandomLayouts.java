package io.github.tingxin.core.segment;

import java.util.Random;

/**
 * Random layouts of speech and pauses for the property tests: alternating stretches of 0.1 to 20 s each
 * (log-uniform, as turns and pauses of calls spread over that range), starting with either.
 */
public final class RandomLayouts {
  /** One sample of a stretch. */
  @FunctionalInterface
  public interface Fill {
    float sample(boolean speech, Random random);
  }

  private RandomLayouts() {}

  /**
   * @param stretches how many stretches, at least 1
   * @return the samples at {@code rate}
   */
  public static float[] of(Random random, int rate, int stretches, Fill fill) {
    int[] lengths = new int[stretches];
    int total = 0;
    for (int k = 0; k < stretches; k++) {
      lengths[k] = (int) Math.round(0.1 * Math.pow(200, random.nextDouble()) * rate);
      total += lengths[k];
    }
    float[] x = new float[total];
    boolean speech = random.nextBoolean();
    int at = 0;
    for (int length : lengths) {
      for (int i = 0; i < length; i++) {
        x[at++] = fill.sample(speech, random);
      }
      speech = !speech;
    }
    return x;
  }
}
