package io.github.tingxin.api;

import java.util.Objects;

/**
 * An {@link AlertRule} held during a live call. Raised once when the rule starts to hold; raised again
 * only after it has stopped holding.
 *
 * <p>Immutable and thread-safe.
 *
 * @param rule the rule that holds
 * @param at time in the call, in seconds, when it started to hold (the end of the segment that tipped it)
 * @param negativeSpeechSeconds negative speech within the rule's window at that moment
 * @param trigger the segment that tipped it
 */
public record Alert(AlertRule rule, double at, double negativeSpeechSeconds, SegmentResult trigger) {
  /** @throws NullPointerException if a reference is null */
  public Alert {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(trigger, "trigger");
  }
}
