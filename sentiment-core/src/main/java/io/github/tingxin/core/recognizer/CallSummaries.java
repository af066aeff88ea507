package io.github.tingxin.core.recognizer;

import io.github.tingxin.api.CallSummary;
import io.github.tingxin.api.CallSummary.LabelSummary;
import io.github.tingxin.api.CallSummary.Trend;
import io.github.tingxin.api.LabelScore;
import io.github.tingxin.api.ModelManifest.Head;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.Speaker;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Adds up one speaker's scored segments into a {@link CallSummary}, with every figure as
 * {@link CallSummary}'s javadoc defines it. Each segment weighs by its attributed time
 * ({@link SpeechTime}), so every instant of speech counts once. Stateless and thread-safe.
 *
 * <ul>
 *   <li>negative: a segment whose negative probability is at least the threshold; segments without a
 *   negative probability never count; without any negative probability the negative figures are empty;</li>
 *   <li>longest negative run: the attributed time of the longest stretch of consecutive negative segments
 *   (in time order), so that pauses and the other party's turns between them never count;</li>
 *   <li>peaks: the three highest negative probabilities, highest first, the earlier segment first among
 *   equals;</li>
 *   <li>trend: mean negative probability over the first and the last third of the speech time (attributed
 *   times laid end to end; a segment straddling a boundary counts with the part inside);</li>
 *   <li>changes per minute: switches between negative and not negative from one segment to the next, per
 *   minute of speech;</li>
 *   <li>labels: mean and share over the segments with a finite score for the label, empty without one.</li>
 * </ul>
 */
final class CallSummaries {
  private static final int PEAKS = 3;

  private CallSummaries() {}

  /**
   * @param segments the speaker's segments, in time order
   * @param heads the model's heads (for the per-label summary, in manifest order)
   */
  static CallSummary summarize(Speaker speaker, List<SegmentResult> segments, List<Head> heads, double threshold) {
    double[] time = SpeechTime.attributed(segments);
    double speech = 0;
    double negative = 0;
    double longestRun = 0;
    double run = 0;
    int changes = 0;
    int shortSegments = 0;
    boolean anyProbability = false;
    int previous = -1; // -1 unknown, 0 not negative, 1 negative
    for (int i = 0; i < segments.size(); i++) {
      SegmentResult s = segments.get(i);
      speech += time[i];
      if (s.shortInput()) {
        shortSegments++;
      }
      boolean hasProbability = s.negativeProbability().isPresent();
      anyProbability |= hasProbability;
      boolean isNegative = s.isNegative(threshold);
      if (isNegative) {
        negative += time[i];
        run += time[i];
        longestRun = Math.max(longestRun, run);
      } else {
        run = 0;
      }
      if (hasProbability) {
        int state = isNegative ? 1 : 0;
        if (previous >= 0 && state != previous) {
          changes++;
        }
        previous = state;
      }
    }

    List<SegmentResult> peaks = segments.stream().filter(s -> s.negativeProbability().isPresent())
        .sorted(Comparator.comparingDouble((SegmentResult s) -> -s.negativeProbability().getAsDouble())
            .thenComparingDouble(SegmentResult::start))
        .limit(PEAKS).toList();

    List<LabelSummary> labels = new ArrayList<>();
    for (Head head : heads) {
      for (int l = 0; l < head.labels().size(); l++) {
        labels.add(label(segments, time, head, l));
      }
    }
    boolean figures = anyProbability && speech > 0;
    Optional<Trend> trend = figures ? Optional.of(new Trend(thirdMean(segments, time, 0, speech / 3),
        thirdMean(segments, time, speech * 2 / 3, speech))) : Optional.empty();
    return new CallSummary(speaker, segments.size(), shortSegments, speech, optional(figures, negative),
        optional(figures, negative / speech), optional(figures, longestRun), peaks, trend, labels,
        optional(figures, changes / (speech / 60)), threshold);
  }

  private static LabelSummary label(List<SegmentResult> segments, double[] time, Head head, int l) {
    String id = head.labels().get(l).id();
    double weighted = 0;
    double weight = 0;
    double max = Double.NEGATIVE_INFINITY;
    double selected = 0;
    for (int i = 0; i < segments.size(); i++) {
      LabelScore score = find(segments.get(i), head.name(), id);
      if (!Double.isFinite(score.score())) {
        continue;
      }
      weighted += score.score() * time[i];
      weight += time[i];
      max = Math.max(max, score.score());
      if (score.selected()) {
        selected += time[i];
      }
    }
    boolean any = max > Double.NEGATIVE_INFINITY;
    return new LabelSummary(head.name(), head.labels().get(l), optional(any && weight > 0, weighted / weight),
        optional(any, max), optional(any && weight > 0, selected / weight));
  }

  private static OptionalDouble optional(boolean present, double value) {
    return present ? OptionalDouble.of(value) : OptionalDouble.empty();
  }

  /** Mean negative probability over speech time {@code [from, to)} (attributed times end to end). */
  private static double thirdMean(List<SegmentResult> segments, double[] time, double from, double to) {
    double t = 0;
    double weighted = 0;
    double weight = 0;
    for (int i = 0; i < segments.size(); i++) {
      SegmentResult s = segments.get(i);
      double a = t;
      double b = t + time[i];
      t = b;
      double overlap = Math.min(b, to) - Math.max(a, from);
      if (overlap > 0 && s.negativeProbability().isPresent()) {
        weighted += overlap * s.negativeProbability().getAsDouble();
        weight += overlap;
      }
    }
    return weight > 0 ? weighted / weight : Double.NaN;
  }

  private static LabelScore find(SegmentResult s, String head, String id) {
    for (LabelScore score : s.scores()) {
      if (score.head().equals(head) && score.label().id().equals(id)) {
        return score;
      }
    }
    throw new IllegalStateException("segment lacks label " + head + "/" + id);
  }
}
