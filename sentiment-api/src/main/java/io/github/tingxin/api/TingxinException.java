package io.github.tingxin.api;

import java.util.Objects;

/**
 * The one exception type Tingxin throws for bad input, bad models and failed runs. It is unchecked, as
 * most callers cannot recover locally; those that can switch on {@link #code()}.
 *
 * <p>Messages say what is wrong and what to do, and never contain audio samples, features or scores
 * (hotline audio is sensitive). Programming errors (a {@code null} argument, use after close) are
 * reported with the usual {@link NullPointerException}, {@link IllegalArgumentException} and
 * {@link IllegalStateException} instead.
 *
 * <p>Immutable and thread-safe.
 */
public class TingxinException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  /**
   * @param code what went wrong
   * @param message what is wrong and what to do about it
   * @throws NullPointerException if {@code code} or {@code message} is null
   */
  public TingxinException(ErrorCode code, String message) {
    super(Objects.requireNonNull(message, "message"));
    this.code = Objects.requireNonNull(code, "code");
  }

  /**
   * @param code what went wrong
   * @param message what is wrong and what to do about it
   * @param cause the underlying failure
   * @throws NullPointerException if {@code code} or {@code message} is null
   */
  public TingxinException(ErrorCode code, String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** The stable code of this failure. */
  public ErrorCode code() {
    return code;
  }

  @Override
  public String toString() {
    return "TingxinException[" + code + "]: " + getMessage();
  }
}
