package io.github.tingxin.core.recognizer;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.ModelManifest.FeatureRecipe;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.spi.FeatureExtractor;
import io.github.tingxin.spi.FeatureExtractorProvider;
import io.github.tingxin.spi.Features;
import java.util.Set;

/**
 * Features for the recognizer's tests ({@code test-level}): per 25 ms frame every 10 ms, the log10 mean
 * square and the zero-crossing rate. Independent of the real extractors, so these tests pin the recognizer.
 */
public final class TestFeatureProvider implements FeatureExtractorProvider {
  public TestFeatureProvider() {}

  @Override
  public Set<String> types() {
    return Set.of("test-level");
  }

  @Override
  public FeatureExtractor create(FeatureRecipe recipe, int sampleRate) {
    if (!recipe.options().isEmpty()) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "test-level takes no options");
    }
    int length = sampleRate / 40;
    int shift = sampleRate / 100;
    return new FeatureExtractor() {
      @Override
      public int sampleRate() {
        return sampleRate;
      }

      @Override
      public int dim() {
        return 2;
      }

      @Override
      public int numFrames(int n) {
        return n < length ? 0 : 1 + (n - length) / shift;
      }

      @Override
      public Features extract(Audio audio) {
        if (audio.sampleRate() != sampleRate) {
          throw new TingxinException(ErrorCode.UNSUPPORTED_SAMPLE_RATE, "wrong rate");
        }
        int frames = numFrames(audio.length());
        float[] data = new float[frames * 2];
        for (int f = 0; f < frames; f++) {
          double e = 0;
          int crossings = 0;
          for (int i = 0; i < length; i++) {
            float v = audio.sample(f * shift + i);
            e += v * v;
            if (i > 0 && (v >= 0) != (audio.sample(f * shift + i - 1) >= 0)) {
              crossings++;
            }
          }
          data[2 * f] = (float) Math.log10(e / length + 1e-10);
          data[2 * f + 1] = crossings / (float) length;
        }
        return new Features(data, frames, 2);
      }
    };
  }
}
