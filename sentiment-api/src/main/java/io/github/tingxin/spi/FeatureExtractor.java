package io.github.tingxin.spi;

import io.github.tingxin.api.Audio;
import java.util.Objects;

/**
 * Computes a model's input features from audio at the extractor's sample rate.
 *
 * <p>Implementations state their thread safety; those in sentiment-core are thread-safe (work buffers are
 * per thread) and override the array methods to read the caller's samples in place and, with
 * {@link #extract(float[], int, int, float[], int)}, to allocate nothing.
 */
public interface FeatureExtractor {
  /** The sample rate the extractor expects, in hertz. */
  int sampleRate();

  /** Values per frame ({@code 1} for raw waveform). */
  int dim();

  /**
   * Number of frames {@link #extract} gives for {@code numSamples} samples (0 where the audio is shorter
   * than one frame).
   */
  int numFrames(int numSamples);

  /**
   * Computes the features.
   *
   * @param audio mono audio at {@link #sampleRate()}
   * @return the features, which the caller owns
   * @throws io.github.tingxin.api.TingxinException {@link io.github.tingxin.api.ErrorCode#UNSUPPORTED_SAMPLE_RATE}
   *     if the audio is at another rate
   */
  Features extract(Audio audio);

  /**
   * Computes the features of {@code samples[offset, offset + length)}, mono samples at {@link #sampleRate()}
   * with full scale 1.0, without copying them into an {@link Audio} first (the default does that copy).
   *
   * @param samples the caller's array, only read
   * @param offset first sample
   * @param length number of samples
   * @return the features, which the caller owns
   * @throws NullPointerException if {@code samples} is null
   * @throws IndexOutOfBoundsException if the range is outside the array
   * @throws io.github.tingxin.api.TingxinException {@link io.github.tingxin.api.ErrorCode#NON_FINITE_SAMPLE} if
   *     a sample is NaN or infinite (an implementation may check only the samples its frames cover)
   */
  default Features extract(float[] samples, int offset, int length) {
    return extract(Audio.of(samples, offset, length, sampleRate()));
  }

  /**
   * Computes the features of {@code samples[offset, offset + length)} (as
   * {@link #extract(float[], int, int)}) into {@code out[outOffset...]}: {@code numFrames(length) * dim()}
   * values, row-major. The default computes them with {@link #extract(float[], int, int)} and copies them;
   * implementations may write in place and allocate nothing.
   *
   * @return the number of frames written
   * @throws IndexOutOfBoundsException if the input range is outside {@code samples}, or the features do not
   *     fit in {@code out} from {@code outOffset}
   * @throws io.github.tingxin.api.TingxinException as {@link #extract(float[], int, int)}; {@code out} may
   *     then hold part of the features
   */
  default int extract(float[] samples, int offset, int length, float[] out, int outOffset) {
    Objects.requireNonNull(out, "out");
    Features f = extract(samples, offset, length);
    Objects.checkFromIndexSize(outOffset, f.data().length, out.length);
    System.arraycopy(f.data(), 0, out, outOffset, f.data().length);
    return f.frames();
  }
}
