package io.github.tingxin.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.tingxin.api.Device;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ModelManifest.Layout;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.core.model.ScoreDecoder;
import io.github.tingxin.spi.FeatureBatch;
import io.github.tingxin.spi.Features;
import io.github.tingxin.spi.InferenceBackend;
import io.github.tingxin.spi.InferenceBackends;
import io.github.tingxin.spi.InferenceSession;
import io.github.tingxin.spi.SessionOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxBackendTest {
  static final double TOLERANCE = 1e-4;
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  final OnnxBackend backend = new OnnxBackend();

  // ---------------------------------------------------------------- discovery and devices

  @Test
  void isFoundByTheServiceLoaderAndSelected() {
    assertThat(InferenceBackends.available()).extracting(InferenceBackend::name).contains("onnxruntime");
    assertThat(InferenceBackends.select(Device.CPU, Optional.empty())).isInstanceOf(OnnxBackend.class);
    assertThat(InferenceBackends.select(Device.CPU, Optional.of("onnxruntime"))).isInstanceOf(OnnxBackend.class);
    expect(() -> InferenceBackends.select(Device.CPU, Optional.of("tensorrt")), ErrorCode.BACKEND_UNAVAILABLE,
        "'tensorrt'");
    String old = System.getProperty(InferenceBackend.OVERRIDE_PROPERTY);
    try {
      System.setProperty(InferenceBackend.OVERRIDE_PROPERTY, "nope");
      expect(() -> InferenceBackends.select(Device.CPU, Optional.empty()), ErrorCode.BACKEND_UNAVAILABLE,
          "-Dtingxin.backend");
    } finally {
      if (old == null) {
        System.clearProperty(InferenceBackend.OVERRIDE_PROPERTY);
      } else {
        System.setProperty(InferenceBackend.OVERRIDE_PROPERTY, old);
      }
    }
    assertThat(backend.name()).isEqualTo("onnxruntime");
    assertThat(backend.rank()).isPositive();
    assertThat(backend.supports(Device.CPU)).isTrue();
  }

  @Test
  void cudaWithoutTheGpuBuildIsDeviceUnavailableUnlessFallbackWasAsked() {
    // The CPU build of ONNX Runtime is on the test class path (the GPU build comes with -Pcuda).
    if (OnnxBackend.cudaProviderPresent()) {
      return; // checked on GPU machines by cudaRunsWhereTheGpuBuildIsPresent
    }
    assertThat(backend.supports(Device.cuda(0))).isFalse();
    assertThat(backend.supports(Device.cudaIfAvailable(0))).isTrue();
    ModelPackage model = Fixtures.load("fbank-cnn-tiny");
    expect(() -> backend.open(model, new SessionOptions(Device.cuda(0), 0, 0, SessionOptions.Optimization.ALL)),
        ErrorCode.DEVICE_UNAVAILABLE, "onnxruntime_gpu");
    expect(() -> InferenceBackends.select(Device.cuda(0), Optional.empty()), ErrorCode.DEVICE_UNAVAILABLE, "cuda:0");
    try (InferenceSession s = backend.open(model,
        new SessionOptions(Device.cudaIfAvailable(0), 0, 0, SessionOptions.Optimization.ALL))) {
      assertThat(((OnnxSession) s).device()).isEqualTo(Device.CPU);
      assertMatchesReference(s, "fbank-cnn-tiny");
    }
  }

  @Test
  void cudaRunsWhereTheGpuBuildIsPresent() {
    if (!OnnxBackend.cudaProviderPresent()) {
      return; // the CPU build: covered by the test above
    }
    try (InferenceSession s = backend.open(Fixtures.load("whisper-tiny"),
        new SessionOptions(Device.cuda(0), 0, 0, SessionOptions.Optimization.ALL))) {
      assertThat(((OnnxSession) s).device()).isEqualTo(Device.cuda(0));
      assertMatchesReference(s, "whisper-tiny");
    }
  }

  @Test
  void everySessionOptionGivesTheSameAnswers() {
    ModelPackage model = Fixtures.load("hubert-tiny");
    for (SessionOptions.Optimization level : SessionOptions.Optimization.values()) {
      for (int[] threads : new int[][] {{1, 1}, {2, 2}, {0, 0}}) {
        try (InferenceSession s = backend.open(model, new SessionOptions(Device.CPU, threads[0], threads[1], level))) {
          assertMatchesReference(s, "hubert-tiny");
        }
      }
    }
  }

  // ---------------------------------------------------------------- padding

  @Test
  void aGraphWithoutLengthsRunsPaddedItemsOneByOne() {
    ModelPackage model = Fixtures.load("fbank-cnn-tiny-nolengths");
    assertThat(model.manifest().input().lengths()).isEmpty();
    try (InferenceSession s = backend.open(model, SessionOptions.DEFAULT)) {
      assertMatchesReference(s, "fbank-cnn-tiny");
    }
  }

  @Test
  void int8QuantisedGraphStaysCloseToTheFloatReference() {
    ModelPackage model = Fixtures.load("wav2vec2-tiny-int8");
    Fixtures.Reference ref = Fixtures.Reference.of("wav2vec2-tiny");
    try (InferenceSession s = backend.open(model, SessionOptions.DEFAULT)) {
      Map<String, float[][]> out = s.run(FeatureBatch.of(ref.features(), Layout.BATCH_TIME, 0));
      double worst = 0;
      for (Map.Entry<String, float[][]> e : ref.outputs().entrySet()) {
        worst = Math.max(worst, Fixtures.maxAbsDiff(out.get(e.getKey()), e.getValue()));
      }
      // Quantisation moves logits a little, never to garbage; an unquantised graph would match to 1e-4.
      assertThat(worst).isGreaterThan(TOLERANCE).isLessThan(0.1);
    }
  }

  // ---------------------------------------------------------------- threads and close

  @Test
  void oneSessionIsSharedByManyThreads() throws Exception {
    Fixtures.Reference ref = Fixtures.Reference.of("whisper-tiny");
    ModelManifest m = Fixtures.load("whisper-tiny").manifest();
    int threads = 6;
    int runs = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (InferenceSession s = backend.open(Fixtures.load("whisper-tiny"), SessionOptions.DEFAULT)) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Double>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        Callable<Double> task = () -> {
          start.await();
          double worst = 0;
          for (int r = 0; r < runs; r++) {
            // each thread runs its own mix: single clips and padded batches in varying order
            int k = (thread + r) % 4;
            List<Integer> idx = k < 3 ? List.of(k) : (r % 2 == 0 ? List.of(2, 0, 1) : List.of(1, 2));
            List<Features> items = idx.stream().map(ref.features()::get).toList();
            Map<String, float[][]> out = s.run(FeatureBatch.of(items, m.input().layout(), 0));
            for (Map.Entry<String, float[][]> e : ref.outputs().entrySet()) {
              float[][] expected = idx.stream().map(i -> e.getValue()[i]).toArray(float[][]::new);
              worst = Math.max(worst, Fixtures.maxAbsDiff(out.get(e.getKey()), expected));
            }
          }
          return worst;
        };
        results.add(pool.submit(task));
      }
      start.countDown();
      for (Future<Double> f : results) {
        assertThat(f.get(60, TimeUnit.SECONDS)).isLessThanOrEqualTo(TOLERANCE);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void closeIsIdempotentAndRunAfterCloseIsIllegalState() {
    Fixtures.Reference ref = Fixtures.Reference.of("fbank-cnn-tiny");
    InferenceSession s = backend.open(Fixtures.load("fbank-cnn-tiny"), SessionOptions.DEFAULT);
    FeatureBatch batch = FeatureBatch.of(List.of(ref.features().get(0)), Layout.BATCH_TIME_FEATURE, 0);
    assertThat(s.run(batch)).containsKeys("negative", "emotion");
    s.close();
    s.close();
    assertThatThrownBy(() -> s.run(batch)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThat(s.manifest().name()).isEqualTo("tingxin-fixture-fbank-cnn-tiny");
  }

  @Test
  void closingDuringConcurrentRunsLetsEachRunCompleteOrBeRefused() throws Exception {
    Fixtures.Reference ref = Fixtures.Reference.of("fbank-cnn-tiny");
    InferenceSession s = backend.open(Fixtures.load("fbank-cnn-tiny"), SessionOptions.DEFAULT);
    FeatureBatch batch = FeatureBatch.of(List.of(ref.features().get(0)), Layout.BATCH_TIME_FEATURE, 0);
    float[][] expected = {ref.outputs().get("negative")[0]};
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch ranOnce = new CountDownLatch(threads);
      List<Future<Integer>> loops = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        loops.add(pool.submit(() -> {
          // runs until close refuses one: every run before that must give the reference answer
          for (int runs = 0; ; runs++) {
            Map<String, float[][]> out;
            try {
              out = s.run(batch);
            } catch (IllegalStateException closed) {
              assertThat(closed).hasMessageContaining("closed");
              return runs;
            }
            assertThat(Fixtures.maxAbsDiff(out.get("negative"), expected)).isLessThanOrEqualTo(TOLERANCE);
            if (runs == 0) {
              ranOnce.countDown();
            }
          }
        }));
      }
      ranOnce.await();
      s.close();
      assertThat(((OnnxSession) s).handle().isFreed()).as("close returns once the session is freed").isTrue();
      for (Future<Integer> loop : loops) {
        assertThat(loop.get(60, TimeUnit.SECONDS)).isPositive();
      }
      s.close();
      assertThatThrownBy(() -> s.run(batch)).isInstanceOf(IllegalStateException.class);
    } finally {
      pool.shutdownNow();
      s.close();
    }
  }

  @Test
  void closeWaitsForRunsInProgressThenRefusesNewOnes() throws Exception {
    Fixtures.Reference ref = Fixtures.Reference.of("wav2vec2-tiny");
    InferenceSession s = backend.open(Fixtures.load("wav2vec2-tiny"), SessionOptions.DEFAULT);
    FeatureBatch batch = FeatureBatch.of(ref.features(), Layout.BATCH_TIME, 0);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      CountDownLatch started = new CountDownLatch(3);
      List<Future<Object>> runs = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        runs.add(pool.submit(() -> {
          started.countDown();
          try {
            return s.run(batch);
          } catch (IllegalStateException closed) {
            return closed; // a run that starts after close must see exactly this
          }
        }));
      }
      started.await();
      s.close();
      for (Future<Object> f : runs) {
        Object r = f.get(60, TimeUnit.SECONDS);
        if (r instanceof Map<?, ?> map) {
          assertThat(Fixtures.maxAbsDiff((float[][]) map.get("negative"), ref.outputs().get("negative")))
              .isLessThanOrEqualTo(TOLERANCE);
        } else {
          assertThat(r).isInstanceOf(IllegalStateException.class);
        }
      }
      assertThatThrownBy(() -> s.run(batch)).isInstanceOf(IllegalStateException.class);
    } finally {
      pool.shutdownNow();
    }
  }

  // ---------------------------------------------------------------- broken files

  @Test
  void aTruncatedGraphIsModelFileInvalid() throws IOException {
    Path dir = Fixtures.copy("fbank-cnn-tiny", tmp.resolve("truncated"));
    byte[] bytes = Files.readAllBytes(dir.resolve("model.onnx"));
    Files.write(dir.resolve("model.onnx"), Arrays.copyOf(bytes, bytes.length / 2));
    ModelPackage model = ModelPackage.load(dir);
    expect(() -> backend.open(model, SessionOptions.DEFAULT), ErrorCode.MODEL_FILE_INVALID,
        "truncated or not an ONNX model");
  }

  @Test
  void aNonOnnxGraphIsModelFileInvalidFromDiskAndFromMemory() throws IOException {
    Path dir = Fixtures.copy("fbank-cnn-tiny", tmp.resolve("text"));
    Files.writeString(dir.resolve("model.onnx"), "<html>404 Not Found</html>\n");
    ModelPackage fromDisk = ModelPackage.load(dir);
    expect(() -> backend.open(fromDisk, SessionOptions.DEFAULT), ErrorCode.MODEL_FILE_INVALID,
        dir.toAbsolutePath() + "/model.onnx");
    ModelPackage inMemory = ModelPackage.ofBytes(fromDisk.manifest(), "garbage".getBytes(StandardCharsets.UTF_8),
        "memory", null);
    expect(() -> backend.open(inMemory, SessionOptions.DEFAULT), ErrorCode.MODEL_FILE_INVALID, "memory/model.onnx");
  }

  @Test
  void aGraphFileRemovedAfterLoadingIsModelFileInvalid() throws IOException {
    Path dir = Fixtures.copy("fbank-cnn-tiny", tmp.resolve("gone"));
    ModelPackage model = ModelPackage.load(dir);
    Files.delete(dir.resolve("model.onnx"));
    expect(() -> backend.open(model, SessionOptions.DEFAULT), ErrorCode.MODEL_FILE_INVALID, "is missing");
  }

  // ---------------------------------------------------------------- manifest vs graph

  @Test
  void aFeatureInputTheGraphLacksIsAMismatch() {
    expectMismatch("fbank-cnn-tiny", r -> obj(r, "input").put("name", "fbank"),
        "input.name 'fbank' is not a graph input; the graph's inputs are [");
  }

  @Test
  void aLengthsInputTheGraphLacksIsAMismatch() {
    expectMismatch("fbank-cnn-tiny-nolengths", r -> obj(r, "input").put("lengths", "lengths"),
        "input.lengths 'lengths' is not a graph input");
  }

  @Test
  void aGraphInputTheManifestOmitsIsAMismatch() {
    expectMismatch("fbank-cnn-tiny", r -> obj(r, "input").remove("lengths"),
        "graph input 'lengths' is not in the manifest");
  }

  @Test
  void aLayoutOfTheWrongRankIsAMismatch() {
    expectMismatch("fbank-cnn-tiny", r -> obj(r, "input").put("layout", "batch-time"),
        "has rank 3 [?, ?, 40] but input.layout batch-time needs rank 2");
    expectMismatch("wav2vec2-tiny", r -> obj(r, "input").put("layout", "batch-time-feature"), "needs rank 3");
  }

  @Test
  void aHeadOutputTheGraphLacksIsAMismatch() {
    expectMismatch("fbank-cnn-tiny", r -> head(r, 1).put("output", "emotion_probs"),
        "heads[emotion].output 'emotion_probs' is not a graph output");
  }

  @Test
  void aLabelCountThatDoesNotFitTheOutputIsAMismatch() {
    expectMismatch("fbank-cnn-tiny", r -> dropLabel(head(r, 1), 6),
        "head 'emotion' has 6 labels and needs [batch, 6]");
    expectMismatch("wav2vec2-tiny", r -> dropLabel(head(r, 1), 10),
        "(pairwise-softmax, 10 labels) needs [batch, 10, 2]");
    // an output of the right size read with the wrong activation shape
    expectMismatch("wav2vec2-tiny", r -> head(r, 1).put("activation", "sigmoid"), "needs [batch, 11]");
  }

  @Test
  void aFeatureDimTheGraphDoesNotTakeIsAMismatchAtRunTime() {
    try (InferenceSession s = backend.open(Fixtures.load("fbank-cnn-tiny"), SessionOptions.DEFAULT)) {
      FeatureBatch wrongDim = FeatureBatch.of(List.of(new Features(new float[50 * 23], 50, 23)),
          Layout.BATCH_TIME_FEATURE, 0);
      expect(() -> s.run(wrongDim), ErrorCode.MODEL_MANIFEST_MISMATCH, "gives 23 values per frame");
      FeatureBatch wrongLayout = FeatureBatch.of(List.of(new Features(new float[50 * 40], 50, 40)),
          Layout.BATCH_FEATURE_TIME, 0);
      assertThatThrownBy(() -> s.run(wrongLayout)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("layout");
    }
  }

  @Test
  void nonFiniteOutputsAreModelOutputInvalidWhenDecoded() {
    ModelPackage model = Fixtures.load("fbank-cnn-tiny");
    try (InferenceSession s = backend.open(model, SessionOptions.DEFAULT)) {
      float[] data = new float[30 * 40];
      Arrays.fill(data, 1f);
      data[17] = Float.NaN;
      Map<String, float[][]> raw = s.run(FeatureBatch.of(List.of(new Features(data, 30, 40)),
          Layout.BATCH_TIME_FEATURE, 0));
      expect(() -> ScoreDecoder.of(model.manifest()).decodeBatch(raw), ErrorCode.MODEL_OUTPUT_INVALID, "non-finite");
    }
  }

  @Test
  void scoresDecodedFromJavaOutputsEqualThoseFromPyTorchOutputs() {
    ModelPackage model = Fixtures.load("wav2vec2-tiny");
    Fixtures.Reference ref = Fixtures.Reference.of("wav2vec2-tiny");
    ScoreDecoder decoder = ScoreDecoder.of(model.manifest());
    try (InferenceSession s = backend.open(model, SessionOptions.DEFAULT)) {
      List<ScoreDecoder.Decoded> java = decoder.decodeBatch(s.run(FeatureBatch.of(ref.features(), Layout.BATCH_TIME, 0)));
      List<ScoreDecoder.Decoded> torch = decoder.decodeBatch(ref.outputs());
      for (int i = 0; i < java.size(); i++) {
        assertThat(java.get(i).negativeProbability().getAsDouble())
            .isCloseTo(torch.get(i).negativeProbability().getAsDouble(), org.assertj.core.api.Assertions.within(1e-4));
        assertThat(java.get(i).scores()).hasSize(13);
      }
    }
  }

  // ---------------------------------------------------------------- helpers

  static void assertMatchesReference(InferenceSession s, String name) {
    Fixtures.Reference ref = Fixtures.Reference.of(name);
    ModelManifest m = s.manifest();
    Map<String, float[][]> out = s.run(FeatureBatch.of(ref.features(), m.input().layout(), m.input().fixedFrames()));
    for (Map.Entry<String, float[][]> e : ref.outputs().entrySet()) {
      assertThat(Fixtures.maxAbsDiff(out.get(e.getKey()), e.getValue())).as(name + " " + e.getKey())
          .isLessThanOrEqualTo(TOLERANCE);
    }
  }

  void expectMismatch(String fixture, Consumer<ObjectNode> edit, String message) {
    Path dir = Fixtures.copy(fixture, tmp.resolve(fixture + "-" + System.nanoTime()));
    try {
      ObjectNode root = (ObjectNode) JSON.readTree(dir.resolve("tingxin-model.json").toFile());
      edit.accept(root);
      JSON.writeValue(dir.resolve("tingxin-model.json").toFile(), root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ModelPackage model = ModelPackage.load(dir);
    expect(() -> backend.open(model, SessionOptions.DEFAULT), ErrorCode.MODEL_MANIFEST_MISMATCH, message);
  }

  static void dropLabel(ObjectNode head, int index) {
    head.remove("thresholds");
    ((ArrayNode) head.get("labels")).remove(index);
  }

  static ObjectNode obj(ObjectNode r, String field) {
    return (ObjectNode) r.get(field);
  }

  static ObjectNode head(ObjectNode r, int i) {
    return (ObjectNode) r.get("heads").get(i);
  }

  static void expect(ThrowingCallable call, ErrorCode code, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(TingxinException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessageContaining(message);
  }
}
