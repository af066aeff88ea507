package io.github.tingxin.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.Label;
import io.github.tingxin.api.LabelScore;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ModelManifest.Activation;
import io.github.tingxin.api.ModelManifest.Head;
import io.github.tingxin.api.Task;
import io.github.tingxin.api.TingxinException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * Expected values are written out from their definitions (e^1/(e^1+e^2) etc.), computed independently of
 * the decoder's own formulas.
 */
class ScoreDecoderTest {
  static final double E = 1e-15;

  static Label label(String id, boolean negative) {
    return new Label(id, id, id, negative);
  }

  static Head head(String name, Task task, Activation act, List<Label> labels, List<Double> thresholds,
      List<List<Double>> ranges) {
    return new Head(name, task, name + "_out", act, labels, thresholds, ranges);
  }

  static final Head BINARY = head("negative", Task.BINARY, Activation.SOFTMAX,
      List.of(label("not_negative", false), label("negative", true)), List.of(0.5, 0.7), null);
  static final Head CLASSES = head("emotion", Task.MULTI_CLASS, Activation.SOFTMAX,
      List.of(label("anger", true), label("sadness", true), label("neutral", false)), List.of(0.9, 0.9, 0.9), null);
  static final Head PAIRS = head("paper", Task.MULTI_LABEL, Activation.PAIRWISE_SOFTMAX,
      List.of(label("despair", true), label("anxiety", true), label("calm", false)), List.of(0.5, 0.1, 0.5), null);
  static final Head SIGMOIDS = head("tags", Task.MULTI_LABEL, Activation.SIGMOID,
      List.of(label("anger", true), label("fear", true)), List.of(0.5, 0.5), null);
  static final Head AROUSAL = head("dims", Task.DIMENSIONAL, Activation.SIGMOID,
      List.of(label("arousal", false), label("valence", false)), List.of(3.0, 0.0), List.of(List.of(1.0, 5.0),
          List.of(-1.0, 1.0)));

  static double[] scores(List<LabelScore> s) {
    return s.stream().mapToDouble(LabelScore::score).toArray();
  }

  @Test
  void softmaxBinaryUsesEachThreshold() {
    List<LabelScore> s = ScoreDecoder.decodeHead(BINARY, new float[] {1f, 2f});
    double e1 = Math.E;
    double e2 = Math.E * Math.E;
    assertThat(s.get(0).score()).isCloseTo(e1 / (e1 + e2), within(E));
    assertThat(s.get(1).score()).isCloseTo(e2 / (e1 + e2), within(E)); // 0.7310585786300049
    assertThat(s.get(1).score()).isCloseTo(0.7310585786300049, within(E));
    assertThat(s.get(1).selected()).isTrue(); // 0.731 >= 0.7
    assertThat(s.get(0).selected()).isFalse();
    assertThat(s.get(1).threshold()).isEqualTo(0.7);
    assertThat(ScoreDecoder.negativeProbability(BINARY, s).getAsDouble()).isCloseTo(0.7310585786300049, within(E));
  }

  @Test
  void aCalibrationRescalesTheBinaryLogOdds() {
    Head calibrated = new Head("negative", Task.BINARY, "negative_out", Activation.SOFTMAX, BINARY.labels(),
        List.of(0.5, 0.5), null, Optional.of(new ModelManifest.Calibration(2.0, -0.25)));
    // log-odds 3.5 - 1.25 = 2.25; 2.25 / 2 - 0.25 = 0.875; sigmoid(0.875) = 1 / (1 + e^-0.875)
    List<LabelScore> s = ScoreDecoder.decodeHead(calibrated, new float[] {1.25f, 3.5f});
    double expected = 1 / (1 + Math.exp(-0.875));
    assertThat(s.get(1).score()).isCloseTo(expected, within(E));
    assertThat(s.get(0).score()).isCloseTo(1 - expected, within(E));
    assertThat(ScoreDecoder.negativeProbability(calibrated, s).getAsDouble()).isCloseTo(expected, within(E));
    // A one-label sigmoid head: its raw output is the log-odds.
    Head single = new Head("neg", Task.BINARY, "neg_out", Activation.SIGMOID, List.of(label("negative", true)),
        List.of(0.5), null, Optional.of(new ModelManifest.Calibration(0.5, 1.0)));
    assertThat(ScoreDecoder.decodeHead(single, new float[] {-1.5f}).get(0).score())
        .isCloseTo(1 / (1 + Math.exp(2.0)), within(E)); // -1.5 / 0.5 + 1 = -2
    // The identity calibration changes nothing.
    Head identity = new Head("negative", Task.BINARY, "negative_out", Activation.SOFTMAX, BINARY.labels(),
        List.of(0.5, 0.7), null, Optional.of(new ModelManifest.Calibration(1, 0)));
    assertThat(scores(ScoreDecoder.decodeHead(identity, new float[] {0.3f, -2.2f})))
        .containsExactly(scores(ScoreDecoder.decodeHead(BINARY, new float[] {0.3f, -2.2f})), within(1e-15));
  }

