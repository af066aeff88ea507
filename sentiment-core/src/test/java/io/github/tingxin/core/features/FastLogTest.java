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
  void log10OfFloatsIsWithin3e8OfMathLog10BeforeRounding() {
    SplittableRandom rng = new SplittableRandom(9);
    double worst = 0;
    for (int i = 0; i < 400_000; i++) {
      float x = i % 4 == 0 ? (float) (1 + (rng.nextDouble() - 0.5) * 1e-2) : (float) Math.exp(rng.nextDouble(-87, 88));
      worst = Math.max(worst, error(x));
    }
    for (float x : new float[] {Float.MIN_NORMAL, 0.75f, Math.nextDown(1f), 1f, Math.nextUp(1f), 1.5f, 1e-10f,
        Float.MAX_VALUE}) {
      worst = Math.max(worst, error(x));
    }
    // 3e-8 before the rounding to float: below that rounding itself for log-mel values beyond 0.5
    assertThat(worst).isLessThanOrEqualTo(3e-8);
  }

  // |log10f(x) - log10(x)| less the half unit in the last place the rounding to float may add
  private static double error(float x) {
    float got = FastLog.log10(x);
    return Math.max(0, Math.abs(got - Math.log10(x)) - Math.ulp(got) / 2);
  }
}
