package io.github.tingxin.core.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.core.model.JsonModelPackageReader;
import io.github.tingxin.core.model.ManifestJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * Fuzzes the model package reader: {@link ManifestJson} on arbitrary bytes, and
 * {@link JsonModelPackageReader} on arbitrary bytes as a {@code .zip} package. The oracle: only the
 * documented codes; a manifest that is accepted survives writing and reading back unchanged; a message
 * names the file it is about.
 *
 * <p>Without {@code JAZZER_FUZZ} each method runs on the committed seeds and past findings in
 * {@code src/test/resources/fuzz/ManifestFuzzTestInputs}; {@code tools/fuzz/run-fuzz.sh} fuzzes each for a
 * bounded time.
 */
class ManifestFuzzTest {
  static final String FILE = "fuzzed/tingxin-model.json";
  static final Set<ErrorCode> PACKAGE_ERRORS = EnumSet.of(ErrorCode.MODEL_NOT_FOUND, ErrorCode.MANIFEST_INVALID,
      ErrorCode.MODEL_FILE_INVALID, ErrorCode.IO_ERROR);

  private static Path scratch;

  @FuzzTest(maxDuration = "60s")
  @DictionaryEntries({"\"formatVersion\"", "\"name\"", "\"version\"", "\"license\"", "\"description\"",
      "\"sampleRate\"", "\"features\"", "\"type\"", "\"options\"", "\"input\"", "\"layout\"", "\"lengths\"",
      "\"fixedFrames\"", "\"heads\"", "\"task\"", "\"output\"", "\"activation\"", "\"labels\"", "\"id\"",
      "\"english\"", "\"chinese\"", "\"negative\"", "\"thresholds\"", "\"ranges\"", "\"negativeHead\"",
      "\"segments\"", "\"minSeconds\"", "\"maxSeconds\"", "\"provenance\"", "\"trainedOn\"", "\"metrics\"",
      "\"command\"", "\"modelCard\"", "\"multi-label\"", "\"multi-class\"", "\"dimensional\"", "\"binary\"",
      "\"softmax\"", "\"sigmoid\"", "\"pairwise-softmax\"", "\"batch-time-feature\"", "\"batch-time\"",
      "\"kaldi-fbank\"", "\"waveform\"", "\"whisper-logmel\"", "1e308", "-0.0", "null", "[]", "{}"})
  void manifestJson(byte[] json) {
    Outcome<ModelManifest> read = Outcome.of(() -> ManifestJson.read(json, FILE), EnumSet.of(ErrorCode.MANIFEST_INVALID));
    if (read.failed()) {
      assertThat(read.error().getMessage()).startsWith(FILE + ": ");
      return;
    }
    ModelManifest manifest = read.value();
    String written = ManifestJson.write(manifest);
    Outcome<ModelManifest> again = Outcome.of(() -> ManifestJson.read(written.getBytes(StandardCharsets.UTF_8),
        "rewritten"), Set.of());
    assertThat(again.value()).as("read(write(m)) of an accepted manifest").isEqualTo(manifest);
    assertThat(ManifestJson.write(again.value())).isEqualTo(written);
  }

  @FuzzTest(maxDuration = "60s")
  @DictionaryEntries({"PK\u0003\u0004", "PK\u0001\u0002", "PK\u0005\u0006", "tingxin-model.json", "model.onnx",
      "MODEL_CARD.md", "pkg/"})
  void modelPackageZip(byte[] zip) {
    Path file = scratchZip();
    try {
      Files.write(file, zip);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Outcome<ModelPackage> read = Outcome.of(() -> new JsonModelPackageReader().read(file), PACKAGE_ERRORS);
    if (!read.failed()) {
      assertThat(read.value().manifest()).isNotNull();
    }
  }

  private static synchronized Path scratchZip() {
    if (scratch == null) {
      try {
        scratch = Files.createTempFile("tingxin-fuzz-", ".zip");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      scratch.toFile().deleteOnExit();
    }
    return scratch;
  }
}
