package io.github.tingxin.api;

import java.util.Objects;

/**
 * One label's score for one segment.
 *
 * <p>Immutable and thread-safe.
 *
 * @param head the model head the label belongs to
 * @param label the label
 * @param score a probability in [0, 1] for classification heads; the value within the label's range for
 *     dimensional heads
 * @param threshold the label's decision threshold from the manifest
 * @param selected whether the label is a decision: over its threshold (binary, multi-label, dimensional),
 *     or the top class (multi-class)
 */
public record LabelScore(String head, Label label, double score, double threshold, boolean selected) {
  /** @throws NullPointerException if {@code head} or {@code label} is null */
  public LabelScore {
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(label, "label");
  }
}
