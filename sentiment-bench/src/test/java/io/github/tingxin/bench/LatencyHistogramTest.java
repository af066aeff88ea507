package io.github.tingxin.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Test
  void bucketsAreContiguousAndEachUpperBoundMapsBackToItsBucket() {
    for (int b = 0; b < 1024 + 31 * 256 - 1; b++) {
      long top = LatencyHistogram.upperBound(b);
      assertThat(LatencyHistogram.bucket(top)).as("bucket of upper bound %d", top).isEqualTo(b);
      assertThat(LatencyHistogram.bucket(top + 1)).as("value after bucket %d", b).isEqualTo(b + 1);
    }
    // below 1,024 us every value has its own bucket; above, a bucket is at most 1/256 of its values wide
    assertThat(LatencyHistogram.upperBound(1023)).isEqualTo(1023);
    for (int b = 1024; b < 1024 + 31 * 256 - 1; b++) {
      long lower = LatencyHistogram.upperBound(b - 1) + 1;
      assertThat(LatencyHistogram.upperBound(b) - lower + 1).isLessThanOrEqualTo(Math.max(1, lower / 256));
    }
  }

  @Test
  void percentilesNeverUnderstateAndAreWithinABucketOfTheExactOnes() {
    Random rng = new Random(20261205);
    long[] values = new long[20_001];
    LatencyHistogram h = new LatencyHistogram();
    for (int i = 0; i < values.length; i++) {
      // log-normal around 0.4 s with a long tail, in microseconds, plus some exact small values
      values[i] = i % 10 == 0 ? rng.nextInt(1000) : Math.round(Math.exp(Math.log(400_000) + 0.8 * rng.nextGaussian()));
      h.recordNanos(values[i] * 1000 + rng.nextInt(1000)); // sub-microsecond part is dropped
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    for (double p : new double[] {0.1, 1, 10, 50, 90, 99, 99.9, 100}) {
      long exact = sorted[(int) Math.ceil(p / 100 * sorted.length) - 1];
      long got = h.percentileMicros(p);
      assertThat(got).as("p%s", p).isGreaterThanOrEqualTo(exact).isLessThanOrEqualTo(exact + Math.max(0, exact / 256));
    }
    assertThat(h.count()).isEqualTo(values.length);
    assertThat(h.maxMicros()).isEqualTo(sorted[sorted.length - 1]);
    assertThat(h.meanMicros()).isCloseTo(Arrays.stream(values).average().orElseThrow(),
        org.assertj.core.data.Offset.offset(1e-6));
    assertThat(h.negatives()).isZero();
  }

  @Test
  void negativeDurationsCountAsZeroAndAreCountedApart() {
    LatencyHistogram h = new LatencyHistogram();
    h.recordNanos(-5_000);
    h.record(7);
    assertThat(h.negatives()).isEqualTo(1);
    assertThat(h.percentileMicros(50)).isZero();
    assertThat(h.percentileMicros(100)).isEqualTo(7);
    assertThat(new LatencyHistogram().secondsSummary()).isEqualTo("-");
  }
}
