package io.github.tingxin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tingxin model inspect} as a process. */
class ModelInspectCliTest {
  @Test
  void showsTheManifestAndPassesItsChecks() throws Exception {
    CliProcess.Result r = CliProcess.run("model", "inspect", AnalyzeCliTest.MODEL.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("name         tingxin-fixture-fbank-cnn-tiny 0.0.1", "sample rate  16000 Hz",
        "features     kaldi-fbank", "num_mel_bins = 40", "input        features (batch-time-feature)",
        "negative     from head 'negative'", "负面", "愤怒", "悲伤", "0.450",
        "graph        loaded by onnxruntime on cpu", "test run", "OK");
    assertThat(r.stdout().strip()).endsWith("OK");
  }

  @Test
  void aGraphThatDisagreesWithItsManifestFailsWithExitThree(@TempDir Path dir) throws Exception {
    Path copy = dir.resolve("pkg");
    Files.createDirectories(copy);
    Path src = AnalyzeCliTest.MODEL;
    Files.copy(src.resolve("model.onnx"), copy.resolve("model.onnx"));
    Files.copy(src.resolve("MODEL_CARD.md"), copy.resolve("MODEL_CARD.md"));
    Files.writeString(copy.resolve("tingxin-model.json"), Files.readString(src.resolve("tingxin-model.json"))
        .replace("\"output\": \"emotion_logits\"", "\"output\": \"emotion_scores\""));
    CliProcess.Result r = CliProcess.run("model", "inspect", copy.toString());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.BAD_MODEL);
    assertThat(r.stdout()).contains("manifest     valid").doesNotContain("OK");
    assertThat(r.stderrLines()).hasSize(1);
    assertThat(r.stderrLines().get(0)).contains("emotion_scores").endsWith("[MODEL_MANIFEST_MISMATCH]");
  }

  @Test
  void withoutAPathTheBundledDefaultIsInspected() {
    CliProcess.Result r = CliProcess.inProcess(null, "model", "inspect");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("name         " + io.github.tingxin.api.ModelPackage.bundledDefault().manifest().name(),
        "classpath:", "OK");
  }

  @Test
  void aMissingPackageIsExitThree() throws Exception {
    CliProcess.Result r = CliProcess.inProcess(null, "model", "inspect", "no/such/model");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_MODEL);
    assertThat(r.stderrLines()).hasSize(1);
    assertThat(r.stderrLines().get(0)).endsWith("[MODEL_NOT_FOUND]");
  }
}
