package io.github.tingxin.api;

import java.util.Locale;
import java.util.Objects;

/**
 * How speech is cut into the segments the model scores.
 *
 * <p>Ranges, checked here: every length is finite and not negative; {@code maxSeconds},
 * {@code windowSeconds} and {@code hopSeconds} are 0 (their default) or at least
 * {@value #SHORTEST_STEP_SECONDS} s, finer than any voice activity detector's frame, so that no
 * setting can ask for millions of segments per second of audio; the hop is at most the window.
 *
 * <p>Immutable, thread-safe and serialisable.
 *
 * @param mode turn-like segments or fixed windows
 * @param vad the name of the voice activity detector that finds speech: any
 *     {@link io.github.tingxin.spi.VoiceActivityDetectorProvider#name()} on the class path, such as the
 *     built-ins {@link Vad#ENERGY}, {@link Vad#SILERO} and {@link Vad#NONE} (which scores everything); stored
 *     stripped and in lower case. A name no provider offers is refused when the recognizer is built
 *     ({@link ErrorCode#VAD_UNAVAILABLE}, listing the names available).
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
public record Segmentation(Mode mode, String vad, double minSeconds, double maxSeconds, double minPauseSeconds,
    double windowSeconds, double hopSeconds) implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * The shortest segment length, window or hop that may be asked for: 10 ms, finer than the frames in which
   * the detectors find speech (20 ms for the energy detector by default, 32 ms for Silero), so a shorter step
   * would only multiply the work.
   */
  public static final double SHORTEST_STEP_SECONDS = 0.01;

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

  /**
   * The names of the voice activity detectors Tingxin ships; a plug-in's detector is named by its provider
   * ({@code docs/plugins.md}). Constants only.
   */
  public static final class Vad {
    /** Energy and spectral-flatness detector with adaptive noise floor (no model; the default; sentiment-core). */
    public static final String ENERGY = "energy";
    /** Silero VAD (the ONNX model shipped with sentiment-onnx). */
    public static final String SILERO = "silero";
    /** No detection: all audio is speech (sentiment-core). */
    public static final String NONE = "none";

    private Vad() {}
  }

  /** Turns found by the energy detector, split at pauses of 0.3 s, within the model's limits. */
  public static final Segmentation DEFAULT = new Segmentation(Mode.TURNS, Vad.ENERGY, 0, 0, 0.3, 0, 0);

  /**
   * @throws NullPointerException if {@code mode} or {@code vad} is null
   * @throws IllegalArgumentException naming the invalid field
   */
  public Segmentation {
    Objects.requireNonNull(mode, "mode");
    vad = Objects.requireNonNull(vad, "vad").strip().toLowerCase(Locale.ROOT);
    if (vad.isEmpty()) {
      throw new IllegalArgumentException("vad must name a voice activity detector, e.g. " + Vad.ENERGY);
    }
    nonNegative(minSeconds, "minSeconds");
    nonNegative(maxSeconds, "maxSeconds");
    nonNegative(minPauseSeconds, "minPauseSeconds");
    nonNegative(windowSeconds, "windowSeconds");
    nonNegative(hopSeconds, "hopSeconds");
    zeroOrAtLeastAStep(maxSeconds, "maxSeconds");
    zeroOrAtLeastAStep(windowSeconds, "windowSeconds");
    zeroOrAtLeastAStep(hopSeconds, "hopSeconds");
    if (maxSeconds > 0 && minSeconds > maxSeconds) {
      throw new IllegalArgumentException("minSeconds " + minSeconds + " exceeds maxSeconds " + maxSeconds);
    }
    if (hopSeconds > 0 && windowSeconds > 0 && hopSeconds > windowSeconds) {
      throw new IllegalArgumentException("hopSeconds " + hopSeconds + " exceeds windowSeconds " + windowSeconds
          + " (audio between windows would never be scored)");
    }
  }

  /** Turn-like segments with the given detector and the model's limits. */
  public static Segmentation turns(String vad) {
    return new Segmentation(Mode.TURNS, vad, 0, 0, 0.3, 0, 0);
  }

  /** Sliding windows of {@code windowSeconds} every {@code hopSeconds} over the speech the detector finds. */
  public static Segmentation sliding(String vad, double windowSeconds, double hopSeconds) {
    return new Segmentation(Mode.SLIDING, vad, 0, 0, 0, windowSeconds, hopSeconds);
  }

  /** This segmentation with other segment limits. */
  public Segmentation withLimits(double minSeconds, double maxSeconds) {
    return new Segmentation(mode, vad, minSeconds, maxSeconds, minPauseSeconds, windowSeconds, hopSeconds);
  }

  private static void zeroOrAtLeastAStep(double v, String name) {
    if (v != 0 && v < SHORTEST_STEP_SECONDS) {
      throw new IllegalArgumentException(name + " must be 0 (the default) or at least " + SHORTEST_STEP_SECONDS
          + " s, was " + v);
    }
  }

  private static void nonNegative(double v, String name) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(name + " must be finite and >= 0, was " + v);
    }
  }
}
