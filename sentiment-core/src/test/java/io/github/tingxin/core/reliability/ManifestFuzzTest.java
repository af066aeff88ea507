package io.github.tingxin.core.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
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
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Fuzzes the model package reader: {@link ManifestJson} on arbitrary bytes, and
 * {@link JsonModelPackageReader} on arbitrary bytes as a {@code .zip} package and on well-formed zips of
 * fuzzed entries (names, bytes, compression, inflated sizes). The oracle: only the documented codes; a
 * manifest that is accepted survives writing and reading back unchanged; a message names the file it is
 * about; reading a package allocates within a budget whatever its entries claim.
 *
 * <p>Without {@code JAZZER_FUZZ} each method runs on the committed seeds and past findings in
 * {@code src/test/resources/fuzz/ManifestFuzzTestInputs}; {@code tools/fuzz/run-fuzz.sh} fuzzes each for a
 * bounded time.
 */
class ManifestFuzzTest {
  static final String FILE = "fuzzed/tingxin-model.json";
  static final Set<ErrorCode> PACKAGE_ERRORS = EnumSet.of(ErrorCode.MODEL_NOT_FOUND, ErrorCode.MANIFEST_INVALID,
      ErrorCode.MODEL_FILE_INVALID, ErrorCode.MODEL_PACKAGE_UNREADABLE);
  /**
   * The most a read of one fuzzed package may allocate. Its entries inflate to 20 MiB at most, and loading
   * and instrumenting classes (under the fuzzer) allocates some MiB more; a reader that trusted a claimed
   * size would allocate up to half the heap.
   */
  static final long PACKAGE_BUDGET_BYTES = 128L << 20;
  private static boolean warmedUp;

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
    Outcome<ModelPackage> read = readWithinBudget(file);
    if (!read.failed()) {
      assertThat(read.value().manifest()).isNotNull();
    }
  }

  /**
   * A well-formed zip whose entries the fuzzer chooses: which package files (at the root or in folders), their
   * bytes (or the fixture's valid manifest), compression, and repetition, so that a few KB of input make
   * entries that inflate to MiBs (zip bombs in miniature). The oracle: only the documented codes, and the
   * read allocates within {@link #PACKAGE_BUDGET_BYTES} whatever the entries claim.
   */
  @FuzzTest(maxDuration = "60s")
  void modelPackageEntries(FuzzedDataProvider data) throws IOException {
    Path file = scratchZip();
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      int entries = data.consumeInt(1, 5);
      java.util.Set<String> used = new java.util.HashSet<>();
      for (int i = 0; i < entries; i++) {
        String name = data.pickValue(ENTRY_NAMES);
        if (!used.add(name)) {
          continue;
        }
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(data.consumeBoolean() ? ZipEntry.DEFLATED : ZipEntry.STORED);
        byte[] body = name.endsWith(ModelPackage.MANIFEST_FILE) && data.consumeBoolean()
            ? validManifest() : data.consumeBytes(data.consumeInt(0, 512));
        int repeat = body.length == 0 ? 1 : Math.min(data.consumeInt(1, 1 << 16), (4 << 20) / body.length);
        if (entry.getMethod() == ZipEntry.STORED) {
          java.util.zip.CRC32 crc = new java.util.zip.CRC32();
          for (int r = 0; r < repeat; r++) {
            crc.update(body);
          }
          entry.setSize((long) body.length * repeat);
          entry.setCrc(crc.getValue());
        }
        zip.putNextEntry(entry);
        for (int r = 0; r < repeat; r++) {
          zip.write(body);
        }
        zip.closeEntry();
      }
    }
    Outcome<ModelPackage> read = readWithinBudget(file);
    if (!read.failed()) {
      assertThat(read.value().manifest()).isNotNull();
      assertThat(read.value().modelBytes()).isNotEmpty();
    }
  }

  private static final String[] ENTRY_NAMES = {ModelPackage.MANIFEST_FILE, ModelPackage.MODEL_FILE, "MODEL_CARD.md",
      "pkg/" + ModelPackage.MANIFEST_FILE, "pkg/" + ModelPackage.MODEL_FILE, "pkg/MODEL_CARD.md",
      "other/" + ModelPackage.MANIFEST_FILE, "pkg/", "README"};

  /** Reads a valid and a damaged zip once, unmeasured, so that class loading is not counted as the reader's. */
  private static synchronized void warmUp() {
    if (warmedUp) {
      return;
    }
    warmedUp = true;
    try {
      Path zip = Files.createTempFile("tingxin-fuzz-warm-", ".zip");
      try {
        byte[] valid = BadInputTableTest.zipOf(BadInputTableTest.FIXTURE);
        Files.write(zip, valid);
        new JsonModelPackageReader().read(zip);
        Files.write(zip, java.util.Arrays.copyOf(valid, valid.length / 2));
        Outcome.of(() -> new JsonModelPackageReader().read(zip), PACKAGE_ERRORS);
      } finally {
        Files.deleteIfExists(zip);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] validManifest() throws IOException {
    return Files.readAllBytes(BadInputTableTest.FIXTURE.resolve(ModelPackage.MANIFEST_FILE));
  }

  private static Outcome<ModelPackage> readWithinBudget(Path file) {
    warmUp();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(id);
    Outcome<ModelPackage> read = Outcome.of(() -> new JsonModelPackageReader().read(file), PACKAGE_ERRORS);
    assertThat(threads.getThreadAllocatedBytes(id) - before).as("bytes allocated reading the package")
        .isLessThan(PACKAGE_BUDGET_BYTES);
    return read;
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
