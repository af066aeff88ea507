package io.github.tingxin.core.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What one call did: returned a value or threw a documented {@link TingxinException}. Anything else
 * (another exception type, an undocumented code, an error) fails the calling test, which is the fuzzing
 * oracle: the library may refuse input, but only in the way its javadoc says.
 *
 * @param value the result, or null when the call failed
 * @param error the documented failure, or null when the call returned
 */
record Outcome<T>(T value, TingxinException error) {

  /** Runs {@code call}; a TingxinException whose code is in {@code allowed} is an outcome, anything else fails. */
  static <T> Outcome<T> of(Supplier<T> call, Set<ErrorCode> allowed) {
    T value;
    try {
      value = call.get();
    } catch (TingxinException e) {
      assertThat(allowed).as("undocumented code for %s", e).contains(e.code());
      assertThat(e.getMessage()).as("message of %s", e.code()).isNotBlank().hasSizeLessThan(4000);
      return new Outcome<>(null, e);
    }
    assertThat(value).as("a call that does not throw returns a value").isNotNull();
    return new Outcome<>(value, null);
  }

  boolean failed() {
    return error != null;
  }

  ErrorCode code() {
    return error == null ? null : error.code();
  }

  @Override
  public String toString() {
    return error != null ? "failed " + error : "returned " + value;
  }
}
