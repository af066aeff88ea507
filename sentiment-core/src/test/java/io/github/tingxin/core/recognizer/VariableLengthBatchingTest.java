package io.github.tingxin.core.recognizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ModelManifest.FeatureRecipe;
import io.github.tingxin.api.ModelManifest.InputSpec;
import io.github.tingxin.api.ModelManifest.Layout;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.core.features.FeatureRecipes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Whisper-style model that takes any length (the new default's shape: Whisper log-mel with
 * {@code pad_to_seconds} 0, a lengths input, no fixed frames, short input as is): what the model is given
 * grows with each segment's length, and a batch is padded to its longest segment, never to a 30 s window.
 * The shapes are those {@link FakeBackend} saw; that the padding does not change a real model's answers is
 * {@code VariableLengthBatchTest} in sentiment-onnx.
 */
class VariableLengthBatchingTest {
  private static final int RATE = 16000;
  /** Seconds of the clips, in the order given: not sorted, so the scorer must sort them. */
  private static final double[] SECONDS = {8, 1, 4, 0.9, 2, 3.5, 7.5};

  @BeforeEach
  void clear() {
    FakeBackend.SHAPES.clear();
  }

  private static ModelPackage whisperStyle(double padToSeconds) {
    ModelManifest manifest = new ModelManifest(1, "fake-whisper", "1.0.0", "CC0-1.0", "for tests", RATE,
        new FeatureRecipe(FeatureRecipes.WHISPER_LOGMEL, Map.of("pad_to_seconds", padToSeconds)),
        new InputSpec("features", Layout.BATCH_TIME_FEATURE, Optional.of("lengths"), 0), TestModels.HEADS,
        Optional.of("negative"), new ModelManifest.SegmentLimits(0.5, 30, ModelManifest.ShortInput.AS_IS),
        new ModelManifest.Provenance("nothing", "", "", ""));
    return ModelPackage.ofBytes(manifest, new byte[] {0}, "test:fake-whisper", null);
  }

  /** Fresh noise clips of {@link #SECONDS}. */
  private static List<Audio> clips() {
    Random random = new Random(19);
    List<Audio> out = new ArrayList<>();
    for (double s : SECONDS) {
      float[] x = new float[(int) Math.round(s * RATE)];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (0.1 * random.nextGaussian());
      }
      out.add(Audio.of(x, RATE));
    }
    return out;
  }

  private static List<long[]> scoreInBatchesOf(ModelPackage model, int batchSize) {
    try (EmotionRecognizer r = EmotionRecognizer.builder().model(model).backend("fake").batchSize(batchSize)
        .build()) {
      assertThat(r.score(clips())).hasSize(SECONDS.length);
    }
    return List.copyOf(FakeBackend.SHAPES);
  }

  @Test
  void eachBatchIsPaddedToItsLongestSegmentSortedByLengthWithLittlePadding() {
    // 160-sample hop: frames 90, 100, 200, 350, 400, 750, 800 sorted. Batches of up to 3 grow from their
    // shortest while padding stays within 25% of their own frames: 200 joining [90, 100] would pad
    // 3 * 200 = 600 against 1.25 * 390; 350 joining [200] pads 700 against 1.25 * 550; 750 joining
    // [350, 400] pads 2250 against 1.25 * 1500.
    assertThat(scoreInBatchesOf(whisperStyle(0), 3)).containsExactly(new long[] {100, 90, 100},
        new long[] {200, 200}, new long[] {400, 350, 400}, new long[] {800, 750, 800});
  }

  @Test
  void aSegmentAloneIsGivenItsOwnLength() {
    assertThat(scoreInBatchesOf(whisperStyle(0), 1)).extracting(s -> s[0]).containsExactly(90L, 100L, 200L, 350L,
        400L, 750L, 800L);
  }

  @Test
  void aRecipeThatPadsToThirtySecondsGivesEverySegmentTheWholeWindow() {
    // why the default model's manifest must say pad_to_seconds 0: Whisper's own recipe pads to 30 s (and
    // then every clip has 3000 frames, so all share batches)
    assertThat(scoreInBatchesOf(whisperStyle(30), 4)).containsExactly(new long[] {3000, 3000, 3000, 3000, 3000},
        new long[] {3000, 3000, 3000, 3000});
  }
}
