package io.github.tingxin.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tingxin.api.ModelManifest.Activation;
import io.github.tingxin.api.ModelManifest.FeatureRecipe;
import io.github.tingxin.api.ModelManifest.Head;
import io.github.tingxin.api.ModelManifest.InputSpec;
import io.github.tingxin.api.ModelManifest.Layout;
import io.github.tingxin.api.ModelManifest.Provenance;
import io.github.tingxin.api.ModelManifest.SegmentLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelManifestTest {
  static final Label NOT_NEG = new Label("not_negative", "not negative", "非负面", false);
  static final Label NEG = new Label("negative", "negative", "负面", true);

  static Head binary() {
    return new Head("negative", Task.BINARY, "negative_logits", Activation.SOFTMAX, List.of(NOT_NEG, NEG), null, null);
  }

  static Head emotions() {
    return new Head("emotion", Task.MULTI_CLASS, "emotion_logits", Activation.SOFTMAX,
        List.of(new Label("anger", "anger", "愤怒", true), new Label("neutral", "neutral", "中性", false)),
        null, null);
  }

  static ModelManifest manifest(List<Head> heads, Optional<String> negativeHead) {
    return new ModelManifest(1, "m", "1.0", "CC0-1.0", null, 16000,
        new FeatureRecipe("kaldi-fbank", Map.of("num_mel_bins", 64)),
        new InputSpec("features", Layout.BATCH_TIME_FEATURE, Optional.of("lengths"), 0), heads, negativeHead,
        new SegmentLimits(0.5, 8), new Provenance("EmoDB", "", "", "MODEL_CARD.md"));
  }

  @Test
  void acceptsAValidManifestAndFillsDefaults() {
    ModelManifest m = manifest(List.of(emotions(), binary()), Optional.of("negative"));
    assertThat(m.description()).isEmpty();
    assertThat(m.heads().get(1).thresholds()).containsExactly(0.5, 0.5);
    assertThat(m.negativeHeadSpec()).map(Head::name).contains("negative");
    assertThat(manifest(List.of(emotions(), binary()), Optional.empty()).negativeHeadSpec()).map(Head::name)
        .contains("emotion");
  }

  @Test
  void aHeadsCalibrationIsReplacedAloneAndOnlyWhereItCanApply() {
    ModelManifest m = manifest(List.of(emotions(), binary()), Optional.of("negative"));
    ModelManifest.Calibration c = new ModelManifest.Calibration(1.6, -0.3);
    ModelManifest recalibrated = m.withHeadCalibration("negative", Optional.of(c));
    assertThat(recalibrated.heads().get(1).calibration()).contains(c);
    assertThat(recalibrated.heads().get(0)).isEqualTo(m.heads().get(0));
    assertThat(recalibrated.withHeadCalibration("negative", Optional.empty())).isEqualTo(m);
    assertThatThrownBy(() -> m.withHeadCalibration("valence", Optional.of(c)))
        .hasMessage("heads: no head is named 'valence'");
    assertThatThrownBy(() -> m.withHeadCalibration("emotion", Optional.of(c)))
        .hasMessageStartingWith("heads[emotion].calibration: only a binary head");
    assertThatThrownBy(() -> new ModelManifest.Calibration(0.001, 0)).hasMessageStartingWith("calibration.temperature");
    assertThatThrownBy(() -> new ModelManifest.Calibration(1, Double.NaN)).hasMessageStartingWith("calibration.offset");

    // A package under the new manifest keeps its graph and card, and nothing else changes.
    ModelPackage pkg = ModelPackage.ofBytes(m, new byte[] {1, 2, 3}, "memory", "card");
    ModelPackage local = pkg.withManifest(recalibrated);
    assertThat(local.manifest()).isSameAs(recalibrated);
    assertThat(local.modelBytes()).containsExactly(1, 2, 3);
    assertThat(local.modelCard()).contains("card");
    assertThat(pkg.manifest()).isSameAs(m);
  }

  @Test
  void thresholdsAreProbabilitiesOrWithinTheirDimensionsRange() {
    // Issue 17 item 11: -1 made a segment "negative" and "not negative" at once, 5 made nothing negative.
    for (double bad : new double[] {-1, 0, 1, 5, Double.NaN}) {
      assertThatThrownBy(() -> new Head("negative", Task.BINARY, "out", Activation.SOFTMAX, List.of(NOT_NEG, NEG),
          List.of(0.5, bad), null)).as("threshold %s", bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("heads[negative].thresholds[1]: " + bad + " is outside (0, 1)");
    }
    assertThat(new Head("negative", Task.BINARY, "out", Activation.SOFTMAX, List.of(NOT_NEG, NEG),
        List.of(0.001, 0.999), null).thresholds()).containsExactly(0.001, 0.999);
    Label arousal = new Label("arousal", "arousal", "唤醒度", false);
    List<List<Double>> range = List.of(List.of(1.0, 5.0));
    assertThat(new Head("dims", Task.DIMENSIONAL, "out", Activation.NONE, List.of(arousal), null, range)
        .thresholds()).as("default: the middle of the range").containsExactly(3.0);
    assertThat(new Head("dims", Task.DIMENSIONAL, "out", Activation.NONE, List.of(arousal), List.of(5.0), range)
        .thresholds()).containsExactly(5.0);
    assertThatThrownBy(() -> new Head("dims", Task.DIMENSIONAL, "out", Activation.NONE, List.of(arousal),
        List.of(0.5), range)).hasMessageStartingWith("heads[dims].thresholds[0]: 0.5 is outside the label's range");
    assertThatThrownBy(() -> new Head("dims", Task.DIMENSIONAL, "out", Activation.NONE, List.of(arousal), null,
        List.of(List.of(1.0, Double.POSITIVE_INFINITY)))).hasMessageStartingWith("heads[dims].ranges:");
    assertThatThrownBy(() -> new InputSpec("x", Layout.BATCH_FEATURE_TIME, null, InputSpec.MAX_FIXED_FRAMES + 1))
        .hasMessageStartingWith("input.fixedFrames: must be 0 (variable length) to 30000");
    assertThat(new InputSpec("x", Layout.BATCH_FEATURE_TIME, null, 3000).fixedFrames()).isEqualTo(3000);
  }

  @Test
  void everyErrorNamesItsField() {
    assertThatThrownBy(() -> manifest(List.of(), Optional.empty())).hasMessageStartingWith("heads:");
    assertThatThrownBy(() -> manifest(List.of(binary(), binary()), Optional.empty()))
        .hasMessageContaining("heads: name 'negative' is used twice");
    assertThatThrownBy(() -> manifest(List.of(binary()), Optional.of("emotion")))
        .hasMessageStartingWith("negativeHead:");
    assertThatThrownBy(() -> new ModelManifest(1, "m", "1", "MIT", "", 500, new FeatureRecipe("waveform", null),
        new InputSpec("x", Layout.BATCH_TIME, null, 0), List.of(binary()), null, new SegmentLimits(1, 2),
        new Provenance("x", null, null, null))).hasMessageStartingWith("sampleRate:");
    assertThatThrownBy(() -> new ModelManifest(2, "m", "1", "MIT", "", 16000, new FeatureRecipe("waveform", null),
        new InputSpec("x", Layout.BATCH_TIME, null, 0), List.of(binary()), null, new SegmentLimits(1, 2),
        new Provenance("x", null, null, null))).hasMessageStartingWith("formatVersion:");
    assertThatThrownBy(() -> new SegmentLimits(2, 1)).hasMessageStartingWith("segments:");
    assertThatThrownBy(() -> new InputSpec(" ", Layout.BATCH_TIME, null, 0)).hasMessageStartingWith("input.name");
    assertThatThrownBy(() -> new FeatureRecipe("kaldi-fbank", Map.of("x", new Object())))
        .hasMessageStartingWith("features.options.x");
    assertThatThrownBy(() -> new Provenance("", null, null, null)).hasMessageStartingWith("provenance.trainedOn");
  }

  @Test
  void headsCheckTheirTaskAgainstActivationAndLabels() {
    assertThatThrownBy(() -> new Head("b", Task.BINARY, "o", Activation.SIGMOID, List.of(NOT_NEG, NEG), null, null))
        .hasMessageContaining("heads[b].activation");
    assertThatThrownBy(() -> new Head("m", Task.MULTI_CLASS, "o", Activation.SIGMOID, List.of(NOT_NEG, NEG), null,
        null)).hasMessageContaining("heads[m].activation");
    assertThatThrownBy(() -> new Head("d", Task.DIMENSIONAL, "o", Activation.NONE, List.of(NEG), null, null))
        .hasMessageContaining("heads[d].ranges");
    assertThatThrownBy(() -> new Head("l", Task.MULTI_LABEL, "o", Activation.SIGMOID, List.of(NOT_NEG, NEG),
        List.of(0.5), null)).hasMessageContaining("heads[l].thresholds");
    Head pairwise = new Head("p", Task.MULTI_LABEL, "o", Activation.PAIRWISE_SOFTMAX, List.of(NOT_NEG, NEG), null,
        null);
    assertThat(pairwise.rawSize()).isEqualTo(4);
    Head dim = new Head("d", Task.DIMENSIONAL, "o", Activation.NONE, List.of(NEG), null, List.of(List.of(-1.0, 1.0)));
    assertThat(dim.ranges()).hasSize(1);
  }

  @Test
  void listsAndMapsAreImmutableCopies() {
    List<Label> labels = new ArrayList<>(List.of(NOT_NEG, NEG));
    Head h = new Head("negative", Task.BINARY, "o", Activation.SOFTMAX, labels, null, null);
    labels.clear();
    assertThat(h.labels()).hasSize(2);
    assertThatThrownBy(() -> h.labels().clear()).isInstanceOf(UnsupportedOperationException.class);
    FeatureRecipe r = new FeatureRecipe("waveform", new java.util.HashMap<>(Map.of("normalize", "wav2vec2")));
    assertThatThrownBy(() -> r.options().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
  }
}
