package io.github.tingxin.core.recognizer;

import io.github.tingxin.api.Alert;
import io.github.tingxin.api.AlertRule;
import io.github.tingxin.api.SegmentResult;
import java.util.ArrayDeque;

/**
 * Watches one stream's segments for an {@link AlertRule}: after each segment it adds up the negative speech
 * (segments with negative probability at least {@link AlertRule#probability()}) inside the last
 * {@link AlertRule#windowSeconds()} before the segment's end, counting only the part of a segment inside
 * the window. The rule holds when that reaches {@link AlertRule#negativeSpeechSeconds()}; an {@link Alert}
 * is raised when it starts to hold, and again only after it has stopped holding. Memory: the negative
 * segments within the window. Not thread-safe.
 */
final class AlertTracker {
  private final AlertRule rule;
  private final ArrayDeque<double[]> negative = new ArrayDeque<>();
  private boolean holding;

  AlertTracker(AlertRule rule) {
    this.rule = rule;
  }

  /** Takes the next segment (in time order); returns the alert it raises, or null. */
  Alert onSegment(SegmentResult segment) {
    if (segment.isNegative(rule.probability())) {
      negative.addLast(new double[] {segment.start(), segment.end()});
    }
    double now = segment.end();
    double windowStart = now - rule.windowSeconds();
    while (!negative.isEmpty() && negative.peekFirst()[1] <= windowStart) {
      negative.removeFirst();
    }
    double seconds = 0;
    for (double[] r : negative) {
      seconds += Math.max(0, Math.min(r[1], now) - Math.max(r[0], windowStart));
    }
    // A small tolerance: durations add up from sample counts, and 20 s of speech must count as 20 s.
    boolean holds = seconds >= rule.negativeSpeechSeconds() - 1e-9;
    Alert alert = holds && !holding ? new Alert(rule, now, seconds, segment) : null;
    holding = holds;
    return alert;
  }
}
