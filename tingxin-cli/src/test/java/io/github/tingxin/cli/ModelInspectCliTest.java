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
        "segments     0.25 to 10.00 s; shorter speech is scored padded with silence to 0.25 s (shortInput pad)",
        "graph        loaded by onnxruntime on cpu", "test run",
        "short run    a 0.13 s signal, under the minimum: scored padded with silence to 0.25 s", "OK");
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
  void badPackagesAreModelErrorsNamingTheFileAndFieldNeverOk(@TempDir Path dir) throws Exception {
    // Issue 17 items 11 and 14: a threshold out of range, a feature option the extractor refuses, and a
    // damaged zip are bad models (exit 3, a model code, the file and the field), not usage or audio errors.
    Path src = AnalyzeCliTest.MODEL;
    String manifest = Files.readString(src.resolve("tingxin-model.json"));
    String[][] edits = {
        {"threshold", manifest.replaceFirst("\"thresholds\": \\[\\s*0.5,", "\"thresholds\": [5,"),
            "heads[negative].thresholds[0]: 5.0 is outside (0, 1)", "[MANIFEST_INVALID]"},
        {"option", manifest.replaceFirst("\"frame_length\": [0-9.]+", "\"frame_length\": \"long\""),
            "features.options.frame_length: ", "[MANIFEST_INVALID]"}};
    for (String[] edit : edits) {
      assertThat(edit[1]).isNotEqualTo(manifest);
      Path copy = Files.createDirectories(dir.resolve(edit[0]));
      Files.copy(src.resolve("model.onnx"), copy.resolve("model.onnx"));
      Files.copy(src.resolve("MODEL_CARD.md"), copy.resolve("MODEL_CARD.md"));
      Files.writeString(copy.resolve("tingxin-model.json"), edit[1]);
      CliProcess.Result r = CliProcess.inProcess(null, "model", "inspect", copy.toString());
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.BAD_MODEL);
      assertThat(r.stdout()).as(r.toString()).doesNotContain("OK");
      assertThat(r.stderrLines()).as(r.toString()).hasSize(1);
      assertThat(r.stderrLines().get(0)).contains(copy.resolve("tingxin-model.json") + ": " + edit[2])
          .endsWith(edit[3]);
    }
    Path cut = dir.resolve("cut.zip");
    Files.write(cut, "PK\u0003\u0004 not a whole zip".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    CliProcess.Result r = CliProcess.inProcess(null, "model", "inspect", cut.toString());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.BAD_MODEL);
    assertThat(r.stderrLines().get(0)).contains("cut.zip").endsWith("[MODEL_PACKAGE_UNREADABLE]");
  }

  @Test
  void withoutAPathTheBundledDefaultIsInspected() {
    CliProcess.Result r = CliProcess.inProcess(null, "model", "inspect");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("name         " + io.github.tingxin.api.ModelPackage.bundledDefault().manifest().name(),
        "classpath:", "OK");
  }

  @Test
  void aBundledModelIsInspectedByItsName() {
    CliProcess.Result r = CliProcess.inProcess(null, "model", "inspect", "default-int8");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("name         " + io.github.tingxin.api.ModelPackage.bundledDefaultInt8().manifest().name(),
        "classpath:", "OK");
    assertThat(io.github.tingxin.api.ModelPackage.bundledDefaultInt8().manifest().name()).endsWith("-int8");
  }

  @Test
  void aMissingPackageIsExitThree() throws Exception {
    CliProcess.Result r = CliProcess.inProcess(null, "model", "inspect", "no/such/model");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_MODEL);
    assertThat(r.stderrLines()).hasSize(1);
    assertThat(r.stderrLines().get(0)).endsWith("[MODEL_NOT_FOUND]");
  }
}
