package io.github.tingxin.bench;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts of durations in microseconds, for percentiles: exact below 1,024 us, then 256 buckets per power of
 * two (a bucket is at most 1/256 = 0.4 % wide relative to its values), up to 2^40 us (12 days). Recording
 * allocates nothing and takes no lock, so many threads may record at once; the exact maximum and sum are
 * kept beside the buckets. A percentile is reported as the largest value its bucket holds, so it never
 * understates. Negative durations are counted as 0 and counted apart ({@link #negatives()}).
 *
 * <p>Thread-safe: {@link #record} from any thread; read the figures once recording has stopped (reads during
 * recording see some consistent-enough mixture, fine for progress lines).
 */
final class LatencyHistogram {
  private static final int EXACT = 1024;
  private static final int SUB_BITS = 8;
  private static final int MAX_EXPONENT = 40;
  private static final int BUCKETS = EXACT + (MAX_EXPONENT - 10 + 1) * (1 << SUB_BITS);

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong sum = new AtomicLong();
  private final AtomicLong max = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong negatives = new AtomicLong();

  /** Records one duration in nanoseconds (stored at microsecond resolution). */
  void recordNanos(long nanos) {
    record(Math.floorDiv(nanos, 1000));
  }

  /** Records one duration in microseconds. */
  void record(long micros) {
    if (micros < 0) {
      negatives.incrementAndGet();
      micros = 0;
    }
    long capped = Math.min(micros, (1L << (MAX_EXPONENT + 1)) - 1);
    counts.incrementAndGet(bucket(capped));
    total.incrementAndGet();
    sum.addAndGet(micros);
    max.accumulateAndGet(micros, Math::max);
  }

  static int bucket(long micros) {
    if (micros < EXACT) {
      return (int) micros;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(micros);
    int sub = (int) ((micros >>> (exponent - SUB_BITS)) & ((1 << SUB_BITS) - 1));
    return EXACT + (exponent - 10) * (1 << SUB_BITS) + sub;
  }

  /** The largest value (us) that {@link #bucket} maps to {@code bucket}. */
  static long upperBound(int bucket) {
    if (bucket < EXACT) {
      return bucket;
    }
    int exponent = (bucket - EXACT) / (1 << SUB_BITS) + 10;
    long sub = (bucket - EXACT) % (1 << SUB_BITS);
    long lower = (1L << exponent) + (sub << (exponent - SUB_BITS));
    return lower + (1L << (exponent - SUB_BITS)) - 1;
  }

  long count() {
    return total.get();
  }

  long negatives() {
    return negatives.get();
  }

  /** The exact largest value recorded (us), or 0 when none was. */
  long maxMicros() {
    return total.get() == 0 ? 0 : max.get();
  }

  double meanMicros() {
    long n = total.get();
    return n == 0 ? 0 : sum.get() / (double) n;
  }

  /**
   * The {@code p}-th percentile (0 < p <= 100) in us: the largest value of the bucket that holds the
   * ceil(p/100 * count)-th smallest value, capped at the exact maximum; 0 when nothing was recorded.
   */
  long percentileMicros(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in (0, 100], was " + p);
    }
    long n = total.get();
    if (n == 0) {
      return 0;
    }
    long rank = (long) Math.ceil(p / 100.0 * n);
    long seen = 0;
    for (int b = 0; b < BUCKETS; b++) {
      seen += counts.get(b);
      if (seen >= rank) {
        return Math.min(upperBound(b), maxMicros());
      }
    }
    return maxMicros();
  }

  /** "p50 / p99 / max" in seconds with three decimals, or "-" when empty. */
  String secondsSummary() {
    if (count() == 0) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.3f / %.3f / %.3f", percentileMicros(50) / 1e6,
        percentileMicros(99) / 1e6, maxMicros() / 1e6);
  }

  /** "p50 / p99 / max" in milliseconds with two decimals, or "-" when empty. */
  String millisSummary() {
    if (count() == 0) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.2f / %.2f / %.2f", percentileMicros(50) / 1e3,
        percentileMicros(99) / 1e3, maxMicros() / 1e3);
  }
}
