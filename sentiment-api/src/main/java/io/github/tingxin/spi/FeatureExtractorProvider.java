package io.github.tingxin.spi;

import io.github.tingxin.api.ModelManifest.FeatureRecipe;
import java.util.Set;

/**
 * Makes feature extractors from a manifest's recipe, found through {@link Providers#FEATURE_EXTRACTORS} by the
 * recipe's type: among the providers whose {@link #types()} hold it, the highest {@link #rank()} wins.
 *
 * <p>Implementations must be thread-safe and have a public no-argument constructor.
 */
public interface FeatureExtractorProvider {
  /** The recipe types this provider makes (e.g. {@code kaldi-fbank}); not empty. */
  Set<String> types();

  /** Preference among providers of the same type; higher wins. Tingxin's own rank 0. */
  default int rank() {
    return 0;
  }

  /**
   * Makes an extractor.
   *
   * @param recipe the recipe, whose type is one of {@link #types()}
   * @param sampleRate the model's sample rate
   * @throws IllegalArgumentException if the recipe's type is not one of {@link #types()}
   * @throws io.github.tingxin.api.TingxinException {@link io.github.tingxin.api.ErrorCode#INVALID_OPTION} for an
   *     unknown option or bad value, {@link io.github.tingxin.api.ErrorCode#UNSUPPORTED_OPTION} for one that
   *     cannot be honoured; the message names the option
   */
  FeatureExtractor create(FeatureRecipe recipe, int sampleRate);
}
