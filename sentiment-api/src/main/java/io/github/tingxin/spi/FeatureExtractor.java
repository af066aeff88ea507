package io.github.tingxin.spi;

import io.github.tingxin.api.Audio;

/**
 * Computes a model's input features from audio at the extractor's sample rate.
 *
 * <p>Implementations state their thread safety; those in sentiment-core are thread-safe (per-call
 * buffers come from a thread-local pool).
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
}
