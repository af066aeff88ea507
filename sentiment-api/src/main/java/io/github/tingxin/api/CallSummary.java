package io.github.tingxin.api;

import java.util.List;
import java.util.Objects;

/**
 * What one speaker's segments of a call add up to. All durations are seconds of scored speech; figures
 * that need a negative probability are 0 where the model has no negative labels.
 *
 * <p>Immutable and thread-safe.
 *
 * @param speaker whose speech this summarises
 * @param segments number of scored segments
 * @param speechSeconds total duration of the scored segments
 * @param negativeSeconds duration of the segments whose negative probability is at least the threshold
 * @param negativeShare {@code negativeSeconds / speechSeconds}, 0 without speech
 * @param longestNegativeRunSeconds speech time of the longest stretch of consecutive negative segments of
 *     this speaker (their durations summed: the pauses and the other party's turns between them do not count)
 * @param peaks up to three segments with the highest negative probability, highest first
 * @param trend negative probability at the start of the call against its end
 * @param labels per-label mean, maximum and share of speech over threshold, in manifest order
 * @param changesPerMinute switches between negative and not-negative per minute of speech (the rate of
 *     emotional change of arXiv 2501.08696)
 * @param negativeThreshold the threshold used for "negative" above
 */
public record CallSummary(Speaker speaker, int segments, double speechSeconds, double negativeSeconds,
    double negativeShare, double longestNegativeRunSeconds, List<SegmentResult> peaks, Trend trend,
    List<LabelSummary> labels, double changesPerMinute, double negativeThreshold) {

  /** @throws NullPointerException if a reference is null */
  public CallSummary {
    Objects.requireNonNull(speaker, "speaker");
    Objects.requireNonNull(trend, "trend");
    peaks = List.copyOf(peaks);
    labels = List.copyOf(labels);
  }

  /**
   * Mean negative probability over the first and the last third of the speech, weighted by duration.
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
   * @param mean duration-weighted mean score
   * @param max highest score
   * @param selectedShare share of speech time in which the label was a decision
   */
  public record LabelSummary(String head, Label label, double mean, double max, double selectedShare) {
    /** @throws NullPointerException if a reference is null */
    public LabelSummary {
      Objects.requireNonNull(head, "head");
      Objects.requireNonNull(label, "label");
    }
  }
}
