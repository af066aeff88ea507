package io.github.tingxin.core.features;

import io.github.tingxin.api.ModelManifest.FeatureRecipe;
import io.github.tingxin.spi.FeatureExtractor;
import io.github.tingxin.spi.FeatureExtractorProvider;
import java.util.Objects;

/**
 * The {@code waveform} recipe type for {@link java.util.ServiceLoader}; see {@link FeatureRecipes}.
 * Stateless and thread-safe.
 */
public final class WaveformProvider implements FeatureExtractorProvider {
  /** Made by {@link java.util.ServiceLoader}. */
  public WaveformProvider() {}

  @Override
  public String type() {
    return FeatureRecipes.WAVEFORM;
  }

  /** @throws IllegalArgumentException if the recipe is of another type */
  @Override
  public FeatureExtractor create(FeatureRecipe recipe, int sampleRate) {
    Objects.requireNonNull(recipe, "recipe");
    if (!type().equals(recipe.type())) {
      throw new IllegalArgumentException("recipe type '" + recipe.type() + "' given to the " + type() + " provider");
    }
    return FeatureRecipes.create(recipe, sampleRate);
  }
}
