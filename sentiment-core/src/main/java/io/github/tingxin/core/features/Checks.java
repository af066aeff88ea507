package io.github.tingxin.core.features;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;

/**
 * Validation helpers that name the option (by its recipe keyword) in the message. A value out of its
 * documented range is an {@link IllegalArgumentException} in the Java API; {@link FeatureRecipes} turns it
 * into {@link ErrorCode#INVALID_OPTION} for recipes (manifests, the command line).
 */
final class Checks {
  private Checks() {}

  static IllegalArgumentException invalid(String option, String message) {
    return new IllegalArgumentException(option + ": " + message);
  }

  static TingxinException unsupported(String option, String message) {
    return new TingxinException(ErrorCode.UNSUPPORTED_OPTION, option + ": " + message);
  }

  static void finite(double v, String option) {
    if (!Double.isFinite(v)) {
      throw invalid(option, "must be a finite number, got " + v);
    }
  }

  static void positive(double v, String option) {
    if (!(v > 0) || !Double.isFinite(v)) {
      throw invalid(option, "must be a finite number > 0, got " + v);
    }
  }

  static void nonNegative(double v, String option) {
    if (!(v >= 0) || !Double.isFinite(v)) {
      throw invalid(option, "must be a finite number >= 0, got " + v);
    }
  }

  /** {@code v} in {@code [min, max]}. */
  static void inRange(double v, double min, double max, String option) {
    if (!(v >= min && v <= max)) {
      throw invalid(option, "must be from " + number(min) + " to " + number(max) + ", got " + v);
    }
  }

  /** {@code v} in {@code (0, max]}. */
  static void positiveAtMost(double v, double max, String option) {
    if (!(v > 0 && v <= max)) {
      throw invalid(option, "must be above 0 and at most " + number(max) + ", got " + v);
    }
  }

  /** A whole number in {@code [min, max]}. */
  static void inRange(long v, long min, long max, String option) {
    if (v < min || v > max) {
      throw invalid(option, "must be a whole number from " + min + " to " + max + ", got " + v);
    }
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