  @Test
  void calibrationsCompose() {
    ModelManifest.Calibration first = new ModelManifest.Calibration(1.5, 0.4);
    ModelManifest.Calibration next = new ModelManifest.Calibration(0.8, -1.1);
    for (double d : new double[] {-7.3, -0.2, 0, 2.9}) {
      assertThat(first.then(next).apply(d)).isCloseTo(next.apply(first.apply(d)), within(1e-12));
    }
  }

  @Test
  void softmaxIsStableForHugeLogits() {
    List<LabelScore> s = ScoreDecoder.decodeHead(BINARY, new float[] {1000f, -1000f});
    assertThat(scores(s)).containsExactly(1.0, 0.0);
  }

  @Test
  void multiClassSelectsTheTopClassWhateverTheThresholds() {
    List<LabelScore> s = ScoreDecoder.decodeHead(CLASSES, new float[] {0.5f, 0.25f, 0f});
    double a = Math.exp(0.5);
    double b = Math.exp(0.25);
    double sum = a + b + 1;
    assertThat(scores(s)).containsExactly(new double[] {a / sum, b / sum, 1 / sum}, within(E));
    assertThat(s).extracting(LabelScore::selected).containsExactly(true, false, false);
    // negative probability of a multi-class head: the sum of its negative classes
    assertThat(ScoreDecoder.negativeProbability(CLASSES, s).getAsDouble()).isCloseTo((a + b) / sum, within(E));
    // a tie selects the first
    assertThat(ScoreDecoder.decodeHead(CLASSES, new float[] {0f, 1f, 1f})).extracting(LabelScore::selected)
        .containsExactly(false, true, false);
  }

  @Test
  void pairwiseSoftmaxScoresIndexOneOfEachPair() {
    List<LabelScore> s = ScoreDecoder.decodeHead(PAIRS, new float[] {0f, 1f, 2f, 0f, -3f, -3f});
    double p0 = Math.E / (1 + Math.E); // softmax([0, 1])[1]
    double p1 = 1 / (Math.exp(2) + 1); // softmax([2, 0])[1]
    assertThat(scores(s)).containsExactly(new double[] {p0, p1, 0.5}, within(E));
    assertThat(s).extracting(LabelScore::selected).containsExactly(true, true, true); // 0.119 >= 0.1
    // multi-label: the maximum of the negative labels
    assertThat(ScoreDecoder.negativeProbability(PAIRS, s).getAsDouble()).isCloseTo(p0, within(E));
  }

  @Test
  void sigmoidPerLabel() {
    List<LabelScore> s = ScoreDecoder.decodeHead(SIGMOIDS, new float[] {-2f, 40f});
    assertThat(s.get(0).score()).isCloseTo(1 / (1 + Math.exp(2)), within(E)); // 0.11920292202211755
    assertThat(s.get(1).score()).isCloseTo(1.0, within(1e-15));
    assertThat(ScoreDecoder.decodeHead(SIGMOIDS, new float[] {-800f, 0f}).get(0).score()).isZero();
    assertThat(s).extracting(LabelScore::selected).containsExactly(false, true);
  }

  @Test
  void dimensionalSigmoidMapsOntoTheRange() {
    List<LabelScore> s = ScoreDecoder.decodeHead(AROUSAL, new float[] {0f, 2f});
    assertThat(s.get(0).score()).isCloseTo(3.0, within(E));
    double sig2 = 1 / (1 + Math.exp(-2));
    assertThat(s.get(1).score()).isCloseTo(-1 + 2 * sig2, within(E));
    assertThat(s).extracting(LabelScore::selected).containsExactly(true, true);
  }

