package io.github.tingxin.spi;

/**
 * Finds speech in audio: a loaded detector (its model, where it has one) that hands out one
 * {@link Stream} per call. Each stream turns samples into one speech probability per frame of
 * {@link #frameSamples()} samples, carrying its state (noise floor, recurrent state) from chunk to chunk,
 * so feeding a call in chunks of any size gives exactly the probabilities of feeding it whole.
 *
 * <p>Frame {@code f} covers samples {@code [f * frameSamples(), (f + 1) * frameSamples())} of the call.
 * Turning probabilities into speech regions (thresholds, minimum speech and silence durations, padding) is
 * the caller's job; {@link #regionTuning()} is the detector's own tuning for it.
 *
 * <p>The detector is thread-safe: streams may be opened and used from many threads at once. Each
 * {@link Stream} is single-threaded. {@link #close()} frees the detector's resources (native memory for
 * model-based detectors); it is idempotent, and streams must not be used after it
 * ({@link IllegalStateException}). The caller that opened the detector owns it.
 */
public interface VoiceActivityDetector extends AutoCloseable {

  /** The detector's name, as its provider's {@link VoiceActivityDetectorProvider#name()}. */
  String name();

  /** The sample rate the detector takes, in hertz. */
  int sampleRate();

  /** Samples per frame: each probability covers this many consecutive samples. */
  int frameSamples();

  /**
   * The thresholds and durations this detector was tuned with, which turn its probabilities into speech
   * regions; {@link RegionTuning#onset()} is its speech threshold.
   */
  RegionTuning regionTuning();

  /**
   * A fresh stream for one call, starting at sample 0.
   *
   * @throws IllegalStateException if the detector is closed
   */
  Stream newStream();

  /** Frees the detector's resources. Idempotent. */
  @Override
  void close();

  /**
   * One call's detection state. Not thread-safe: one stream belongs to one call and is fed from one thread
   * at a time. Holds no native memory between calls of {@link #accept}; needs no closing.
   */
  interface Stream {
    /**
     * How many probabilities the next {@link #accept} of {@code length} samples will write: the frames
     * those samples complete, counting the samples already pending from earlier chunks.
     */
    int framesCompletedBy(int length);

    /**
     * Feeds {@code length} samples (full scale 1.0, finite) and writes the speech probability of each frame
     * they complete into {@code probabilities} from {@code outOffset}.
     *
     * @return the number of probabilities written, {@link #framesCompletedBy(int) framesCompletedBy(length)}
     * @throws IndexOutOfBoundsException if a range is outside its array
     * @throws IllegalStateException if the detector is closed
     * @throws io.github.tingxin.api.TingxinException {@link io.github.tingxin.api.ErrorCode#INFERENCE_FAILED}
     *     if a model-based detector fails
     */
    int accept(float[] samples, int offset, int length, float[] probabilities, int outOffset);

    /** Number of frames completed so far. */
    long framesDone();
  }
}
