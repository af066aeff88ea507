package io.github.tingxin.core.segment;

import io.github.tingxin.api.Segmentation;
import io.github.tingxin.core.vad.SpeechRegionTracker;
import io.github.tingxin.spi.RegionTuning;
import io.github.tingxin.spi.VoiceActivityDetector;
import java.util.Objects;

/**
 * Cuts one stream of audio (at the detector's rate) into segments as it arrives.
 *
 * <p>Samples go to a voice activity detector stream; its per-frame probabilities go to a
 * {@link SpeechRegionTracker}; the regions are cut in one of two ways:
 * <ul>
 *   <li>{@link Segmentation.Mode#TURNS}: a region is a turn; turns separated by less than
 *   {@link Options#minPauseSeconds()} are joined (the short pause stays inside). A turn that reaches
 *   {@link Options#maxSeconds()} is cut at its quietest frame (lowest speech probability, the latest of
 *   equals) in the second half of that length (and not before {@link Options#minSeconds()}), and the rest
 *   goes on as the next segment. Turns and their pieces never overlap, and together they cover every frame
 *   of every region.</li>
 *   <li>{@link Segmentation.Mode#SLIDING}: windows of {@link Options#windowSeconds()} every
 *   {@link Options#hopSeconds()} from each region's start; a region's tail that no full window covered
 *   gets one last window ending at the region's end (shorter if the region is). Windows overlap where the
 *   hop is shorter than the window.</li>
 * </ul>
 * A turn shorter than {@link Options#minSeconds()} waits up to the larger of the minimum pause and the
 * minimum length for more speech to join it (slow, sad speech pauses often); if none comes it is emitted
 * as it is: nothing is dropped for being short (the scorer applies the model's short-input rule). The last
 * piece of a split turn that is shorter than the minimum is reported as its own span and handed to the sink
 * with its turn's audio before it as context, up to the minimum length.
 * Only segments shorter than {@link Options#floorSeconds()} (too short to score at all) are dropped, and
 * counted.
 *
 * <p>Every decision is taken per detector frame, so feeding the audio in chunks of any size gives exactly
 * the same segments. Memory is bounded: a ring holds the longest segment plus the pause and detector
 * look-back. A segment is emitted at most {@code maxSeconds} (or a window) after it starts, and a turn
 * {@code minPauseSeconds} plus the detector's hangover and look-back after its speech ends.
 *
 * <p>Not thread-safe: one segmenter per stream.
 */
public final class StreamingSegmenter {

  /** Receives segments as they close, on the thread that feeds the segmenter. */
  @FunctionalInterface
  public interface Sink {
    /**
     * A segment has closed.
     *
     * @param startSample first sample of the segment's span, counted from the start of the stream
     * @param endSample end of the span (exclusive)
     * @param samples the audio to score, a fresh array the sink owns: the span, preceded by context where
     *     the span is the short last piece of a split turn (so it covers
     *     {@code [endSample - samples.length, endSample)}, starting at or before {@code startSample})
     */
    void segment(long startSample, long endSample, float[] samples);
  }

  /**
   * Segment lengths, resolved to seconds (no "0 means the model's" here).
   *
   * @param mode turns or sliding windows
   * @param minSeconds for turns: the length a turn aims for (short turns wait for speech to join them; the
   *     pieces of a split turn are at least this long, or carry context to it), >= 0
   * @param maxSeconds longest turn, > 0
   * @param minPauseSeconds for turns: pause that ends a turn, >= 0
   * @param windowSeconds for sliding: window length, in (0, maxSeconds]
   * @param hopSeconds for sliding: step between windows, in (0, windowSeconds]
   * @param floorSeconds segments shorter than this are too short to score and are dropped, in
   *     [0, maxSeconds]
   */
  public record Options(Segmentation.Mode mode, double minSeconds, double maxSeconds, double minPauseSeconds,
      double windowSeconds, double hopSeconds, double floorSeconds) {
    /** @throws IllegalArgumentException naming the invalid field */
    public Options {
      Objects.requireNonNull(mode, "mode");
      if (!(minSeconds >= 0) || !(maxSeconds > 0) || maxSeconds > 3600 || minSeconds > maxSeconds) {
        throw new IllegalArgumentException("need 0 <= minSeconds <= maxSeconds <= 3600, got " + minSeconds + ", "
            + maxSeconds);
      }
      if (!(floorSeconds >= 0 && floorSeconds <= maxSeconds)) {
        throw new IllegalArgumentException("floorSeconds must be in [0, maxSeconds], was " + floorSeconds);
      }
      if (!(minPauseSeconds >= 0 && minPauseSeconds <= 60)) {
        throw new IllegalArgumentException("minPauseSeconds must be in [0, 60], was " + minPauseSeconds);
      }
      if (mode == Segmentation.Mode.SLIDING) {
        if (!(windowSeconds > 0 && windowSeconds <= maxSeconds)) {
          throw new IllegalArgumentException("windowSeconds must be in (0, maxSeconds], was " + windowSeconds);
        }
        if (!(hopSeconds > 0 && hopSeconds <= windowSeconds)) {
          throw new IllegalArgumentException("hopSeconds must be in (0, windowSeconds], was " + hopSeconds);
        }
      }
    }

    /** Options with the floor of {@link io.github.tingxin.api.ModelManifest.SegmentLimits#FLOOR_SECONDS}. */
    public Options(Segmentation.Mode mode, double minSeconds, double maxSeconds, double minPauseSeconds,
        double windowSeconds, double hopSeconds) {
      this(mode, minSeconds, maxSeconds, minPauseSeconds, windowSeconds, hopSeconds,
          Math.min(maxSeconds, io.github.tingxin.api.ModelManifest.SegmentLimits.FLOOR_SECONDS));
    }
  }