  @Test
  void noneKeepsValuesAndChecksProbabilities() {
    Head dims = head("dims", Task.DIMENSIONAL, Activation.NONE, List.of(label("arousal", false)), List.of(3.0),
        List.of(List.of(1.0, 5.0)));
    assertThat(ScoreDecoder.decodeHead(dims, new float[] {7.5f}).get(0).score()).isEqualTo(7.5);
    Head probs = head("p", Task.MULTI_LABEL, Activation.NONE, List.of(label("a", true)), null, null);
    assertThat(ScoreDecoder.decodeHead(probs, new float[] {0.25f}).get(0).score()).isEqualTo(0.25);
    assertThatThrownBy(() -> ScoreDecoder.decodeHead(probs, new float[] {1.5f}))
        .isInstanceOfSatisfying(TingxinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_OUTPUT_INVALID))
        .hasMessageContaining("outside [0, 1]").hasMessageNotContaining("1.5");
  }

  @Test
  void nonFiniteOrMisSizedOutputsAreModelOutputInvalid() {
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      assertThatThrownBy(() -> ScoreDecoder.decodeHead(BINARY, new float[] {0.25f, bad}))
          .isInstanceOfSatisfying(TingxinException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_OUTPUT_INVALID))
          .hasMessageContaining("non-finite").hasMessageContaining("index 1").hasMessageNotContaining("0.25");
    }
    assertThatThrownBy(() -> ScoreDecoder.decodeHead(PAIRS, new float[3]))
        .isInstanceOfSatisfying(TingxinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_OUTPUT_INVALID))
        .hasMessageContaining("gave 3 values").hasMessageContaining("need 6");
  }

  static ModelManifest manifest(Optional<String> negativeHead, Head... heads) {
    return new ModelManifest(1, "m", "1", "CC0-1.0", "", 16000,
        new ModelManifest.FeatureRecipe("waveform", Map.of()),
        new ModelManifest.InputSpec("audio", ModelManifest.Layout.BATCH_TIME, Optional.empty(), 0),
        List.of(heads), negativeHead, new ModelManifest.SegmentLimits(0.5, 8), new ModelManifest.Provenance("x", "", "", ""));
  }

  @Test
  void decodesABatchAndTakesTheNegativeProbabilityFromTheNamedHead() {
    ModelManifest m = manifest(Optional.of("paper"), AROUSAL, BINARY, PAIRS);
    ScoreDecoder d = ScoreDecoder.of(m);
    assertThat(d.negativeHead()).contains(PAIRS);
    Map<String, float[][]> raw = Map.of(
        "dims", new float[][] {{0f, 0f}, {1f, 1f}},
        "negative", new float[][] {{0f, 0f}, {5f, -5f}},
        "paper", new float[][] {{0f, 1f, 0f, 0f, 0f, 0f}, {0f, 0f, 0f, 0f, 0f, 9f}});
    List<ScoreDecoder.Decoded> out = d.decodeBatch(raw);
    assertThat(out).hasSize(2);
    assertThat(out.get(0).scores()).hasSize(7).extracting(LabelScore::head)
        .containsExactly("dims", "dims", "negative", "negative", "paper", "paper", "paper");
    assertThat(out.get(0).negativeProbability().getAsDouble()).isCloseTo(Math.E / (1 + Math.E), within(E));
    // item 1: the non-negative label 'calm' is high, the negative labels are at 0.5
    assertThat(out.get(1).negativeProbability().getAsDouble()).isCloseTo(0.5, within(E));
    // without a named head, the first non-dimensional head with negative labels is used
    ScoreDecoder first = ScoreDecoder.of(manifest(Optional.empty(), AROUSAL, BINARY, PAIRS));
    assertThat(first.decode(raw, 1).negativeProbability().getAsDouble())
        .isCloseTo(Math.exp(-5) / (Math.exp(5) + Math.exp(-5)), within(E));
    // no negative labels at all: no negative probability
    assertThat(ScoreDecoder.of(manifest(Optional.empty(), AROUSAL)).decode(raw, 0).negativeProbability())
        .isEqualTo(OptionalDouble.empty());
  }

  @Test
  void aMissingHeadOrRaggedBatchIsModelOutputInvalid() {
    ScoreDecoder d = ScoreDecoder.of(manifest(Optional.empty(), BINARY, SIGMOIDS));
    assertThatThrownBy(() -> d.decodeBatch(Map.of("negative", new float[][] {{0f, 0f}})))
        .isInstanceOfSatisfying(TingxinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_OUTPUT_INVALID))
        .hasMessageContaining("no output for head 'tags'");
    assertThatThrownBy(() -> d.decodeBatch(Map.of("negative", new float[][] {{0f, 0f}},
        "tags", new float[][] {{0f, 0f}, {0f, 0f}})))
        .isInstanceOfSatisfying(TingxinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_OUTPUT_INVALID));
  }
}
