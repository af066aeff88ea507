package io.github.tingxin.core.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.ChannelSelection;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.core.audio.ChannelSelector;
import io.github.tingxin.core.audio.DecodedWav;
import io.github.tingxin.core.audio.WavReader;
import io.github.tingxin.core.model.ManifestJson;
import io.github.tingxin.core.model.ScoreDecoder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the {@code sentiment-core} rows of {@code docs/bad-input.md}: each malformed input must get exactly
 * the documented code and a message containing the documented excerpt, and the table and these cases must
 * name the same inputs, so the document cannot drift from the code.
 */
class BadInputTableTest {
  static final String MODULE = "sentiment-core";
  static final Path FIXTURE = BadInputTable.file().getParent().getParent().resolve("fixtures/models/fbank-cnn-tiny");

  @TempDir
  static Path dir;

  /** Each row's input: returns normally (checking itself) or throws. */
  static final Map<String, BadInputTable.Case> CASES = new TreeMap<>();

  private static void add(String id, BadInputTable.Case c) {
    assertThat(CASES.put(id, c)).as("case %s defined twice", id).isNull();
  }

  static {
    // ---- audio files
    add("wav.not-riff", () -> read(WavBytes.raw("ID3\u0004").bytes(new byte[60]).build()));
    add("wav.riff-not-wave", () -> read(WavBytes.raw("RIFF").u32(0).ascii("AVI ").bytes(new byte[40]).build()));
    add("wav.rifx", () -> read(WavBytes.raw("RIFX").u32(0).ascii("WAVE").fmt(1, 1, 8000, 2, 16).data16(-1, pcm(8)).build()));
    add("wav.rf64", () -> read(WavBytes.raw("RF64").u32(0xFFFF_FFFFL).ascii("WAVE").chunk("ds64", 28, new byte[28])
        .fmt(1, 1, 8000, 2, 16).data16(-1, pcm(8)).build()));
    add("wav.empty", () -> read(new byte[0]));
    add("wav.riff-header-cut", () -> read(WavBytes.cut(WavBytes.riff().build(), 10)));
    add("wav.chunk-header-cut", () -> read(WavBytes.riff().fmt(1, 1, 8000, 2, 16).ascii("data\u0010").build()));
    add("wav.fmt-cut", () -> read(WavBytes.riff().ascii("fmt ").u32(16).u16(1).u16(1).u16(8000).build()));
    add("wav.no-chunks", () -> read(WavBytes.riff().build()));
    add("wav.no-fmt", () -> read(WavBytes.riff().chunk("LIST", 4, "INFO".getBytes(StandardCharsets.US_ASCII))
        .data16(-1, pcm(16)).build()));
    add("wav.no-data", () -> read(WavBytes.riff().fmt(1, 1, 8000, 2, 16).chunk("LIST", 4, new byte[4]).build()));
    add("wav.ima-adpcm", () -> read(WavBytes.riff().fmt(0x0011, 1, 8000, 256, 4).data16(-1, pcm(128)).build()));
    add("wav.mp3-in-wav", () -> read(WavBytes.riff().fmt(0x0055, 1, 8000, 1, 0).data16(-1, pcm(128)).build()));
    add("wav.pcm-64bit", () -> read(WavBytes.riff().fmt(1, 1, 8000, 8, 64).data16(-1, pcm(16)).build()));
    add("wav.extensible-guid", () -> {
      byte[] wav = WavBytes.riff().fmtExtensible(1, 1, 8000, 2, 16, 16).data16(-1, pcm(8)).build();
      wav[12 + 8 + 39] ^= 0x55; // the last byte of the sub-format GUID
      read(wav);
    });
    add("wav.block-align", () -> read(WavBytes.riff().fmt(1, 1, 8000, 3, 16).data16(-1, pcm(9)).build()));
    add("wav.bit-depth", () -> read(WavBytes.riff().fmt(1, 1, 8000, 2, 12).data16(-1, pcm(8)).build()));
    add("wav.float-16bit", () -> read(WavBytes.riff().fmt(3, 1, 8000, 2, 16).data16(-1, pcm(8)).build()));
    add("wav.valid-bits", () -> read(WavBytes.riff().fmtExtensible(1, 1, 8000, 2, 16, 24).data16(-1, pcm(8)).build()));
    add("wav.zero-channels", () -> read(WavBytes.riff().fmt(1, 0, 8000, 0, 16).data16(-1, pcm(8)).build()));
    add("wav.zero-rate", () -> read(WavBytes.riff().fmt(1, 1, 0, 2, 16).data16(-1, pcm(8)).build()));
    add("wav.two-fmt", () -> read(WavBytes.riff().fmt(1, 1, 8000, 2, 16).fmt(1, 1, 8000, 2, 16).data16(-1, pcm(8)).build()));
    add("wav.rate-too-high", () -> read(WavBytes.riff().fmt(1, 1, 1_000_000, 2, 16).data16(-1, pcm(8)).build()));
    add("wav.partial-frame-strict", () -> read(WavBytes.riff().fmt(1, 1, 8000, 2, 16).chunk("data", 201, new byte[201]).build()));
    add("wav.data-short-strict", () -> read(shortData()));
    add("wav.data-short-lenient", () -> {
      DecodedWav wav = WavReader.read(new ByteArrayInputStream(shortData()),
          WavReader.Options.DEFAULT.withTruncation(WavReader.Truncation.LENIENT));
      assertThat(wav.frames()).isEqualTo(50);
      assertThat(wav.truncated()).isTrue();
      assertThat(wav.missingBytes()).isEqualTo(300);
      assertThat(wav.channel(0).toArray()).isEqualTo(scaled(pcm(50)));
    });
    add("wav.float-nan", () -> read(WavBytes.riff().fmt(3, 2, 8000, 8, 32).dataFloat(-1, 0.1f, 0.2f, 0.3f, Float.NaN).build()));
    add("wav.float-inf", () -> {
      ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
      b.putDouble(0.5).putDouble(-0.5).putDouble(Double.POSITIVE_INFINITY).putDouble(0.25);
      read(WavBytes.riff().fmt(3, 1, 8000, 8, 64).chunk("data", 32, b.array()).build());
    });
    add("wav.claims-gigabytes", () -> read(claimsGigabytes()));
    add("wav.claims-gigabytes-lenient", () -> {
      DecodedWav wav = HugeHeaderTest.withinBudget(() -> WavReader.read(new ByteArrayInputStream(claimsGigabytes()),
          WavReaderFuzzTest.LENIENT_UNLIMITED));
      assertThat(wav.frames()).isEqualTo(1000);
      assertThat(wav.truncated()).isTrue();
      assertThat(wav.missingBytes()).isEqualTo(0xFFFF_FFFEL - 2000);
    });
    add("wav.zero-length", () -> {
      DecodedWav wav = WavReader.read(new ByteArrayInputStream(WavBytes.riff().fmt(1, 1, 8000, 2, 16).data16(0).build()));
      assertThat(wav.frames()).isZero();
      assertThat(wav.channel(0).isEmpty()).isTrue();
      assertThat(wav.truncated()).isFalse();
    });
    add("wav.too-many-channels", () -> read(WavBytes.riff().fmt(1, 65535, 8000, 65535, 8)
        .chunk("data", 65535, new byte[65535]).build()));
    add("wav.second-data", () -> read(WavBytes.riff().fmt(1, 1, 8000, 2, 16).data16(-1, pcm(8)).data16(-1, pcm(8))
        .build()));
    add("wav.second-data-before-fmt", () -> read(WavBytes.riff().data16(-1, pcm(8)).data16(-1, pcm(8))
        .fmt(1, 1, 8000, 2, 16).build()));
    add("wav.second-data-data-first", () -> {
      // Data, 8 zero bytes, fmt, data. A file's reader seeks back to the first data; the check for a second one
      // must then resume after the fmt chunk, as a stream's does (found by WavReaderFuzzTest#wholeFile: the
      // file stopped at the zero bytes and returned the first chunk, the stream refused).
      byte[] wav = WavBytes.riff().data16(-1, pcm(8)).bytes(new byte[8]).fmt(1, 1, 8000, 2, 16).data16(-1, pcm(8))
          .build();
      TingxinException stream = null;
      try {
        read(wav);
      } catch (TingxinException e) {
        stream = e;
      }
      assertThat(stream).as("from a stream").isNotNull();
      assertThat(stream.code()).isEqualTo(ErrorCode.INCONSISTENT_FORMAT);
      Path file = dir.resolve("second-data-data-first.wav");
      Files.write(file, wav);
      WavReader.read(file);
    });
    add("wav.data-before-fmt-stream", () -> {
      byte[] wav = WavBytes.riff().chunk("data", 9 << 20, new byte[9 << 20]).fmt(1, 1, 8000, 2, 16).build();
      Path file = dir.resolve("data-before-fmt.wav");
      Files.write(file, wav);
      assertThat(WavReader.read(file).frames()).as("from a file").isEqualTo(9 << 19);
      read(wav);
    });
    add("wav.pipe-big-chunk", () -> {
      byte[] wav = WavBytes.riff().chunk("LIST", 1 << 20, new byte[1 << 20]).fmt(1, 2, 8000, 4, 16)
          .data16(-1, pcm(2000)).build();
      Path fifo = dir.resolve("call.fifo");
      Files.deleteIfExists(fifo);
      assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();
      java.util.concurrent.CompletableFuture<Void> writer = java.util.concurrent.CompletableFuture.runAsync(() -> {
        try (java.io.OutputStream out = Files.newOutputStream(fifo)) {
          out.write(wav);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      DecodedWav fromPipe = WavReader.read(fifo);
      writer.join();
      DecodedWav fromBytes = WavReader.read(new ByteArrayInputStream(wav));
      assertThat(fromPipe.frames()).isEqualTo(1000);
      for (int c = 0; c < 2; c++) {
        assertThat(fromPipe.channel(c).toArray()).isEqualTo(fromBytes.channel(c).toArray());
      }
    });
    add("wav.missing-file", () -> WavReader.read(dir.resolve("no-such-call.wav")));
    add("audio.missing-channel", () -> ChannelSelector.select(
        WavReader.read(new ByteArrayInputStream(WavBytes.riff().fmt(1, 2, 8000, 4, 16).data16(-1, pcm(16)).build())),
        ChannelSelection.channel(2)));
    add("audio.nan-samples", () -> Audio.of(new float[] {0f, 0.1f, Float.NaN, 0.2f}, 8000));

    // ---- model packages
    add("package.nothing-there", () -> ModelPackage.load(dir.resolve("no-such-model")));
    add("package.no-manifest", () -> ModelPackage.load(Files.createDirectories(dir.resolve("empty-model"))));
    add("package.manifest-not-json", () -> loadWithManifest("not-json", "{x".getBytes(StandardCharsets.UTF_8)));
    add("package.manifest-empty", () -> loadWithManifest("empty-manifest", new byte[0]));
    add("package.manifest-missing-field", () -> loadWithManifest("no-rate", manifest().replace("\"sampleRate\": 16000,", "")));
    add("package.manifest-wrong-type", () -> loadWithManifest("rate-text", manifest().replace("\"sampleRate\": 16000",
        "\"sampleRate\": \"16000\"")));
    add("package.manifest-unknown-field", () -> loadWithManifest("rate-typo", manifest().replace("\"sampleRate\": 16000",
        "\"sampleRte\": 16000")));
    add("package.manifest-future-version", () -> loadWithManifest("v2", manifest().replace("\"formatVersion\": 1",
        "\"formatVersion\": 2")));
    add("package.manifest-bad-thresholds", () -> loadWithManifest("thresholds", manifest().replaceFirst(
        "\"thresholds\": \\[\\s*0.5,\\s*0.45\\s*]", "\"thresholds\": [0.5, 0.45, 0.5]")));
    add("package.model-missing", () -> {
      Path p = copyFixture("no-graph");
      Files.delete(p.resolve("model.onnx"));
      ModelPackage.load(p);
    });
    add("package.model-empty", () -> {
      Path p = copyFixture("empty-graph");
      Files.write(p.resolve("model.onnx"), new byte[0]);
      ModelPackage.load(p);
    });
    add("package.model-is-folder", () -> {
      Path p = copyFixture("graph-folder");
      Files.delete(p.resolve("model.onnx"));
      Files.createDirectories(p.resolve("model.onnx"));
      ModelPackage.load(p);
    });
    add("package.model-card-missing", () -> loadWithManifest("card", manifest().replace("\"modelCard\": \"MODEL_CARD.md\"",
        "\"modelCard\": \"CARD.md\"")));
    add("package.zip-corrupt", () -> {
      byte[] zip = zipOf(FIXTURE);
      Path p = dir.resolve("cut.zip");
      Files.write(p, Arrays.copyOf(zip, zip.length / 2));
      ModelPackage.load(p);
    });
    add("package.zip-bomb", () -> {
      Path p = dir.resolve("bomb.zip");
      try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(p))) {
        zip.setLevel(java.util.zip.Deflater.BEST_COMPRESSION);
        for (String f : new String[] {ModelPackage.MANIFEST_FILE, "MODEL_CARD.md"}) {
          zip.putNextEntry(new ZipEntry(f));
          zip.write(Files.readAllBytes(FIXTURE.resolve(f)));
        }
        zip.putNextEntry(new ZipEntry(ModelPackage.MODEL_FILE));
        byte[] zeros = new byte[1 << 20];
        for (int i = 0; i < 64; i++) {
          zip.write(zeros);
        }
      }
      assertThat(Files.size(p)).isLessThan(100_000);
      HugeHeaderTest.withinBudget(() -> ModelPackage.load(p));
    });
    add("package.model-card-too-large", () -> {
      Path p = copyFixture("big-card");
      Files.write(p.resolve("MODEL_CARD.md"), new byte[2 << 20]);
      ModelPackage.load(p);
    });
    add("package.manifest-threshold-range", () -> loadWithManifest("threshold-range", manifest().replaceFirst(
        "\"thresholds\": \\[\\s*0.5,", "\"thresholds\": [-1,")));
    add("package.manifest-fixed-frames", () -> loadWithManifest("fixed-frames", manifest().replace(
        "\"fixedFrames\": 0", "\"fixedFrames\": 2147483647")));
    add("package.manifest-deep", () -> loadWithManifest("deep", manifest().replace("\"description\":",
        "\"deep\": " + "[".repeat(100_000) + "]".repeat(100_000) + ", \"description\":")));
    add("package.manifest-long-number", () -> loadWithManifest("long-number", manifest().replace(
        "\"sampleRate\": 16000", "\"sampleRate\": 1" + "0".repeat(900_000))));
    add("package.manifest-feature-option", () -> buildWithManifest("feature-option", manifest().replaceFirst(
        "\"frame_length\": [0-9.]+", "\"frame_length\": \"long\"")));
    add("package.manifest-feature-range", () -> buildWithManifest("feature-range", manifest().replaceFirst(
        "\"frame_length\": ([0-9.]+)", "\"frame_length\": $1, \"lfr_m\": 1000000000")));
    add("package.feature-type-unknown", () -> buildWithManifest("feature-type", manifest().replace(
        "\"type\": \"kaldi-fbank\"", "\"type\": \"mel-magic\"")));
    add("package.model-nan-output", () -> {
      ModelManifest m = ModelPackage.load(FIXTURE).manifest();
      ScoreDecoder.of(m).decodeBatch(Map.of("negative", new float[][] {{0.3f, Float.NaN}},
          "emotion", new float[][] {{0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f}}));
    });
  }

  static Stream<BadInputTable> rows() {
    return BadInputTable.forModule(MODULE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void eachRowGetsItsDocumentedCodeAndMessage(BadInputTable row) {
    row.check(CASES.get(row.id()));
  }

  @Test
  void theTableAndTheCasesNameTheSameInputs() {
    java.util.Set<String> documented = rows().map(BadInputTable::id).collect(Collectors.toCollection(java.util.TreeSet::new));
    assertThat(documented).isEqualTo(CASES.keySet());
    assertThat(BadInputTable.rows()).extracting(BadInputTable::module).allMatch(
        m -> m.equals("sentiment-core") || m.equals("sentiment-onnx"), "a module with a bad-input test");
    assertThat(BadInputTable.rows()).extracting(BadInputTable::code).allMatch(
        c -> c.equals("none") || Arrays.stream(ErrorCode.values()).anyMatch(v -> v.name().equals(c)), "an ErrorCode");
  }

  // ---------------------------------------------------------------- inputs

  static void read(byte[] wav) {
    WavReader.read(new ByteArrayInputStream(wav));
  }

  static short[] pcm(int n) {
    short[] s = new short[n];
    for (int i = 0; i < n; i++) {
      s[i] = (short) (12000 * Math.sin(0.37 * i) + 3000 * Math.cos(1.9 * i));
    }
    return s;
  }

  static float[] scaled(short[] pcm) {
    float[] f = new float[pcm.length];
    for (int i = 0; i < pcm.length; i++) {
      f[i] = pcm[i] / 32768f;
    }
    return f;
  }

  /** 16-bit mono declaring 400 bytes of data, holding 100. */
  static byte[] shortData() {
    return WavBytes.riff().fmt(1, 1, 8000, 2, 16).data16(400, pcm(50)).build();
  }

  /** 16-bit mono at 16 kHz declaring 0xFFFFFFFE bytes (2^31 - 1 frames), holding 1000 frames. */
  static byte[] claimsGigabytes() {
    return WavBytes.riff().fmt(1, 1, 16000, 2, 16).data16(0xFFFF_FFFEL, pcm(1000)).build();
  }

  static String manifest() throws IOException {
    return Files.readString(FIXTURE.resolve(ModelPackage.MANIFEST_FILE));
  }

  static Path copyFixture(String name) throws IOException {
    Path p = Files.createDirectories(dir.resolve(name));
    try (Stream<Path> files = Files.list(FIXTURE)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f)) {
          Files.copy(f, p.resolve(f.getFileName().toString()));
        }
      }
    }
    return p;
  }