  private static final int IDLE = 0;
  private static final int OPEN = 1;
  private static final int PENDING = 2;

  private final Options options;
  private final VoiceActivityDetector.Stream vad;
  private final SpeechRegionTracker tracker;
  private final Sink sink;
  private final int frameSamples;
  private final long minSamples;
  private final long floorSamples;
  private final long maxSamples;
  private final long minPauseSamples;
  private final long windowSamples;
  private final long hopSamples;
  private final long pauseWaitSamples;
  private final long shortJoinSamples;
  private final long shortWaitSamples;
  private final SampleRing ring;
  private final float[] frameProbabilities;
  private final float[] newProbabilities = new float[2];

  private int state = IDLE;
  private long segmentStart;
  private long turnStart;
  private long pendingEnd;
  private long nextWindow;
  private long coveredUntil;
  private long dropped;
  private boolean finished;

  /**
   * @param options the segment lengths
   * @param detector the voice activity detector (its rate is the stream's)
   * @param regions how its probabilities become regions
   * @param sink receives the segments
   */
  public StreamingSegmenter(Options options, VoiceActivityDetector detector, RegionTuning regions,
      Sink sink) {
    this.options = Objects.requireNonNull(options, "options");
    this.sink = Objects.requireNonNull(sink, "sink");
    int rate = detector.sampleRate();
    this.frameSamples = detector.frameSamples();
    this.vad = detector.newStream();
    this.tracker = new SpeechRegionTracker(regions, frameSamples / (double) rate);
    this.minSamples = Math.round(options.minSeconds() * rate);
    this.floorSamples = Math.max(1, Math.round(options.floorSeconds() * rate));
    this.maxSamples = Math.max(frameSamples, Math.round(options.maxSeconds() * rate));
    this.minPauseSamples = Math.round(options.minPauseSeconds() * rate);
    this.windowSamples = Math.round(options.windowSeconds() * rate);
    this.hopSamples = Math.max(1, Math.round(options.hopSeconds() * rate));
    long lookback = (long) (tracker.lookbackFrames() + 1) * frameSamples;
    // A pause closes a turn only once a start inside it would have been reported.
    this.pauseWaitSamples = minPauseSamples + lookback;
    this.shortJoinSamples = Math.max(minPauseSamples, minSamples);
    this.shortWaitSamples = shortJoinSamples + lookback;
    long longest = options.mode() == Segmentation.Mode.SLIDING ? windowSamples : maxSamples;
    // Room for the longest segment (or a last piece's context) and the wait for the pause that closes it.
    long capacity = Math.max(longest, minSamples) + Math.max(pauseWaitSamples, shortWaitSamples) + lookback
        + 4L * frameSamples;
    if (capacity > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("segments too long to buffer: " + options);
    }
    this.ring = new SampleRing((int) capacity);
    this.frameProbabilities = new float[(int) (maxSamples / frameSamples) + 4];
  }

  /** Samples taken so far. */
  public long samples() {
    return ring.written();
  }

  /** Segments dropped for being shorter than {@link Options#floorSeconds()}. */
  public long droppedSegments() {
    return dropped;
  }

