package io.github.tingxin.api;

/**
 * One live call, fed in chunks as audio arrives. Each segment is handed over for scoring as soon as it
 * closes (a pause, or the maximum segment length) and reaches the listener at the latest during the next
 * call on the stream, so the delay from speech to result is bounded by the maximum segment length, the
 * pause that closes a turn and one chunk (plus the scoring queue's wait when the recognizer is busy);
 * memory stays bounded however long the call. The segments of all the streams of one recognizer are scored
 * together, in shared batches, on the recognizer's scoring threads.
 *
 * <p>Not thread-safe: one stream belongs to one call and is fed from one thread at a time (the recognizer
 * that opened it is shared). {@link #finish()} returns the same {@link CallAnalysis} that
 * {@link EmotionRecognizer#analyze(AudioInput)} gives for the same audio.
 */
public interface EmotionStream extends AutoCloseable {

  /** The sample rate the stream was opened with. */
  int sampleRate();

  /**
   * Feeds {@code length} mono samples (full scale 1.0) from {@code offset}. Results reach the listener on
   * this thread, in order, from within this call: first those of the segments earlier calls closed
   * (waiting for them if the recognizer's scoring is behind), then those this chunk closed that are already
   * scored; the others come with the next call. The call does not keep the array.
   *
   * <p>Back-pressure: when the recognizer cannot keep up, this call waits, for the segments earlier calls
   * closed or for room in the recognizer's bounded scoring queue, instead of letting memory grow.
   *
   * @throws IndexOutOfBoundsException if the range is outside the array
   * @throws TingxinException {@link ErrorCode#NON_FINITE_SAMPLE} for NaN or infinite samples (nothing of
   *     the chunk is taken), {@link ErrorCode#STREAM_FINISHED} after finish or close,
   *     {@link ErrorCode#INTERRUPTED} if the thread is interrupted (the flag stays set; nothing closed is
   *     lost: it is delivered by a later call)
   */
  void accept(float[] samples, int offset, int length);

  /** Feeds a whole array. */
  default void accept(float[] samples) {
    accept(samples, 0, samples.length);
  }

  /**
   * Ends the input: closes and scores the open segment, waits for every segment of the stream to be scored
   * and delivered to the listener, and returns the analysis of the whole call.
   *
   * @throws TingxinException {@link ErrorCode#STREAM_FINISHED} if called twice or after close
   */
  CallAnalysis finish();

  /** Discards the stream without scoring or delivering what is pending. Idempotent. */
  @Override
  void close();
}
