package io.github.tingxin.api;

import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * Mono audio: float samples with full scale 1.0 and their sample rate.
 *
 * <p>Immutable and thread-safe: the factory methods copy the caller's array, and {@link #samples()} hands
 * out a read-only view, so no caller can change the samples of an {@code Audio} once made. Every sample
 * is finite; values are nominally in [-1, 1] but float recordings may exceed that slightly and are kept
 * as they are (no silent clipping).
 *
 * <p>Zero-length audio is valid here; operations that need samples refuse it with
 * {@link ErrorCode#EMPTY_AUDIO}.
 */
public final class Audio {
  private final float[] samples;
  private final int sampleRate;

  private Audio(float[] samples, int sampleRate) {
    this.samples = samples;
    this.sampleRate = sampleRate;
  }

  /**
   * Copies {@code samples} into new audio.
   *
   * @param samples mono samples, full scale 1.0
   * @param sampleRate samples per second, 1 to 384,000
   * @return the audio
   * @throws NullPointerException if {@code samples} is null
   * @throws TingxinException {@link ErrorCode#UNSUPPORTED_SAMPLE_RATE} if the rate is out of range, or
   *     {@link ErrorCode#NON_FINITE_SAMPLE} naming the first NaN or infinite sample
   */
  public static Audio of(float[] samples, int sampleRate) {
    Objects.requireNonNull(samples, "samples");
    return of(samples, 0, samples.length, sampleRate);
  }

  /**
   * Copies {@code length} samples from {@code offset} into new audio.
   *
   * @param samples array holding mono samples
   * @param offset first sample to copy
   * @param length number of samples to copy
   * @param sampleRate samples per second, 1 to 384,000
   * @return the audio
   * @throws NullPointerException if {@code samples} is null
   * @throws IndexOutOfBoundsException if the range is outside the array
   * @throws TingxinException as {@link #of(float[], int)}
   */
  public static Audio of(float[] samples, int offset, int length, int sampleRate) {
    Objects.requireNonNull(samples, "samples");
    Objects.checkFromIndexSize(offset, length, samples.length);
    checkRate(sampleRate);
    float[] copy = new float[length];
    System.arraycopy(samples, offset, copy, 0, length);
    checkFinite(copy);
    return new Audio(copy, sampleRate);
  }

  /** Zero-length audio at {@code sampleRate}. */
  public static Audio empty(int sampleRate) {
    checkRate(sampleRate);
    return new Audio(new float[0], sampleRate);
  }

  /** Samples per second. */
  public int sampleRate() {
    return sampleRate;
  }

  /** Number of samples. */
  public int length() {
    return samples.length;
  }

  /** Whether there are no samples. */
  public boolean isEmpty() {
    return samples.length == 0;
  }

  /** Duration in seconds. */
  public double durationSeconds() {
    return samples.length / (double) sampleRate;
  }

  /**
   * The sample at {@code index}.
   *
   * @throws IndexOutOfBoundsException if {@code index} is outside {@code [0, length())}
   */
  public float sample(int index) {
    return samples[index];
  }

  /** A read-only view of the samples (no copy); position 0, limit {@link #length()}. */
  public FloatBuffer samples() {
    return FloatBuffer.wrap(samples).asReadOnlyBuffer();
  }

  /** A fresh copy of the samples, which the caller owns. */
  public float[] toArray() {
    return samples.clone();
  }

  /**
   * Copies {@code length} samples starting at {@code from} into {@code dst} at {@code dstOffset}; the
   * allocation-free way to read audio in hot loops.
   *
   * @throws IndexOutOfBoundsException if either range is out of bounds
   */
  public void copyTo(int from, float[] dst, int dstOffset, int length) {
    System.arraycopy(samples, from, dst, dstOffset, length);
  }

  /**
   * The samples {@code [from, to)} as new audio at the same rate.
   *
   * @throws IndexOutOfBoundsException if the range is out of bounds or reversed
   */
  public Audio slice(int from, int to) {
    Objects.checkFromToIndex(from, to, samples.length);
    float[] copy = new float[to - from];
    System.arraycopy(samples, from, copy, 0, copy.length);
    return new Audio(copy, sampleRate);
  }

  @Override
  public String toString() {
    // Never the samples themselves: hotline audio must not reach logs.
    return "Audio[" + samples.length + " samples @ " + sampleRate + " Hz, "
        + String.format(java.util.Locale.ROOT, "%.3f", durationSeconds()) + " s]";
  }

  private static void checkRate(int sampleRate) {
    if (sampleRate < 1 || sampleRate > 384_000) {
      throw new TingxinException(ErrorCode.UNSUPPORTED_SAMPLE_RATE,
          "Sample rate " + sampleRate + " Hz is outside 1..384000 Hz; pass the rate the audio was recorded at.");
    }
  }

  private static void checkFinite(float[] samples) {
    for (int i = 0; i < samples.length; i++) {
      if (!Float.isFinite(samples[i])) {
        throw new TingxinException(ErrorCode.NON_FINITE_SAMPLE,
            "Sample " + i + " is " + (Float.isNaN(samples[i]) ? "NaN" : "infinite")
                + "; the audio is corrupt or was produced by a broken filter.");
      }
    }
  }
}
