package io.github.tingxin.core.features;

import io.github.tingxin.api.ModelManifest.FeatureRecipe;
import io.github.tingxin.spi.FeatureExtractor;
import io.github.tingxin.spi.FeatureExtractorProvider;
import java.util.Objects;
import java.util.Set;

/**
 * The built-in recipe types ({@link FeatureRecipes#types()}) for {@link java.util.ServiceLoader}: each is made
 * by {@link FeatureRecipes#create}. Stateless and thread-safe.
 */
public final class FeatureRecipesProvider implements FeatureExtractorProvider {
  private static final Set<String> TYPES = Set.copyOf(FeatureRecipes.types());

  /** Made by {@link java.util.ServiceLoader}. */
  public FeatureRecipesProvider() {}

  @Override
  public Set<String> types() {
    return TYPES;
  }

  /** @throws IllegalArgumentException if the recipe is of a type this provider does not make */
  @Override
  public FeatureExtractor create(FeatureRecipe recipe, int sampleRate) {
    Objects.requireNonNull(recipe, "recipe");
    if (!TYPES.contains(recipe.type())) {
      throw new IllegalArgumentException("recipe type '" + recipe.type() + "' given to the provider of " + TYPES);
    }
    return FeatureRecipes.create(recipe, sampleRate);
  }
}
