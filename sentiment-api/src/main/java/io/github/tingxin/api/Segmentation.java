package io.github.tingxin.api;

import java.util.Objects;

/**
 * How speech is cut into the segments the model scores.
 *
 * <p>Immutable and thread-safe.
 *
 * @param mode turn-like segments or fixed windows
 * @param vad which voice activity detector finds speech ({@link Vad#NONE} scores everything)
 * @param minSeconds for {@link Mode#TURNS}: the length a turn aims for: a shorter turn waits for more speech to
 *     join it, a long turn's pieces are at least this long (the last one scored with its turn's audio before
 *     it as context); 0 means the model's own minimum. Nothing is dropped for being shorter: segments under
 *     the model's minimum are scored by its {@link ModelManifest.ShortInput} rule and flagged
 *     {@link SegmentResult#shortInput()}
 * @param maxSeconds longest segment; longer turns are split; 0 means the model's own maximum
 * @param minPauseSeconds for {@link Mode#TURNS}: a pause at least this long ends a turn
 * @param windowSeconds for {@link Mode#SLIDING}: window length; 0 means the model's maximum. Windows shorter
 *     than the model's minimum are scored by its short-input rule and flagged, as short turns are
 * @param hopSeconds for {@link Mode#SLIDING}: step between window starts; 0 means the window length. Windows
 *     overlap where the hop is shorter than the window; summaries still count each instant once
 *     ({@link CallSummary})
 */
public record Segmentation(Mode mode, Vad vad, double minSeconds, double maxSeconds, double minPauseSeconds,
    double windowSeconds, double hopSeconds) {

  /** Segmentation modes. */
  public enum Mode {
    /**
     * Speech regions split at pauses, as turns; long turns split into pieces of at most maxSeconds. Turns
     * never overlap, and together they cover every frame the detector calls speech.
     */
    TURNS,
    /**
     * Fixed windows every hop over each speech region, for continuous audio; a region's tail that no full
     * window covered gets one last window ending at the region's end (shorter where the region is).
     */
    SLIDING
  }

  /** Voice activity detectors. */
  public enum Vad {
    /** Energy and spectral-flatness detector with adaptive noise floor (no model; the default). */
    ENERGY,
    /** Silero VAD (the ONNX model shipped with Tingxin; needs an inference backend). */
    SILERO,
    /** No detection: all audio is speech. */
    NONE
  }

  /** Turns found by the energy detector, split at pauses of 0.3 s, within the model's limits. */
  public static final Segmentation DEFAULT = new Segmentation(Mode.TURNS, Vad.ENERGY, 0, 0, 0.3, 0, 0);

  /** @throws IllegalArgumentException naming the invalid field */
  public Segmentation {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(vad, "vad");
    nonNegative(minSeconds, "minSeconds");
    nonNegative(maxSeconds, "maxSeconds");
    nonNegative(minPauseSeconds, "minPauseSeconds");
    nonNegative(windowSeconds, "windowSeconds");
    nonNegative(hopSeconds, "hopSeconds");
    if (maxSeconds > 0 && minSeconds > maxSeconds) {
      throw new IllegalArgumentException("minSeconds " + minSeconds + " exceeds maxSeconds " + maxSeconds);
    }
    if (hopSeconds > 0 && windowSeconds > 0 && hopSeconds > windowSeconds) {
      throw new IllegalArgumentException("hopSeconds " + hopSeconds + " exceeds windowSeconds " + windowSeconds
          + " (audio between windows would never be scored)");
    }
  }

  /** Turn-like segments with the given detector and the model's limits. */
  public static Segmentation turns(Vad vad) {
    return new Segmentation(Mode.TURNS, vad, 0, 0, 0.3, 0, 0);
  }

  /** Sliding windows of {@code windowSeconds} every {@code hopSeconds} over the speech the detector finds. */
  public static Segmentation sliding(Vad vad, double windowSeconds, double hopSeconds) {
    return new Segmentation(Mode.SLIDING, vad, 0, 0, 0, windowSeconds, hopSeconds);
  }

  /** This segmentation with other segment limits. */
  public Segmentation withLimits(double minSeconds, double maxSeconds) {
    return new Segmentation(mode, vad, minSeconds, maxSeconds, minPauseSeconds, windowSeconds, hopSeconds);
  }

  private static void nonNegative(double v, String name) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(name + " must be finite and >= 0, was " + v);
    }
  }
}
