package io.github.tingxin.core.vad;

import io.github.tingxin.spi.RegionTuning;

/**
 * Turns per-frame speech probabilities into speech regions, one frame at a time, as Silero's
 * {@code get_speech_timestamps} does: a region starts when a frame reaches the onset threshold and the
 * next frames stay at or above the offset threshold for {@link RegionTuning#minSpeechSeconds()}; it ends
 * once the probability has stayed under the offset threshold for {@link RegionTuning#minSilenceSeconds()}
 * (the hangover). Regions are widened by {@link RegionTuning#padSeconds()} on both sides, never overlapping
 * the previous region.
 *
 * <p>{@link #push(float)} reports at most one event per frame; {@link #startFrame()} and {@link #endFrame()}
 * say where the region starts or ends (in frames, end exclusive). At the end of the input
 * ({@link #finish()}), speech that had started but not yet lasted the minimum counts as a region: the input
 * cut it short, not the speaker, and a caller's last words must not be lost for it. A start is reported at most
 * {@code minSpeech + pad} frames after the frame it names, an end at once when it is known. Not thread-safe;
 * one tracker per stream, allocation-free.
 */
public final class SpeechRegionTracker {

  /** {@link #push} result: nothing changed. */
  public static final int NONE = 0;
  /** {@link #push} result: a region started at {@link #startFrame()}. */
  public static final int START = 1;
  /** {@link #push} result: the open region ended at {@link #endFrame()} (exclusive). */
  public static final int END = 2;
  /**
   * {@link #finish} result, {@code START | END}: speech cut short by the end of the input is a region from
   * {@link #startFrame()} to {@link #endFrame()}.
   */
  public static final int START_AND_END = START | END;

  private static final int SILENCE = 0;
  private static final int CANDIDATE = 1;
  private static final int SPEECH = 2;

  private final float onset;
  private final float offset;
  private final int minSpeechFrames;
  private final int minSilenceFrames;
  private final int padFrames;

  private int state = SILENCE;
  private long frame;
  private long candidateStart;
  private long lastSpeech;
  private long lastEnd;
  private int run;
  private long startFrame = -1;
  private long endFrame = -1;

  /**
   * @param options the thresholds and durations
   * @param frameSeconds duration of one frame, seconds
   */
  public SpeechRegionTracker(RegionTuning options, double frameSeconds) {
    if (!(frameSeconds > 0)) {
      throw new IllegalArgumentException("frameSeconds must be > 0, was " + frameSeconds);
    }
    this.onset = (float) options.onset();
    this.offset = (float) options.offset();
    this.minSpeechFrames = Math.max(1, (int) Math.round(options.minSpeechSeconds() / frameSeconds));
    this.minSilenceFrames = Math.max(1, (int) Math.round(options.minSilenceSeconds() / frameSeconds));
    this.padFrames = Math.min(minSilenceFrames, (int) Math.round(options.padSeconds() / frameSeconds));
  }

  /** Frames the tracker may look back when it reports a start: minimum speech plus padding. */
  public int lookbackFrames() {
    return minSpeechFrames + padFrames;
  }

  /** Whether a region is open (started, not yet ended). */
  public boolean inSpeech() {
    return state == SPEECH;
  }

  /** Frames pushed so far. */
  public long frames() {
    return frame;
  }

  /**
   * The last frame at or above the offset threshold in the open region (or the region last ended). The open
   * region's end, when it comes, is after it: a cut at or before {@code lastSpeechFrame() + 1} is inside it.
   */
  public long lastSpeechFrame() {
    return lastSpeech;
  }

  /** The first frame of the region last reported as started. */
  public long startFrame() {
    return startFrame;
  }

  /** The end (exclusive) of the region last reported as ended. */
  public long endFrame() {
    return endFrame;
  }

  /**
   * Takes the next frame's probability.
   *
   * @return {@link #NONE}, {@link #START} or {@link #END}
   */
  public int push(float probability) {
    long f = frame++;
    switch (state) {
      case SILENCE -> {
        if (probability >= onset) {
          candidateStart = f;
          run = 1;
          state = CANDIDATE;
          return confirmIfLongEnough(f, false);
        }
        return NONE;
      }
      case CANDIDATE -> {
        if (probability >= offset) {
          run++;
          return confirmIfLongEnough(f, false);
        }
        state = SILENCE;
        return NONE;
      }
      default -> {
        if (probability >= offset) {
          lastSpeech = f;
          run = 0;
          return NONE;
        }
        run++;
        if (run >= minSilenceFrames) {
          endFrame = Math.min(lastSpeech + 1 + padFrames, f + 1);
          lastEnd = endFrame;
          state = SILENCE;
          return END;
        }
        return NONE;
      }
    }
  }

  /**
   * Ends the input: closes an open region at the last speech frame plus padding, capped at the frames
   * pushed. Speech that started (a frame at the onset, the frames since at or above the offset) but had not
   * yet lasted the minimum when the input ended is a region too, to the end of the input.
   *
   * @return {@link #END} if a region was open, {@link #START_AND_END} for speech cut short by the end of the
   *     input, else {@link #NONE}; test the bits ({@code (result & END) != 0})
   */
  public int finish() {
    int event = NONE;
    if (state == CANDIDATE) {
      confirmIfLongEnough(frame - 1, true);
      event = START;
    }
    if (state == SPEECH) {
      endFrame = Math.min(lastSpeech + 1 + padFrames, frame);
      lastEnd = endFrame;
      event |= END;
    }
    state = SILENCE;
    return event;
  }

  private int confirmIfLongEnough(long f, boolean endOfInput) {
    if (run < minSpeechFrames && !endOfInput) {
      return NONE;
    }
    state = SPEECH;
    lastSpeech = f;
    run = 0;
    startFrame = Math.max(Math.max(candidateStart - padFrames, lastEnd), 0);
    return START;
  }
}
