package io.github.tingxin.spi;

import io.github.tingxin.api.ModelManifest.FeatureRecipe;

/**
 * Makes feature extractors from a manifest's recipe. Implementations must be thread-safe and have a
 * public no-argument constructor.
 */
public interface FeatureExtractorProvider {
  /** The recipe type this provider makes (e.g. {@code kaldi-fbank}). */
  String type();

  /**
   * Makes an extractor.
   *
   * @param recipe the recipe, whose type is {@link #type()}
   * @param sampleRate the model's sample rate
   * @throws io.github.tingxin.api.TingxinException {@link io.github.tingxin.api.ErrorCode#INVALID_OPTION} for an
   *     unknown option or bad value, {@link io.github.tingxin.api.ErrorCode#UNSUPPORTED_OPTION} for one that
   *     cannot be honoured; the message names the option
   */
  FeatureExtractor create(FeatureRecipe recipe, int sampleRate);
}