  /**
   * Feeds samples; closed segments reach the sink from within this call.
   *
   * @throws IllegalStateException after {@link #finish()}
   */
  public void accept(float[] samples, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, samples.length);
    if (finished) {
      throw new IllegalStateException("segmenter finished");
    }
    int end = offset + length;
    for (int i = offset; i < end; i += frameSamples) {
      int n = Math.min(frameSamples, end - i);
      ring.write(samples, i, n);
      int frames = vad.accept(samples, i, n, newProbabilities, 0);
      for (int k = 0; k < frames; k++) {
        onFrame(newProbabilities[k]);
      }
    }
  }

  /** Ends the stream: closes the open segment (the partial last frame included) and emits it. */
  public void finish() {
    if (finished) {
      return;
    }
    finished = true;
    int event = tracker.finish();
    if ((event & SpeechRegionTracker.START) != 0) {
      onStart(tracker.startFrame() * frameSamples); // speech cut short by the end of the input
    }
    if ((event & SpeechRegionTracker.END) != 0) {
      long endFrame = tracker.endFrame();
      long end = endFrame == tracker.frames() ? ring.written() : endFrame * frameSamples;
      onEnd(end);
    }
    if (state == PENDING) {
      close(pendingEnd);
    }
  }

  private void onFrame(float probability) {
    long frame = tracker.frames();
    frameProbabilities[(int) (frame % frameProbabilities.length)] = probability;
    int event = tracker.push(probability);
    long frameEnd = (frame + 1) * frameSamples;
    if (event == SpeechRegionTracker.START) {
      onStart(tracker.startFrame() * frameSamples);
    } else if (event == SpeechRegionTracker.END) {
      onEnd(tracker.endFrame() * frameSamples);
    }
    if (state == OPEN) {
      if (options.mode() == Segmentation.Mode.TURNS) {
        if (frameEnd - segmentStart >= maxSamples) {
          splitTurn(frame + 1);
        }
      } else {
        emitFullWindows(frameEnd);
      }
    } else if (state == PENDING) {
      if (frameEnd - pendingEnd >= pendingWait()
          || (options.mode() == Segmentation.Mode.TURNS && frameEnd - segmentStart >= maxSamples)) {
        close(pendingEnd);
      }
    }
  }

  private void onStart(long start) {
    if (state == PENDING) {
      if (start - pendingEnd < minPauseSamples || (isShortTurn() && start - pendingEnd < shortJoinSamples)) {
        state = OPEN; // a short pause: the turn (or region) goes on
        return;
      }
      close(pendingEnd);
    }
    state = OPEN;
    segmentStart = start;
    turnStart = start;
    nextWindow = start;
    coveredUntil = start;
  }

  /** Whether the pending turn is whole (never split) and shorter than the minimum. */
  private boolean isShortTurn() {
    return options.mode() == Segmentation.Mode.TURNS && segmentStart == turnStart
        && pendingEnd - segmentStart < minSamples;
  }

  private long pendingWait() {
    return isShortTurn() ? Math.max(pauseWaitSamples, shortWaitSamples) : pauseWaitSamples;
  }

  private void onEnd(long end) {
    if (state != OPEN) {
      return;
    }
    if (options.mode() == Segmentation.Mode.TURNS) {
      while (end - segmentStart > maxSamples) {
        splitTurn(tracker.frames());
      }
      if (end <= segmentStart) {
        state = IDLE; // the region ended inside the piece already emitted: nothing of it is left
        return;
      }
    }
    pendingEnd = end;
    state = PENDING;
  }

  /**
   * Closes the open turn at its quietest frame boundary between the larger of half the maximum and the
   * minimum length, and the maximum; never after the last speech frame, so that the cut stays inside the
   * region however it ends.
   */
  private void splitTurn(long framesKnown) {
    long firstFrame = ceilDiv(segmentStart + Math.max(maxSamples / 2, minSamples), frameSamples);
    long lastFrame = Math.min(Math.min((segmentStart + maxSamples) / frameSamples, framesKnown - 1),
        tracker.lastSpeechFrame() + 1);
    long cutFrame = lastFrame;
    float quietest = Float.POSITIVE_INFINITY;
    for (long f = firstFrame; f <= lastFrame; f++) {
      float p = frameProbabilities[(int) (f % frameProbabilities.length)];
      if (p <= quietest) {
        quietest = p;
        cutFrame = f;
      }
    }
    long cut = cutFrame * frameSamples;
    if (cut <= segmentStart) {
      cut = segmentStart + maxSamples; // a hangover longer than the maximum: cut at the maximum
    }
    emit(segmentStart, cut);
    segmentStart = cut;
  }

  private void emitFullWindows(long until) {
    while (nextWindow + windowSamples <= until) {
      emit(nextWindow, nextWindow + windowSamples);
      coveredUntil = nextWindow + windowSamples;
      nextWindow += hopSamples;
    }
  }

  private void close(long end) {
    state = IDLE;
    if (options.mode() == Segmentation.Mode.TURNS) {
      // The short last piece of a split turn is scored with the turn's audio before it as context.
      long context = segmentStart > turnStart && end - segmentStart < minSamples
          ? Math.max(turnStart, end - minSamples) : segmentStart;
      emit(segmentStart, end, context);
      return;
    }
    emitFullWindows(end);
    if (coveredUntil < end) {
      emit(Math.max(segmentStart, end - windowSamples), end);
    }
  }

  private void emit(long start, long end) {
    emit(start, end, start);
  }

  /**
   * Emits the span {@code [start, end)} with the audio {@code [audioStart, end)}, unless that audio is under
   * the floor (the span of a split turn's last piece may be shorter: its context makes it scoreable).
   */
  private void emit(long start, long end, long audioStart) {
    if (end <= start) {
      return;
    }
    if (end - audioStart < floorSamples) {
      dropped++;
      return;
    }
    sink.segment(start, end, ring.copy(audioStart, end));
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
