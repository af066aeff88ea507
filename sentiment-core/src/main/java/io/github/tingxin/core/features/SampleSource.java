package io.github.tingxin.core.features;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;

/**
 * The samples one extraction reads: a range of a caller's array or an {@link Audio}, addressed by sample
 * index from 0, read block by block without copying the whole. One per call in progress (in an extractor's
 * scratch), pointed at the input for the length of one call and then {@linkplain #clear() cleared}, so no
 * scratch keeps audio alive. Not thread-safe.
 */
final class SampleSource {
  private float[] array;
  private long arrayIndexOfSampleZero;
  private Audio audio;

  /** Sample {@code t} is {@code array[t + offset]}; {@code offset} may be negative (a stream's buffer). */
  SampleSource of(float[] samples, long offset) {
    array = samples;
    arrayIndexOfSampleZero = offset;
    audio = null;
    return this;
  }

  SampleSource of(Audio samples) {
    array = null;
    audio = samples;
    return this;
  }

  void clear() {
    array = null;
    audio = null;
  }

  /** The caller's array when the samples are one (sample {@code t} at {@link #index}), else null. */
  float[] array() {
    return array;
  }

  /** Where sample {@code t} is in {@link #array()}. */
  int index(long t) {
    return (int) (t + arrayIndexOfSampleZero);
  }

  float get(long t) {
    return array != null ? array[(int) (t + arrayIndexOfSampleZero)] : audio.sample((int) t);
  }

  /** Copies samples {@code [t, t + length)} into {@code dst[offset...]}. */
  void copy(long t, float[] dst, int offset, int length) {
    if (array != null) {
      System.arraycopy(array, (int) (t + arrayIndexOfSampleZero), dst, offset, length);
    } else {
      audio.copyTo((int) t, dst, offset, length);
    }
  }

  /**
   * Throws {@link ErrorCode#NON_FINITE_SAMPLE} naming the first NaN or infinite sample in {@code [from, to)},
   * if any: extractors call it when a frame's spectrum shows one (an array, unlike an {@link Audio}, is not
   * checked when made).
   */
  void checkFinite(long from, long to) {
    for (long t = Math.max(0, from); t < to; t++) {
      float v = get(t);
      if (!Float.isFinite(v)) {
        throw new TingxinException(ErrorCode.NON_FINITE_SAMPLE, "Sample " + t + " of the input is "
            + (Float.isNaN(v) ? "NaN" : "infinite") + "; the audio is corrupt or was produced by a broken filter.");
      }
    }
  }
}
