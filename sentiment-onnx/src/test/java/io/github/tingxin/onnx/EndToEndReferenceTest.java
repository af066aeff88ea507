package io.github.tingxin.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.spi.FeatureBatch;
import io.github.tingxin.spi.FeatureExtractor;
import io.github.tingxin.spi.Features;
import io.github.tingxin.spi.InferenceSession;
import io.github.tingxin.spi.Providers;
import io.github.tingxin.spi.SessionOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Audio to raw outputs in Java (sentiment-core's feature extractor chosen by the manifest's recipe through
 * {@link FeatureExtractorProvider}, then ONNX Runtime) equals PyTorch (torchaudio features, then the
 * PyTorch model) within 1e-4, one clip at a time and as a padded batch.
 */
class EndToEndReferenceTest {
  static final double TOLERANCE = 1e-4;

  static List<String> fixtures() {
    return Fixtures.WITH_REFERENCE;
  }

  static FeatureExtractor extractor(ModelManifest m) {
    return Providers.FEATURE_EXTRACTORS.named(m.features().type()).create(m.features(), m.sampleRate());
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void javaFeaturesAndInferenceEqualPyTorch(String name) {
    ModelPackage model = Fixtures.load(name);
    ModelManifest m = model.manifest();
    Fixtures.Reference ref = Fixtures.Reference.of(name);
    FeatureExtractor extractor = extractor(m);
    List<Features> features = new ArrayList<>();
    for (float[] clip : ref.audio()) {
      features.add(extractor.extract(Audio.of(clip, ref.sampleRate())));
    }
    for (int i = 0; i < features.size(); i++) {
      assertThat(features.get(i).frames()).as("frames of clip %d", i).isEqualTo(ref.features().get(i).frames());
      assertThat(features.get(i).dim()).isEqualTo(ref.features().get(i).dim());
    }
    try (InferenceSession s = new OnnxBackend().open(model, SessionOptions.DEFAULT)) {
      for (int i = 0; i < features.size(); i++) {
        Map<String, float[][]> out = s.run(FeatureBatch.of(List.of(features.get(i)), m.input().layout(),
            m.input().fixedFrames()));
        for (Map.Entry<String, float[][]> e : ref.outputs().entrySet()) {
          assertThat(Fixtures.maxAbsDiff(out.get(e.getKey()), new float[][] {e.getValue()[i]}))
              .as("%s head %s clip %d alone", name, e.getKey(), i).isLessThanOrEqualTo(TOLERANCE);
        }
      }
      Map<String, float[][]> batched = s.run(FeatureBatch.of(features, m.input().layout(), m.input().fixedFrames()));
      for (Map.Entry<String, float[][]> e : ref.outputs().entrySet()) {
        assertThat(Fixtures.maxAbsDiff(batched.get(e.getKey()), e.getValue()))
            .as("%s head %s padded batch", name, e.getKey()).isLessThanOrEqualTo(TOLERANCE);
      }
    }
  }
}
