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
  void log10OfFloatsRoundsAsMathLog10() {
    SplittableRandom rng = new SplittableRandom(9);
    int differ = 0;
    double worst = 0;
    int n = 400_000;
    for (int i = 0; i < n; i++) {
      float x = i % 4 == 0 ? (float) (1 + (rng.nextDouble() - 0.5) * 1e-2) : (float) Math.exp(rng.nextDouble(-87, 88));
      float expected = (float) Math.log10(x);
      float got = FastLog.log10(x);
      if (got != expected) {
        differ++;
        worst = Math.max(worst, Math.abs(got - expected) / Math.ulp(expected));
      }
    }
    // Rounded to float, results differ from Math.log10's only where the exact value lies next to a
    // rounding boundary, and then by one unit in the last place.
    assertThat(worst).isLessThanOrEqualTo(1.0);
    assertThat(differ).isLessThan(n / 1000);
    assertThat(FastLog.log10(1f)).isZero();
    assertThat(FastLog.log10(1e-10f)).isEqualTo((float) Math.log10(1e-10f));
  }
}
