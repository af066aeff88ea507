package io.github.tingxin.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tingxin.api.ModelManifest.Layout;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureBatchTest {
  private static Features ramp(int frames, int dim, float base) {
    float[] d = new float[frames * dim];
    for (int i = 0; i < d.length; i++) {
      d[i] = base + i;
    }
    return new Features(d, frames, dim);
  }

  @Test
  void padsToTheLongestItemWithZerosAndRecordsLengths() {
    FeatureBatch b = FeatureBatch.of(List.of(ramp(2, 3, 100), ramp(4, 3, 200)), Layout.BATCH_TIME_FEATURE, 0);
    assertThat(b.frames()).isEqualTo(4);
    assertThat(b.lengths()).containsExactly(2, 4);
    // item 0, frame 1, dim 2 = 100 + 5; frame 2 is padding
    assertThat(b.data()[1 * 3 + 2]).isEqualTo(105f);
    assertThat(b.data()[2 * 3]).isZero();
    assertThat(b.data()[12 + 3 * 3 + 1]).isEqualTo(200f + 10);
  }

  @Test
  void transposesForFeatureTimeLayoutAndCutsToFixedFrames() {
    FeatureBatch b = FeatureBatch.of(List.of(ramp(5, 2, 0)), Layout.BATCH_FEATURE_TIME, 3);
    assertThat(b.frames()).isEqualTo(3);
    assertThat(b.lengths()).containsExactly(3);
    // [dim][time]: dim 1, time 2 = frame 2 dim 1 = 2*2+1
    assertThat(b.data()[1 * 3 + 2]).isEqualTo(5f);
    assertThat(b.data()[0 * 3 + 1]).isEqualTo(2f);
  }

  @Test
  void refusesInconsistentShapes() {
    assertThatThrownBy(() -> new Features(new float[5], 2, 3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FeatureBatch.of(List.of(ramp(2, 3, 0), ramp(2, 2, 0)), Layout.BATCH_TIME_FEATURE, 0))
        .hasMessageContaining("differ in dim");
    assertThatThrownBy(() -> FeatureBatch.of(List.of(), Layout.BATCH_TIME, 0)).hasMessageContaining("empty");
    assertThatThrownBy(() -> new FeatureBatch(new float[6], Layout.BATCH_TIME, 1, 3, 2, new long[1]))
        .hasMessageContaining("BATCH_TIME needs dim 1");
  }
}
