package io.github.tingxin.core.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link FastLog} against {@link Math#log} and {@link Math#log10}, over the whole range the extractors use. */
class FastLogTest {
  @Test
  void logIsWithinOneUlpOfMathLog() {
    SplittableRandom rng = new SplittableRandom(8);
    double worst = 0;
    for (int i = 0; i < 400_000; i++) {
      // log-uniform over 1e-300 .. 1e300, and dense around 1 where results are tiny
      double x = i % 4 == 0 ? 1 + (rng.nextDouble() - 0.5) * 1e-3 : Math.exp(rng.nextDouble(-690, 690));
      double expected = Math.log(x);
      worst = Math.max(worst, Math.abs(FastLog.log(x) - expected) / Math.ulp(expected));
    }
    for (double x : new double[] {Double.MIN_NORMAL, 0.75, Math.nextDown(1.0), 1.0, Math.nextUp(1.0), 1.5, 2,
        KaldiFrameFeature.FLT_EPSILON, Double.MAX_VALUE}) {
      worst = Math.max(worst, Math.abs(FastLog.log(x) - Math.log(x)) / Math.ulp(Math.log(x) == 0 ? 1 : Math.log(x)));
    }
    assertThat(worst).isLessThanOrEqualTo(1.0);
    assertThat(FastLog.log(1.0)).isZero();
  }

  @Test
  void log10OfFloatRowsIsWithin1e7OfMathLog10BeforeRounding() {
    SplittableRandom rng = new SplittableRandom(9);
    int lanes = 131; // not a multiple of any vector width: the loops' scalar ends run too
    float[] row = new float[lanes];
    float[] x = new float[lanes];
    float[] exponents = new float[lanes];
    float[] work = new float[lanes];
    double worst = 0;
    for (int i = 0; i < 4_000; i++) {
      for (int f = 0; f < lanes; f++) {
        // log-uniform over the normal floats, and dense around 1 where results are tiny
        x[f] = f % 4 == 0 ? (float) (1 + (rng.nextDouble() - 0.5) * 1e-2) : (float) Math.exp(rng.nextDouble(-87, 88));
      }
      if (i == 0) {
        float[] edges = {Float.MIN_NORMAL, 0.75f, Math.nextDown(1f), 1f, Math.nextUp(1f), 1.5f, 1e-10f,
            Float.MAX_VALUE, 0x1.6a09e6p-1f, 0x1.6a09e8p-1f, 0x1.6a09e6p0f, 0x1.6a09e8p0f};
        System.arraycopy(edges, 0, x, 0, edges.length);
      }
      System.arraycopy(x, 0, row, 0, lanes);
      FastLog.log10(row, exponents, work, lanes);
      for (int f = 0; f < lanes; f++) {
        worst = Math.max(worst, error(row[f], x[f]));
        assertThat(FastLog.log10(x[f])).isEqualTo(row[f]);
      }
    }
    // 1e-7 before the rounding to float: below that rounding itself for log-mel values beyond 2
    assertThat(worst).isLessThanOrEqualTo(1e-7);
    row[0] = 1f;
    FastLog.log10(row, exponents, work, 1);
    assertThat(row[0]).isZero();
  }

  // |got - log10(x)| less the half unit in the last place the rounding to float may add
  private static double error(float got, float x) {
    return Math.max(0, Math.abs(got - Math.log10(x)) - Math.ulp(got) / 2);
  }
}
