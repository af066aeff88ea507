package io.github.tingxin.onnx.recognizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.core.audio.WavReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Whisper-style fixture (any length: Whisper log-mel with {@code pad_to_seconds} 0, a lengths input,
 * short input as is; the new default model's shape) through the recognizer with ONNX Runtime: a padded
 * batch of segments of mixed lengths scores each segment as it scores alone. The shapes the model is given
 * (its own length, the batch's longest) are {@code VariableLengthBatchingTest} in sentiment-core.
 */
class VariableLengthBatchTest {
  private static final Path CALL = Path.of("..", "sentiment-core", "src", "test", "resources", "io", "github",
      "tingxin", "core", "vad", "vad-call-16k.wav");
  /** Max |batched - alone| of any score: ONNX Runtime may round a padded batch differently in the last bits. */
  private static final double TOLERANCE = 1e-4;

  @Test
  void aPaddedBatchOfMixedLengthsScoresEachSegmentAsAlone() {
    ModelManifest.InputSpec input = RecognizerEndToEndTest.fixture("whisper-tiny").manifest().input();
    assertThat(input.lengths()).as("the fixture masks padding").isPresent();
    assertThat(input.fixedFrames()).isZero();
    Audio call = WavReader.read(CALL).channel(0);
    // slices of the test call's speech and fresh noise, 0.2 to 6 s, in no order of length
    Random random = new Random(1919);
    List<Audio> clips = new ArrayList<>();
    for (double seconds : new double[] {3.1, 0.2, 6.0, 1.05, 0.6, 4.4, 2.0, 0.35, 5.2}) {
      int n = (int) Math.round(seconds * 16000);
      if (clips.size() % 3 == 2) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
          x[i] = (float) (0.2 * random.nextGaussian());
        }
        clips.add(Audio.of(x, 16000));
      } else {
        int start = random.nextInt(call.length() - n);
        clips.add(call.slice(start, start + n));
      }
    }
    List<SegmentResult> batched = score(clips, 8);
    List<SegmentResult> alone = score(clips, 1);
    for (int i = 0; i < clips.size(); i++) {
      assertThat(batched.get(i).negativeProbability().getAsDouble()).as("clip %d negative", i)
          .isCloseTo(alone.get(i).negativeProbability().getAsDouble(), within(TOLERANCE));
      for (int k = 0; k < alone.get(i).scores().size(); k++) {
        assertThat(batched.get(i).scores().get(k).score()).as("clip %d label %d", i, k)
            .isCloseTo(alone.get(i).scores().get(k).score(), within(TOLERANCE));
      }
    }
    // the clips differ enough that padding left unmasked would show: scores are not all alike
    assertThat(alone.stream().mapToDouble(s -> s.negativeProbability().getAsDouble()).distinct().count())
        .isEqualTo(clips.size());
  }

  private static List<SegmentResult> score(List<Audio> clips, int batchSize) {
    try (EmotionRecognizer r = EmotionRecognizer.builder().model(RecognizerEndToEndTest.fixture("whisper-tiny"))
        .batchSize(batchSize).threads(1).build()) {
      return r.score(clips);
    }
  }
}
