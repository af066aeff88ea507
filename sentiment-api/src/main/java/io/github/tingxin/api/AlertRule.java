package io.github.tingxin.api;

/**
 * When a live stream raises an {@link Alert}: negative probability at least {@code probability} over at
 * least {@code negativeSpeechSeconds} of speech within the last {@code windowSeconds} of the call.
 *
 * <p>Immutable, thread-safe and serialisable.
 *
 * @param probability negative probability a segment needs to count, in (0, 1]
 * @param negativeSpeechSeconds seconds of such speech needed, > 0
 * @param windowSeconds how far back to look, at least {@code negativeSpeechSeconds}
 */
public record AlertRule(double probability, double negativeSpeechSeconds, double windowSeconds)
    implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** Negative probability over 0.8 for 20 s of speech within 2 minutes. */
  public static final AlertRule DEFAULT = new AlertRule(0.8, 20, 120);

  /** @throws IllegalArgumentException naming the invalid field */
  public AlertRule {
    if (!(probability > 0 && probability <= 1)) {
      throw new IllegalArgumentException("probability must be in (0, 1], was " + probability);
    }
    if (!(negativeSpeechSeconds > 0) || Double.isInfinite(negativeSpeechSeconds)) {
      throw new IllegalArgumentException("negativeSpeechSeconds must be finite and > 0, was "
          + negativeSpeechSeconds);
    }
    if (!(windowSeconds >= negativeSpeechSeconds) || Double.isInfinite(windowSeconds)) {
      throw new IllegalArgumentException("windowSeconds must be finite and >= negativeSpeechSeconds, was "
          + windowSeconds);
    }
  }
}
