package io.github.tingxin.core.recognizer;

import io.github.tingxin.api.Alert;
import io.github.tingxin.api.AlertRule;
import io.github.tingxin.api.SegmentResult;
import java.util.ArrayDeque;

/**
 * Watches one stream's segments for an {@link AlertRule}: after each segment it adds up the negative speech
 * (segments with negative probability at least {@link AlertRule#probability()}) inside the last
 * {@link AlertRule#windowSeconds()} before the segment's end, counting only the part of a segment inside
 * the window, and each instant once: segments count with their attributed time ({@link SpeechTime}; the
 * newest counts to its end until a later window shares it). The rule holds when that reaches
 * {@link AlertRule#negativeSpeechSeconds()}; an {@link Alert} is raised when it starts to hold, and again
 * only after it has stopped holding. Memory: the negative spans within the window. Not thread-safe.
 */
final class AlertTracker {
  private final AlertRule rule;
  /** Attributed spans {@code [from, to)} of earlier negative segments, in time order. */
  private final ArrayDeque<double[]> negative = new ArrayDeque<>();
  private SegmentResult last;
  private double lastFrom;
  private boolean holding;

  AlertTracker(AlertRule rule) {
    this.rule = rule;
  }

  /** Takes the next segment (in time order); returns the alert it raises, or null. */
  Alert onSegment(SegmentResult segment) {
    if (last != null && last.isNegative(rule.probability())) {
      double to = SpeechTime.attributedEnd(last, segment);
      if (to > lastFrom) {
        negative.addLast(new double[] {lastFrom, to});
      }
    }
    lastFrom = SpeechTime.attributedStart(last, segment);
    last = segment;
    double now = segment.end();
    double windowStart = now - rule.windowSeconds();
    while (!negative.isEmpty() && negative.peekFirst()[1] <= windowStart) {
      negative.removeFirst();
    }
    double seconds = 0;
    for (double[] r : negative) {
      seconds += inside(r[0], r[1], windowStart, now);
    }
    if (segment.isNegative(rule.probability())) {
      seconds += inside(lastFrom, now, windowStart, now);
    }
    // A small tolerance: durations add up from sample counts, and 20 s of speech must count as 20 s.
    boolean holds = seconds >= rule.negativeSpeechSeconds() - 1e-9;
    Alert alert = holds && !holding ? new Alert(rule, now, seconds, segment) : null;
    holding = holds;
    return alert;
  }

  private static double inside(double from, double to, double windowStart, double windowEnd) {
    return Math.max(0, Math.min(to, windowEnd) - Math.max(from, windowStart));
  }
}
