package io.github.tingxin.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What one speaker's segments of a call add up to.
 *
 * <p><b>Time counts once.</b> All durations are seconds of scored speech, and every instant counts once:
 * turns never overlap; where sliding windows overlap, each instant counts for the window whose centre is
 * nearest to it (the boundary between two overlapping windows lies halfway between their centres). Each
 * segment's share of the time, its <i>attributed time</i>, weighs it in every figure below.
 *
 * <p><b>Figures without a value are empty, never 0.</b> Those that need a negative probability are empty
 * where no segment has one (no speech, or a model without negative labels); the per-label figures are empty
 * where no segment has a finite score for the label.
 *
 * <p>Immutable and thread-safe.
 *
 * @param speaker whose speech this summarises
 * @param segments number of scored segments
 * @param shortSegments how many of them were shorter than the model's minimum
 *     ({@link SegmentResult#shortInput()})
 * @param speechSeconds speech time: the union of the segments' spans (0 without speech)
 * @param negativeSeconds attributed time of the segments whose negative probability is at least the threshold
 * @param negativeShare {@code negativeSeconds / speechSeconds}
 * @param longestNegativeRunSeconds attributed time of the longest stretch of consecutive negative segments of
 *     this speaker (the pauses and the other party's turns between them do not count)
 * @param peaks up to three segments with the highest negative probability, highest first
 * @param trend negative probability at the start of the call against its end
 * @param labels per-label mean, maximum and share of speech over threshold, in manifest order
 * @param changesPerMinute switches between negative and not-negative per minute of speech (the rate of
 *     emotional change of arXiv 2501.08696)
 * @param negativeThreshold the threshold used for "negative" above
 */
public record CallSummary(Speaker speaker, int segments, int shortSegments, double speechSeconds,
    OptionalDouble negativeSeconds, OptionalDouble negativeShare, OptionalDouble longestNegativeRunSeconds,
    List<SegmentResult> peaks, Optional<Trend> trend, List<LabelSummary> labels, OptionalDouble changesPerMinute,
    double negativeThreshold) {

  /** @throws NullPointerException if a reference is null */
  public CallSummary {
    Objects.requireNonNull(speaker, "speaker");
    Objects.requireNonNull(negativeSeconds, "negativeSeconds");
    Objects.requireNonNull(negativeShare, "negativeShare");
    Objects.requireNonNull(longestNegativeRunSeconds, "longestNegativeRunSeconds");
    Objects.requireNonNull(trend, "trend");
    Objects.requireNonNull(changesPerMinute, "changesPerMinute");
    peaks = List.copyOf(peaks);
    labels = List.copyOf(labels);
  }

  /**
   * Mean negative probability over the first and the last third of the speech time, weighted by attributed
   * time.
   *
   * @param start mean over the first third
   * @param end mean over the last third
   */
  public record Trend(double start, double end) {
    /** {@code end - start}: positive where the call grew more negative. */
    public double change() {
      return end - start;
    }
  }

  /**
   * One label over a call.
   *
   * @param head the head the label belongs to
   * @param label the label
   * @param mean mean score, weighted by attributed time
   * @param max highest score
   * @param selectedShare share of speech time in which the label was a decision
   */
  public record LabelSummary(String head, Label label, OptionalDouble mean, OptionalDouble max,
      OptionalDouble selectedShare) {
    /** @throws NullPointerException if a reference is null */
    public LabelSummary {
      Objects.requireNonNull(head, "head");
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(mean, "mean");
      Objects.requireNonNull(max, "max");
      Objects.requireNonNull(selectedShare, "selectedShare");
    }
  }
}
