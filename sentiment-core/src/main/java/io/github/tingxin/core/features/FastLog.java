package io.github.tingxin.core.features;

/**
 * Logarithms for the millions of mel energies a minute of audio gives, faster than {@link Math#log} (whose
 * intrinsic is a long call) and as accurate: the natural logarithm of a double ({@link #log(double)}, Kaldi)
 * and the base-10 logarithms of a row of floats ({@link #log10(float[], float[], int)}, Whisper). Stateless.
 *
 * <p>{@link #log(double)}: within 1e-15 relative (checked against {@code Math.log} in {@code FastLogTest}), so
 * results rounded to float nearly always equal {@code (float) Math.log(x)}, about three times faster.
 * {@code x = 2^k z} with {@code z} in [0.75, 1.5); {@code z = c (1 + r)} with {@code c} the nearest of
 * 128 table points (exact, so {@code z - c} is exact) and {@code |r| < 1/128}; then
 * {@code log x = k ln 2 + log c + log1p(r)}, {@code log1p} by its series to {@code r^8}. The points next to
 * 1 are 1 itself, so that results near 0 keep their relative accuracy.
 */
final class FastLog {
  private static final int BITS = 7;
  private static final int N = 1 << BITS;
  private static final long OFF = Double.doubleToRawLongBits(0.75);
  private static final double LN2_HI = 0x1.62e42fefa3800p-1;
  private static final double LN2_LO = 0x1.ef35793c76730p-45;
  /** Per interval {@code i}: the point c, 1 / c and log c at {@code 3 i}, {@code 3 i + 1}, {@code 3 i + 2}. */
  private static final double[] TABLE = new double[3 * N];

  static {
    for (int i = 0; i < N; i++) {
      // Interval i covers the doubles whose bits lie in [OFF + i 2^45, OFF + (i + 1) 2^45): width 1/256
      // below 1 and 1/128 from 1 on. Its point is its middle, or 1 for the two intervals next to 1.
      double lo = Double.longBitsToDouble(OFF + ((long) i << (52 - BITS)));
      double hi = Double.longBitsToDouble(OFF + ((long) (i + 1) << (52 - BITS)));
      double c = lo == 1.0 || hi == 1.0 ? 1.0 : (lo + hi) / 2;
      TABLE[3 * i] = c;
      TABLE[3 * i + 1] = 1 / c;
      TABLE[3 * i + 2] = Math.log(c);
    }
  }

  // log10's constants: the bits of 1, of the float nearest sqrt(1/2) and of 2^23 (whose bits plus an integer
  // e below 2^23 are the float 2^23 + e); a float's mantissa bits; log10(2) in two parts.
  private static final int ONE_BITS = Float.floatToRawIntBits(1f);
  private static final int SQRT_HALF_BITS = 0x3f3504f3;
  private static final int MANTISSA = 0x007fffff;
  private static final int TWO_23_BITS = Float.floatToRawIntBits(0x1p23f);
  private static final float EXPONENT_OFFSET = 0x1p23f + 127;
  private static final float LOG10_2_HI = 0x1.344p-2f; // few bits, so that k LOG10_2_HI is exact
  private static final float LOG10_2_LO = (float) (Math.log10(2) - 0x1.344p-2);
  private static final float INV_LN10 = (float) (1 / Math.log(10));
  /** fdlibm's (and musl's) {@code logf} polynomial in {@code s^2}. */
  private static final float LG1 = 0xaaaaaa.0p-24f;
  private static final float LG2 = 0xccce13.0p-25f;
  private static final float LG3 = 0x91e9ee.0p-25f;
  private static final float LG4 = 0xf89e26.0p-26f;

  private FastLog() {}

