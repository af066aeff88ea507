package io.github.tingxin.core.recognizer;

import io.github.tingxin.api.CallSummary;
import io.github.tingxin.api.SegmentResult;
import java.util.List;

/**
 * How one speaker's segments share time so that every instant counts once, as {@link CallSummary} defines
 * it: turns never overlap and keep their whole span; where two consecutive segments (sliding windows)
 * overlap, the instants they share go to the one whose centre is nearer, so the boundary lies halfway
 * between their centres. The segments are in time order with their ends in order too, as turns and
 * windows are; then the attributed spans are disjoint and their union is the union of the segments.
 * Stateless and thread-safe.
 */
final class SpeechTime {
  private SpeechTime() {}

  /**
   * Where the attributed time of {@code earlier} ends and that of {@code later} begins, if they overlap;
   * {@code later.start()} if they do not.
   */
  static double boundary(SegmentResult earlier, SegmentResult later) {
    if (earlier.end() <= later.start()) {
      return later.start();
    }
    double halfway = (earlier.start() + earlier.end() + later.start() + later.end()) / 4;
    return Math.max(later.start(), Math.min(earlier.end(), halfway));
  }

  /**
   * The start of a segment's attributed span, given the segment before it (or null).
   */
  static double attributedStart(SegmentResult previous, SegmentResult segment) {
    return previous == null ? segment.start() : Math.max(segment.start(), boundary(previous, segment));
  }

  /**
   * The end of a segment's attributed span, given the segment after it (or null).
   */
  static double attributedEnd(SegmentResult segment, SegmentResult next) {
    return next == null ? segment.end() : Math.min(segment.end(), boundary(segment, next));
  }

  /** Each segment's attributed time, in seconds, in the list's order. */
  static double[] attributed(List<SegmentResult> segments) {
    int n = segments.size();
    double[] seconds = new double[n];
    for (int i = 0; i < n; i++) {
      SegmentResult s = segments.get(i);
      double from = attributedStart(i > 0 ? segments.get(i - 1) : null, s);
      double to = attributedEnd(s, i + 1 < n ? segments.get(i + 1) : null);
      seconds[i] = Math.max(0, to - from);
    }
    return seconds;
  }
}