  static void loadWithManifest(String name, String manifest) throws IOException {
    // Sanity: the edit took, so the case tests what its row says.
    assertThat(manifest).isNotEqualTo(manifest());
    loadWithManifest(name, manifest.getBytes(StandardCharsets.UTF_8));
  }

  static void loadWithManifest(String name, byte[] manifest) throws IOException {
    Path p = copyFixture(name);
    Files.write(p.resolve(ModelPackage.MANIFEST_FILE), manifest);
    ModelPackage.load(p);
  }

  /** The recipe is the extractor's to check: the package loads, building a recognizer on it is refused. */
  static void buildWithManifest(String name, String manifest) throws IOException {
    assertThat(manifest).isNotEqualTo(manifest());
    Path p = copyFixture(name);
    Files.writeString(p.resolve(ModelPackage.MANIFEST_FILE), manifest);
    EmotionRecognizer.builder().model(ModelPackage.load(p)).backend("fake").build().close();
  }

  static byte[] zipOf(Path folder) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out); Stream<Path> files = Files.list(folder)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f)) {
          zip.putNextEntry(new ZipEntry(f.getFileName().toString()));
          zip.write(Files.readAllBytes(f));
          zip.closeEntry();
        }
      }
    }
    return out.toByteArray();
  }

  @Test
  void theManifestEditsApplyToTheFixture() throws IOException {
    // Guards the string edits above: the fixture manifest is valid as it is.
    assertThat(ManifestJson.read(manifest().getBytes(StandardCharsets.UTF_8), "fixture").sampleRate()).isEqualTo(16000);
  }
}
