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
 * @param start start of the speech the segment reports, in seconds from the beginning of the recording
 * @param end end of that speech, in seconds from the beginning of the recording. Segments of one speaker
 *     never overlap, except sliding windows, which overlap by design (summaries still count each instant
 *     once). The audio scored may reach beyond this span (silence padding or context, see
 *     {@code shortInput}); the span is the speech itself.
 * @param speaker whose speech it is
 * @param channel the recording's channel (0-based), or -1 for a downmix
 * @param scores every label of every head, in manifest order
 * @param negativeProbability probability that the speech is negative, where the model has negative labels
 * @param shortInput whether the model scored less audio than its shortest training input
 *     ({@link ModelManifest.SegmentLimits#minSeconds()}): a short turn or recording, scored by the model's
 *     {@link ModelManifest.ShortInput} rule (padded with silence, or as it is). Its scores rest on less
 *     speech than the model was trained for; weigh them accordingly.
 * @param prosody how the segment sounded ({@link ProsodicCues}: pitch, loudness, rate, pauses, jitter,
 *     shimmer), measured on its span alone; present only where {@link RecognizerSettings#prosody()} asks for
 *     it and the span has voiced speech to measure (at least two consecutive voiced 10 ms frames)
 */
public record SegmentResult(int index, double start, double end, Speaker speaker, int channel,
    List<LabelScore> scores, OptionalDouble negativeProbability, boolean shortInput,
    Optional<ProsodicCues> prosody) {

  /**
   * @throws NullPointerException if a reference is null
   * @throws IllegalArgumentException if the times are not {@code 0 <= start < end}
   */
  public SegmentResult {
    Objects.requireNonNull(speaker, "speaker");
    Objects.requireNonNull(negativeProbability, "negativeProbability");
    Objects.requireNonNull(prosody, "prosody");
    scores = List.copyOf(scores);
    if (!(start >= 0) || !(end > start)) {
      throw new IllegalArgumentException("need 0 <= start < end, got " + start + ", " + end);
    }
  }

  /** A result without prosodic cues. */
  public SegmentResult(int index, double start, double end, Speaker speaker, int channel, List<LabelScore> scores,
      OptionalDouble negativeProbability, boolean shortInput) {
    this(index, start, end, speaker, channel, scores, negativeProbability, shortInput, Optional.empty());
  }

  /**
   * A result scored from at least the model's minimum length of audio ({@code shortInput} false), without
   * prosodic cues.
   */
  public SegmentResult(int index, double start, double end, Speaker speaker, int channel, List<LabelScore> scores,
      OptionalDouble negativeProbability) {
    this(index, start, end, speaker, channel, scores, negativeProbability, false, Optional.empty());
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
