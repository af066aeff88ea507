package io.github.tingxin.api;

/**
 * Receives results from an {@link EmotionStream}, on the thread that calls
 * {@link EmotionStream#accept(float[], int, int)} or {@link EmotionStream#finish()}. Implementations
 * should return quickly; an exception thrown here propagates to that caller and the stream stays usable.
 */
public interface StreamListener {
  /** A segment has closed and been scored. */
  void onSegment(SegmentResult segment);

  /** An alert rule started to hold. The default does nothing. */
  default void onAlert(Alert alert) {}
}
