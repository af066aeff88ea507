package io.github.tingxin.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Runs with sentiment-api alone on the class path: the lookups must say what to add. */
class BuilderAndLookupTest {
  @Test
  void builderValidatesEachSettingAtOnce() {
    EmotionRecognizer.Builder b = EmotionRecognizer.builder();
    assertThatThrownBy(() -> b.batchSize(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..1024");
    assertThatThrownBy(() -> b.threads(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.negativeThreshold(1.0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxAudioSeconds(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.device(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("no model");
  }

  @Test
  void loadingWithoutCoreSaysWhichArtifactToAdd() {
    assertThatThrownBy(() -> ModelPackage.load(Path.of("does-not-matter")))
        .isInstanceOfSatisfying(TingxinException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.BACKEND_UNAVAILABLE))
        .hasMessageContaining("sentiment-core");
  }

  @Test
  void bundledDefaultWithoutTheModelsArtifactSaysWhatToAdd() {
    assertThatThrownBy(ModelPackage::bundledDefault)
        .isInstanceOfSatisfying(TingxinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND))
        .hasMessageContaining("sentiment-models");
    assertThatThrownBy(ModelPackage::bundledDefaultInt8)
        .isInstanceOfSatisfying(TingxinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND))
        .hasMessageContaining("int8 twin").hasMessageContaining("sentiment-models");
    // the bundled names, where no file of that name exists, ask for the artifact too
    assertThatThrownBy(() -> ModelPackage.named(ModelPackage.DEFAULT_INT8_NAME))
        .isInstanceOfSatisfying(TingxinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND))
        .hasMessageContaining("int8 twin");
    assertThatThrownBy(() -> ModelPackage.named(ModelPackage.DEFAULT_NAME))
        .isInstanceOfSatisfying(TingxinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND))
        .hasMessageContaining("The default model");
  }

  @Test
  void segmentationAndAlertRulesRefuseNonsense() {
    assertThatThrownBy(() -> Segmentation.sliding(Segmentation.Vad.ENERGY, 2, 3))
        .hasMessageContaining("hopSeconds");
    assertThatThrownBy(() -> Segmentation.DEFAULT.withLimits(5, 2)).hasMessageContaining("minSeconds");
    assertThatThrownBy(() -> new AlertRule(0, 1, 1)).hasMessageContaining("probability");
    assertThatThrownBy(() -> new AlertRule(0.8, 20, 10)).hasMessageContaining("windowSeconds");
    assertThat(AlertRule.DEFAULT.probability()).isEqualTo(0.8);
    assertThat(AlertRule.DEFAULT.negativeSpeechSeconds()).isEqualTo(20);
  }

  @Test
  void channelSelectionsCheckTheirChannels() {
    assertThatThrownBy(() -> ChannelSelection.callerAndOperator(1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChannelSelection.channel(-1)).isInstanceOf(IllegalArgumentException.class);
    AudioInput in = AudioInput.file(Path.of("call.wav")).callerAndOperator(1, 0);
    assertThat(in.channels().caller()).isEqualTo(1);
    assertThat(in.channels().operator()).isZero();
    AudioInput mono = AudioInput.of(Audio.empty(8000));
    assertThatThrownBy(() -> mono.callerAndOperator(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(mono.channel(0).channels().mode()).isEqualTo(ChannelSelection.Mode.CHANNEL);
  }
}
