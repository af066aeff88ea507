package io.github.tingxin.core.features;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;

/** Validation helpers that name the option in the message. */
final class Checks {
  private Checks() {}

  static TingxinException invalid(String option, String message) {
    return new TingxinException(ErrorCode.INVALID_OPTION, option + ": " + message);
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
}
