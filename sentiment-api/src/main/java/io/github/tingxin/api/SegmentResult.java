package io.github.tingxin.api;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The model's answer for one segment of speech.
 *
 * <p>Immutable and thread-safe.
 *
 * @param index position of the segment in its call (0-based, in time order per speaker)
 * @param start start, in seconds from the beginning of the recording
 * @param end end, in seconds from the beginning of the recording
 * @param speaker whose speech it is
 * @param channel the recording's channel (0-based), or -1 for a downmix
 * @param scores every label of every head, in manifest order
 * @param negativeProbability probability that the speech is negative, where the model has negative labels
 */
public record SegmentResult(int index, double start, double end, Speaker speaker, int channel,
    List<LabelScore> scores, OptionalDouble negativeProbability) {

  /**
   * @throws NullPointerException if a reference is null
   * @throws IllegalArgumentException if the times are not {@code 0 <= start < end}
   */
  public SegmentResult {
    Objects.requireNonNull(speaker, "speaker");
    Objects.requireNonNull(negativeProbability, "negativeProbability");
    scores = List.copyOf(scores);
    if (!(start >= 0) || !(end > start)) {
      throw new IllegalArgumentException("need 0 <= start < end, got " + start + ", " + end);
    }
  }

  /** Duration in seconds. */
  public double duration() {
    return end - start;
  }

  /** The highest-scoring label of the first classification head (the top class or top label). */
  public Optional<Label> topLabel() {
    Optional<String> firstHead = scores.stream().filter(s -> !Double.isNaN(s.score())).map(LabelScore::head)
        .findFirst();
    return firstHead.flatMap(h -> scores.stream().filter(s -> s.head().equals(h))
        .max(Comparator.comparingDouble(LabelScore::score)).map(LabelScore::label));
  }

  /** The labels that are decisions (over threshold, or the top class), in manifest order. */
  public List<Label> selectedLabels() {
    return scores.stream().filter(LabelScore::selected).map(LabelScore::label).toList();
  }

  /** The score of {@code labelId} in the first head that has it. */
  public OptionalDouble score(String labelId) {
    return scores.stream().filter(s -> s.label().id().equals(labelId)).mapToDouble(LabelScore::score).findFirst();
  }

  /** Whether the negative probability is at least {@code threshold}. */
  public boolean isNegative(double threshold) {
    return negativeProbability.isPresent() && negativeProbability.getAsDouble() >= threshold;
  }
}
