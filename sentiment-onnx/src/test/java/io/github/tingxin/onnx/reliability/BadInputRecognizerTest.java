package io.github.tingxin.onnx.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.AudioInput;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.EmotionStream;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ModelManifest.Head;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.Segmentation;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.core.reliability.BadInputTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the {@code sentiment-onnx} rows of {@code docs/bad-input.md} through the public API with ONNX Runtime
 * and the fixture model {@code fbank-cnn-tiny}: each gets exactly the documented code and a message with the
 * documented excerpt, and the rows and these cases name the same inputs.
 */
class BadInputRecognizerTest {
  static final String MODULE = "sentiment-onnx";
  static final Map<String, BadInputTable.Case> CASES = new TreeMap<>();

  @TempDir
  static Path dir;
  private static EmotionRecognizer recognizer;

  @BeforeAll
  static void open() {
    recognizer = EmotionRecognizer.builder().model(Calls.fixture("fbank-cnn-tiny")).threads(1).build();
  }

  @AfterAll
  static void close() {
    recognizer.close();
  }

  private static void add(String id, BadInputTable.Case c) {
    assertThat(CASES.put(id, c)).as("case %s defined twice", id).isNull();
  }

  static ModelPackage fixture() {
    return Calls.fixture("fbank-cnn-tiny");
  }

  static ModelManifest withHeads(ModelManifest m, List<Head> heads) {
    return new ModelManifest(m.formatVersion(), m.name(), m.version(), m.license(), m.description(), m.sampleRate(),
        m.features(), m.input(), heads, m.negativeHead(), m.segments(), m.provenance());
  }

  static void build(ModelPackage pkg) {
    try (EmotionRecognizer r = EmotionRecognizer.builder().model(pkg).threads(1).build()) {
      r.score(List.of(Calls.call().slice(16000, 48000)));
    }
  }

  static {
    add("model.graph-corrupt", () -> build(ModelPackage.ofBytes(fixture().manifest(),
        "this is not an ONNX graph, only text".getBytes(java.nio.charset.StandardCharsets.UTF_8), "corrupt", null)));
    add("model.output-missing", () -> {
      ModelPackage f = fixture();
      List<Head> heads = new ArrayList<>(f.manifest().heads());
      Head h = heads.get(0);
      heads.set(0, new Head(h.name(), h.task(), "negative_out", h.activation(), h.labels(), h.thresholds(), h.ranges()));
      build(ModelPackage.ofFile(withHeads(f.manifest(), heads), f.modelFile().orElseThrow(), "renamed-output", null));
    });
    add("model.label-count", () -> {
      ModelPackage f = fixture();
      List<Head> heads = new ArrayList<>(f.manifest().heads());
      Head h = heads.get(1);
      heads.set(1, new Head(h.name(), h.task(), h.output(), h.activation(), h.labels().subList(0, 6),
          h.thresholds().subList(0, 6), h.ranges()));
      build(ModelPackage.ofFile(withHeads(f.manifest(), heads), f.modelFile().orElseThrow(), "six-labels", null));
    });
    add("model.nan-output", () -> build(ModelPackage.ofBytes(fixture().manifest(), NanModel.bytes(), "nan-model",
        null)));
    add("model.unknown-backend", () -> EmotionRecognizer.builder().model(fixture()).backend("tensorflow").build()
        .close());
    add("model.unknown-vad", () -> EmotionRecognizer.builder().model(fixture())
        .segmentation(Segmentation.turns("webrtc")).build().close());
    add("analysis.empty-audio", () -> recognizer.analyze(AudioInput.of(Audio.empty(16000))));
    add("analysis.empty-wav", () -> {
      Path empty = dir.resolve("empty.wav");
      Files.write(empty, Calls.wav(Audio.empty(8000)));
      recognizer.analyze(AudioInput.file(empty));
    });
    add("score.clip-under-floor", () -> recognizer.score(List.of(Calls.call().slice(0, 320))));
    add("analysis.missing-channel", () -> {
      Path mono = dir.resolve("mono.wav");
      Files.write(mono, Calls.wav(Calls.call().slice(0, 16000)));
      recognizer.analyze(AudioInput.file(mono).channel(1));
    });
    add("analysis.too-long", () -> {
      try (EmotionRecognizer r = EmotionRecognizer.builder().model(fixture()).threads(1).maxAudioSeconds(10).build()) {
        r.analyze(AudioInput.of(Calls.call()));
      }
    });
    add("stream.bad-rate", () -> recognizer.openStream(0, s -> { }));
    add("stream.nan-chunk", () -> {
      try (EmotionStream s = recognizer.openStream(16000, x -> { })) {
        float[] chunk = Calls.call().slice(0, 1600).toArray();
        chunk[5] = Float.NaN;
        s.accept(chunk);
      }
    });
    add("stream.fed-after-finish", () -> {
      EmotionStream s = recognizer.openStream(16000, x -> { });
      s.accept(Calls.call().slice(0, 64000).toArray());
      s.finish();
      s.accept(new float[160]);
    });
    add("stream.finish-twice", () -> {
      EmotionStream s = recognizer.openStream(8000, x -> { });
      s.accept(new float[8000]);
      s.finish();
      s.finish();
    });
    add("stream.fed-after-close", () -> {
      EmotionStream s = recognizer.openStream(16000, x -> { });
      s.close();
      s.close(); // idempotent
      s.accept(new float[160]);
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
    java.util.Set<String> documented = rows().map(BadInputTable::id).collect(Collectors.toCollection(TreeSet::new));
    assertThat(documented).isEqualTo(CASES.keySet());
  }
}
