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

/**
 * Adds up one speaker's scored segments into a {@link CallSummary}, with every figure as
 * {@link CallSummary}'s javadoc defines it. Stateless and thread-safe.
 *
 * <ul>
 *   <li>negative: a segment whose negative probability is at least the threshold; segments without a
 *   negative probability never count;</li>
 *   <li>longest negative run: the speech time of the longest stretch of consecutive negative segments (in time
 *   order), their durations summed, so that pauses and the other party's turns between them never count;</li>
 *   <li>peaks: the three highest negative probabilities, highest first, the earlier segment first among
 *   equals;</li>
 *   <li>trend: duration-weighted mean negative probability over the first and the last third of the speech
 *   time (segments laid end to end; a segment straddling a boundary counts with the part inside);</li>
 *   <li>changes per minute: switches between negative and not negative from one segment to the next, per
 *   minute of speech.</li>
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
    double speech = 0;
    double negative = 0;
    double longestRun = 0;
    double run = 0;
    int changes = 0;
    int previous = -1; // -1 unknown, 0 not negative, 1 negative
    for (SegmentResult s : segments) {
      speech += s.duration();
      boolean hasProbability = s.negativeProbability().isPresent();
      boolean isNegative = s.isNegative(threshold);
      if (isNegative) {
        negative += s.duration();
        run += s.duration();
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

    Trend trend = new Trend(thirdMean(segments, speech, 0, speech / 3), thirdMean(segments, speech, speech * 2 / 3,
        speech));

    List<LabelSummary> labels = new ArrayList<>();
    for (Head head : heads) {
      for (int l = 0; l < head.labels().size(); l++) {
        String id = head.labels().get(l).id();
        double weighted = 0;
        double max = segments.isEmpty() ? 0 : Double.NEGATIVE_INFINITY;
        double selected = 0;
        for (SegmentResult s : segments) {
          LabelScore score = find(s, head.name(), id);
          weighted += score.score() * s.duration();
          max = Math.max(max, score.score());
          if (score.selected()) {
            selected += s.duration();
          }
        }
        labels.add(new LabelSummary(head.name(), head.labels().get(l), speech > 0 ? weighted / speech : 0, max,
            speech > 0 ? selected / speech : 0));
      }
    }
    double minutes = speech / 60;
    return new CallSummary(speaker, segments.size(), speech, negative, speech > 0 ? negative / speech : 0, longestRun,
        peaks, trend, labels, minutes > 0 ? changes / minutes : 0, threshold);
  }

  /** Duration-weighted mean negative probability over speech time {@code [from, to)} (segments end to end). */
  private static double thirdMean(List<SegmentResult> segments, double speech, double from, double to) {
    if (speech <= 0) {
      return 0;
    }
    double t = 0;
    double weighted = 0;
    double weight = 0;
    for (SegmentResult s : segments) {
      double a = t;
      double b = t + s.duration();
      t = b;
      double overlap = Math.min(b, to) - Math.max(a, from);
      if (overlap > 0 && s.negativeProbability().isPresent()) {
        weighted += overlap * s.negativeProbability().getAsDouble();
        weight += overlap;
      }
    }
    return weight > 0 ? weighted / weight : 0;
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
