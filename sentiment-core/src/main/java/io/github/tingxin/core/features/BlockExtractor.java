package io.github.tingxin.core.features;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.spi.FeatureExtractor;
import io.github.tingxin.spi.Features;
import java.util.Objects;

/**
 * What the extractors that read their input block by block share: the work buffers (lent to one call at a
 * time from a {@link WorkPool}), the three ways in (an {@link Audio}, a range of an array into a new array, a
 * range of an array into the caller's array) and their checks. Thread-safe as its implementations: each call
 * has work of its own.
 *
 * @param <W> the work of an implementation
 */
abstract class BlockExtractor<W extends BlockExtractor.Work> implements FeatureExtractor {
  /** One call's work; at least where the samples of the call in progress are. Not thread-safe. */
  static class Work {
    final SampleSource source = new SampleSource();
  }

  private final WorkPool<W> work = new WorkPool<>(this::newWork);

  /** Work for one call at a time. */
  abstract W newWork();

  /**
   * Computes the {@code numFrames(numSamples)} frames of {@code w.source}, {@code numSamples} samples, into
   * {@code out[outOffset...]}.
   *
   * @throws TingxinException {@link ErrorCode#NON_FINITE_SAMPLE} if a sample the frames need is NaN or
   *     infinite
   */
  abstract void compute(W w, int numSamples, float[] out, int outOffset);

  /**
   * @throws TingxinException {@link ErrorCode#UNSUPPORTED_SAMPLE_RATE} if the audio is not at
   *     {@link #sampleRate()}, or {@link ErrorCode#AUDIO_TOO_LONG} if its features do not fit one array
   */
  @Override
  public Features extract(Audio audio) {
    Objects.requireNonNull(audio, "audio");
    if (audio.sampleRate() != sampleRate()) {
      throw new TingxinException(ErrorCode.UNSUPPORTED_SAMPLE_RATE, "The audio is at " + audio.sampleRate()
          + " Hz but these features are computed at " + sampleRate() + " Hz; resample the audio first.");
    }
    int frames = numFrames(audio.length());
    float[] out = new float[Extraction.outputSize(frames, dim())];
    W w = work.take();
    try {
      w.source.of(audio);
      compute(w, audio.length(), out, 0);
    } finally {
      w.source.clear();
      work.give(w);
    }
    return new Features(out, frames, dim());
  }

  /**
   * Computes the features of {@code samples[offset, offset + length)} (full scale 1.0, at
   * {@link #sampleRate()}) into {@code out[outOffset...]}: {@code numFrames(length) * dim()} values,
   * row-major. Allocates nothing.
   *
   * @return the number of frames written
   * @throws IndexOutOfBoundsException if the range is outside {@code samples} or {@code out} is too short
   * @throws TingxinException {@link ErrorCode#NON_FINITE_SAMPLE} if a sample the frames cover is NaN or
   *     infinite ({@code out} then holds part of the features)
   */
  @Override
  public int extract(float[] samples, int offset, int length, float[] out, int outOffset) {
    int frames = numFrames(Extraction.checkRange(samples, offset, length));
    Extraction.checkOutput(out, outOffset, frames, dim());
    W w = work.take();
    try {
      w.source.of(samples, offset);
      compute(w, length, out, outOffset);
    } finally {
      w.source.clear();
      work.give(w);
    }
    return frames;
  }

  @Override
  public Features extract(float[] samples, int offset, int length) {
    int frames = numFrames(Extraction.checkRange(samples, offset, length));
    float[] out = new float[Extraction.outputSize(frames, dim())];
    extract(samples, offset, length, out, 0);
    return new Features(out, frames, dim());
  }
}
