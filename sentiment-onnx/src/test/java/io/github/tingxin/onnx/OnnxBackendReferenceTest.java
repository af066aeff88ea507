package io.github.tingxin.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.spi.FeatureBatch;
import io.github.tingxin.spi.Features;
import io.github.tingxin.spi.InferenceSession;
import io.github.tingxin.spi.SessionOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Inference on PyTorch's own features equals PyTorch's outputs within 1e-4, one clip at a time and as
 * padded batches in two orders.
 */
class OnnxBackendReferenceTest {
  static final double TOLERANCE = 1e-4;

  static List<String> fixtures() {
    return Fixtures.WITH_REFERENCE;
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void equalsPyTorchUnbatchedAndBatched(String name) {
    ModelPackage model = Fixtures.load(name);
    Fixtures.Reference ref = Fixtures.Reference.of(name);
    ModelManifest m = model.manifest();
    try (InferenceSession session = new OnnxBackend().open(model, SessionOptions.DEFAULT)) {
      int n = ref.features().size();
      for (int i = 0; i < n; i++) {
        Map<String, float[][]> out = session.run(FeatureBatch.of(List.of(ref.features().get(i)), m.input().layout(),
            m.input().fixedFrames()));
        for (ModelManifest.Head h : m.heads()) {
          assertThat(Fixtures.maxAbsDiff(out.get(h.name()), new float[][] {ref.outputs().get(h.name())[i]}))
              .as("%s head %s clip %d alone", name, h.name(), i).isLessThanOrEqualTo(TOLERANCE);
        }
      }
      // padded batches: in order, and reversed (the longest first)
      for (boolean reversed : new boolean[] {false, true}) {
        List<Features> items = new ArrayList<>(ref.features());
        List<Integer> order = new ArrayList<>(List.of(0, 1, 2));
        if (reversed) {
          java.util.Collections.reverse(items);
          java.util.Collections.reverse(order);
        }
        FeatureBatch batch = FeatureBatch.of(items, m.input().layout(), m.input().fixedFrames());
        assertThat(java.util.Arrays.stream(batch.lengths()).filter(l -> l < batch.frames()).count())
            .as("items padded").isEqualTo(2);
        Map<String, float[][]> out = session.run(batch);
        for (ModelManifest.Head h : m.heads()) {
          float[][] expected = new float[n][];
          for (int i = 0; i < n; i++) {
            expected[i] = ref.outputs().get(h.name())[order.get(i)];
          }
          assertThat(Fixtures.maxAbsDiff(out.get(h.name()), expected))
              .as("%s head %s batched (reversed %s)", name, h.name(), reversed).isLessThanOrEqualTo(TOLERANCE);
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void outputsAreNotTrivial(String name) {
    // Guards the references themselves: different clips give different outputs.
    Fixtures.Reference ref = Fixtures.Reference.of(name);
    for (float[][] rows : ref.outputs().values()) {
      assertThat(Fixtures.maxAbsDiff(new float[][] {rows[0]}, new float[][] {rows[1]})).isGreaterThan(1e-3);
    }
  }
}
