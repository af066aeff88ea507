package io.github.tingxin.api;

/**
 * One live call, fed in chunks as audio arrives. Each segment is scored as soon as it closes (a pause, or
 * the maximum segment length), so the delay from speech to result is bounded by the maximum segment
 * length plus the pause that closes a turn; memory stays bounded however long the call.
 *
 * <p>Not thread-safe: one stream belongs to one call and is fed from one thread at a time (the recognizer
 * that opened it is shared). {@link #finish()} returns the same {@link CallAnalysis} that
 * {@link EmotionRecognizer#analyze(AudioInput)} gives for the same audio.
 */
public interface EmotionStream extends AutoCloseable {

  /** The sample rate the stream was opened with. */
  int sampleRate();

  /**
   * Feeds {@code length} mono samples (full scale 1.0) from {@code offset}. Results reach the listener
   * from within this call.
   *
   * @throws IndexOutOfBoundsException if the range is outside the array
   * @throws TingxinException {@link ErrorCode#NON_FINITE_SAMPLE} for NaN or infinite samples (nothing of
   *     the chunk is taken), {@link ErrorCode#STREAM_FINISHED} after finish or close
   */
  void accept(float[] samples, int offset, int length);

  /** Feeds a whole array. */
  default void accept(float[] samples) {
    accept(samples, 0, samples.length);
  }

  /**
   * Ends the input: closes and scores the open segment and returns the analysis of the whole call.
   *
   * @throws TingxinException {@link ErrorCode#STREAM_FINISHED} if called twice or after close
   */
  CallAnalysis finish();

  /** Discards the stream without scoring what is pending. Idempotent. */
  @Override
  void close();
}