  /**
   * {@code x[f] = log10(x[f])} for lanes {@code f < lanes}, each {@code x[f]} finite and at least
   * {@link Float#MIN_NORMAL} (other values give unspecified results), in float arithmetic within 1e-7 of
   * {@link Math#log10} beyond the rounding of the result to float (checked in {@code FastLogTest}): enough for
   * log-mel features, which are rounded to float. {@code exponents} and {@code work} are work rows of at least
   * {@code lanes}.
   *
   * <p>{@code x = 2^k (1 + f)} with {@code 1 + f} in [sqrt(1/2), sqrt(2)), {@code s = f / (2 + f)}, and
   * {@code log(1 + f) = f - f^2/2 + s (f^2/2 + R(s^2))} with fdlibm's {@code logf} polynomial {@code R}
   * ({@code |s| < 0.172}); {@code log10 x = k log10(2) + log(1 + f) / ln(10)}.
   *
   * <p>Four short loops over the row instead of one call per value: C2 (JDK 17) vectorises a loop only when
   * it unrolls it, which it does only for small bodies, and never the moves between float and int bits; so
   * the first loop does those moves (scalar, a few cycles a value) and the three others the arithmetic,
   * vectorised.
   */
  static void log10(float[] x, float[] exponents, float[] work, int lanes) {
    for (int i = 0; i < lanes; i++) {
      int bits = Float.floatToRawIntBits(x[i]) + (ONE_BITS - SQRT_HALF_BITS);
      exponents[i] = exponentOf(bits);
      x[i] = fractionOf(bits);
    }
    for (int i = 0; i < lanes; i++) {
      work[i] = quotient(x[i]);
    }
    for (int i = 0; i < lanes; i++) {
      work[i] = tail(x[i], work[i]);
    }
    for (int i = 0; i < lanes; i++) {
      x[i] = log10(x[i], work[i], exponents[i]);
    }
  }

  /** {@link #log10(float[], float[], float[], int)} of one value, with the same result. */
  static float log10(float x) {
    int bits = Float.floatToRawIntBits(x) + (ONE_BITS - SQRT_HALF_BITS);
    float f = fractionOf(bits);
    return log10(f, tail(f, quotient(f)), exponentOf(bits));
  }

  // The steps, for x = 2^k (1 + f) whose bits plus ONE_BITS - SQRT_HALF_BITS are 'bits'.

  /** {@code 2^23 + k + 127} (exactly: a float's bits plus an integer below 2^23 are 2^23 plus it). */
  private static float exponentOf(int bits) {
    return Float.intBitsToFloat((bits >> 23) + TWO_23_BITS);
  }

  private static float fractionOf(int bits) {
    return Float.intBitsToFloat((bits & MANTISSA) + SQRT_HALF_BITS) - 1f;
  }

  private static float quotient(float f) {
    return f / (2f + f);
  }

  /** {@code s (f^2/2 + R(s^2))}. */
  private static float tail(float f, float s) {
    float z = s * s;
    float w = z * z;
    return s * (0.5f * f * f + z * (LG1 + w * LG3) + w * (LG2 + w * LG4));
  }

  private static float log10(float f, float tail, float exponent) {
    float k = exponent - EXPONENT_OFFSET;
    return k * LOG10_2_LO + (f - 0.5f * f * f + tail) * INV_LN10 + k * LOG10_2_HI;
  }

  /** {@code log(x)} for a finite {@code x >= Double.MIN_NORMAL}; other inputs give unspecified values. */
  static double log(double x) {
    long bits = Double.doubleToRawLongBits(x);
    long t = bits - OFF;
    int i = 3 * ((int) (t >>> (52 - BITS)) & (N - 1));
    long k = t >> 52;
    double z = Double.longBitsToDouble(bits - (k << 52));
    double r = (z - TABLE[i]) * TABLE[i + 1];
    double r2 = r * r;
    double r4 = r2 * r2;
    // log1p(r) = r - r^2/2 + r^3/3 - ... to r^8 (|r| < 2^-7, so the rest is below 2^-66), evaluated in
    // independent pieces (Estrin) rather than one long chain of dependent steps (Horner).
    double p = r2 * ((-0.5 + r * (1.0 / 3)) + r2 * (-0.25 + r * 0.2))
        + r4 * r2 * ((-1.0 / 6 + r * (1.0 / 7)) + r2 * -0.125);
    return k * LN2_HI + (TABLE[i + 2] + (k * LN2_LO + (r + p)));
  }
}
