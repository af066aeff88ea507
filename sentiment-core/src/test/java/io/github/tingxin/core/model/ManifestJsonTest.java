package io.github.tingxin.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ModelManifest.Activation;
import io.github.tingxin.api.ModelManifest.Layout;
import io.github.tingxin.api.Task;
import io.github.tingxin.api.TingxinException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestJsonTest {
  static final String FILE = "/somewhere/pkg/tingxin-model.json";
  static final ObjectMapper JSON = new ObjectMapper();

  static byte[] sample() throws IOException {
    try (InputStream in = ManifestJsonTest.class.getResourceAsStream("pkg/tingxin-model.json")) {
      return in.readAllBytes();
    }
  }

  @Test
  void readsEveryField() throws IOException {
    ModelManifest m = ManifestJson.read(sample(), FILE);
    assertThat(m.name()).isEqualTo("test-cnn");
    assertThat(m.sampleRate()).isEqualTo(16000);
    assertThat(m.features().type()).isEqualTo("kaldi-fbank");
    assertThat(m.features().options()).containsEntry("num_mel_bins", 64).containsEntry("frame_length", 25.0)
        .containsEntry("snip_edges", true).containsEntry("cmvn", "global")
        .containsEntry("cmvn_means", List.of(0.5, -1.25)).containsEntry("cmvn_vars", List.of(1, 2));
    assertThat(m.input().layout()).isEqualTo(Layout.BATCH_TIME_FEATURE);
    assertThat(m.input().lengths()).contains("lengths");
    assertThat(m.heads()).hasSize(3);
    assertThat(m.heads().get(0).thresholds()).containsExactly(0.5, 0.4);
    assertThat(m.heads().get(1).task()).isEqualTo(Task.MULTI_CLASS);
    assertThat(m.heads().get(1).labels().get(0).chinese()).isEqualTo("愤怒");
    assertThat(m.heads().get(1).thresholds()).containsExactly(0.5, 0.5);
    assertThat(m.heads().get(2).activation()).isEqualTo(Activation.SIGMOID);
    assertThat(m.heads().get(2).ranges()).containsExactly(List.of(1.0, 5.0));
    assertThat(m.negativeHead()).contains("negative");
    assertThat(m.segments().maxSeconds()).isEqualTo(8.0);
    assertThat(m.segments().shortInput()).isEqualTo(ModelManifest.ShortInput.AS_IS);
    assertThat(m.provenance().modelCard()).isEqualTo("MODEL_CARD.md");
  }

  @Test
  void writeThenReadGivesAnEqualManifest() throws IOException {
    ModelManifest m = ManifestJson.read(sample(), FILE);
    String written = ManifestJson.write(m);
    ModelManifest again = ManifestJson.read(written.getBytes(StandardCharsets.UTF_8), "written");
    assertThat(again).isEqualTo(m);
    assertThat(ManifestJson.write(again)).isEqualTo(written);
    assertThat(written).contains("\"batch-time-feature\"", "\"multi-class\"", "\"愤怒\"");
  }

  @Test
  void optionalFieldsMayBeAbsentOrNull() throws IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(sample());
    root.remove("description");
    root.putNull("negativeHead");
    ((ObjectNode) root.get("input")).remove("lengths");
    ((ObjectNode) root.get("input")).remove("fixedFrames");
    ((ObjectNode) root.get("heads").get(0)).remove("thresholds");
    ModelManifest m = ManifestJson.read(JSON.writeValueAsBytes(root), FILE);
    assertThat(m.description()).isEmpty();
    assertThat(m.negativeHead()).isEmpty();
    assertThat(m.negativeHeadSpec().map(ModelManifest.Head::name)).contains("negative");
    assertThat(m.input().lengths()).isEmpty();
    assertThat(m.input().fixedFrames()).isZero();
    assertThat(m.heads().get(0).thresholds()).containsExactly(0.5, 0.5);
  }

  @Test
  void aBinaryHeadsCalibrationIsReadAndWrittenBack() throws IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(sample());
    head(root, 0).putObject("calibration").put("temperature", 1.75).put("offset", -0.375);
    ModelManifest m = ManifestJson.read(JSON.writeValueAsBytes(root), FILE);
    assertThat(m.heads().get(0).calibration()).contains(new ModelManifest.Calibration(1.75, -0.375));
    assertThat(m.heads().get(1).calibration()).isEmpty();
    assertThat(ManifestJson.read(ManifestJson.writeBytes(m), FILE)).isEqualTo(m);
    head(root, 0).putNull("calibration");
    assertThat(ManifestJson.read(JSON.writeValueAsBytes(root), FILE).heads().get(0).calibration()).isEmpty();
  }

  @Test
  void shortInputIsPadWhereTheManifestDoesNotSay() throws IOException {
    ObjectNode root = (ObjectNode) JSON.readTree(sample());
    obj(root, "segments").remove("shortInput");
    assertThat(ManifestJson.read(JSON.writeValueAsBytes(root), FILE).segments().shortInput())
        .isEqualTo(ModelManifest.ShortInput.PAD);
    obj(root, "segments").put("shortInput", "pad");
    ModelManifest padded = ManifestJson.read(JSON.writeValueAsBytes(root), FILE);
    assertThat(padded.segments().shortInput()).isEqualTo(ModelManifest.ShortInput.PAD);
    assertThat(ManifestJson.write(padded)).contains("\"shortInput\" : \"pad\"");
  }

  static Stream<Arguments> brokenManifests() {
    return Stream.of(
        Arguments.of("unknown top-level field", edit(r -> r.put("nmae", "x")), "nmae: unknown field"),
        Arguments.of("unknown nested field", edit(r -> obj(r, "input").put("lenghts", "x")), "input.lenghts: unknown"),
        Arguments.of("unknown label field", edit(r -> label(r, 1, 0).put("negatve", true)),
            "heads[emotion].labels[0].negatve: unknown"),
        Arguments.of("missing name", edit(r -> r.remove("name")), "name: missing"),
        Arguments.of("blank version", edit(r -> r.put("version", " ")), "version: must not be blank"),
        Arguments.of("sample rate as text", edit(r -> r.put("sampleRate", "16000")), "sampleRate: must be an integer"),
        Arguments.of("sample rate fractional", edit(r -> r.put("sampleRate", 16000.5)), "sampleRate: must be an integer"),
        Arguments.of("sample rate out of range", edit(r -> r.put("sampleRate", 100)), "sampleRate: 100 is outside"),
        Arguments.of("format version", edit(r -> r.put("formatVersion", 2)), "formatVersion: 2 is not supported"),
        Arguments.of("layout spelling", edit(r -> obj(r, "input").put("layout", "BATCH_TIME")),
            "input.layout: 'BATCH_TIME' is not one of batch-time, batch-time-feature, batch-feature-time"),
        Arguments.of("negative fixedFrames", edit(r -> obj(r, "input").put("fixedFrames", -1)), "input.fixedFrames"),
        Arguments.of("activation", edit(r -> head(r, 0).put("activation", "softmaxx")),
            "heads[negative].activation: 'softmaxx' is not one of"),
        Arguments.of("task", edit(r -> head(r, 0).put("task", "Binary")), "heads[negative].task: 'Binary'"),
        Arguments.of("label without chinese", edit(r -> label(r, 1, 1).remove("chinese")),
            "heads[emotion].labels[1].chinese: missing"),
        Arguments.of("label negative as text", edit(r -> label(r, 1, 1).put("negative", "no")),
            "heads[emotion].labels[1].negative: must be true or false"),
        Arguments.of("threshold count", edit(r -> ((ArrayNode) head(r, 0).get("thresholds")).add(0.3)),
            "heads[negative].thresholds: 3 thresholds for 2 labels"),
        Arguments.of("threshold type", edit(r -> ((ArrayNode) head(r, 0).get("thresholds")).set(0, "0.5")),
            "heads[negative].thresholds[0]: must be a number"),
        Arguments.of("dimensional without ranges", edit(r -> head(r, 2).remove("ranges")), "heads[arousal].ranges"),
        Arguments.of("binary with three labels", edit(r -> ((ArrayNode) head(r, 0).get("labels"))
            .add(label(r, 1, 0).deepCopy().put("id", "third"))), "heads[negative]"),
        Arguments.of("two heads share a name", edit(r -> head(r, 1).put("name", "negative")), "heads: name 'negative'"),
        Arguments.of("negative head unknown", edit(r -> r.put("negativeHead", "sad")), "negativeHead: no head is named"),
        Arguments.of("calibration on a multi-class head", edit(r -> head(r, 1).putObject("calibration")
            .put("temperature", 2.0).put("offset", 0.1)), "heads[emotion].calibration: only a binary head"),
        Arguments.of("calibration temperature zero", edit(r -> head(r, 0).putObject("calibration")
            .put("temperature", 0.0).put("offset", 0.1)), "heads[negative].calibration.temperature: 0.0 is outside"),
        Arguments.of("calibration offset huge", edit(r -> head(r, 0).putObject("calibration")
            .put("temperature", 1.0).put("offset", 1e9)), "heads[negative].calibration.offset: 1.0E9 is outside"),
        Arguments.of("calibration without offset", edit(r -> head(r, 0).putObject("calibration")
            .put("temperature", 1.0)), "heads[negative].calibration.offset: missing"),
        Arguments.of("calibration unknown field", edit(r -> head(r, 0).putObject("calibration")
            .put("temperature", 1.0).put("offset", 0.0).put("bias", 1)), "heads[negative].calibration.bias: unknown"),
        Arguments.of("short input rule", edit(r -> obj(r, "segments").put("shortInput", "zero-pad")),
            "segments.shortInput: 'zero-pad' is not one of pad, as-is"),
        Arguments.of("short input rule type", edit(r -> obj(r, "segments").put("shortInput", true)),
            "segments.shortInput: must be a string"),
        Arguments.of("minimum under the floor", edit(r -> obj(r, "segments").put("minSeconds", 0.01)),
            "segments: need 0.025 <= minSeconds"),
        Arguments.of("segments reversed", edit(r -> obj(r, "segments").put("minSeconds", 9.0)), "segments: need"),
        Arguments.of("provenance without trainedOn", edit(r -> obj(r, "provenance").remove("trainedOn")),
            "provenance.trainedOn: missing"),
        Arguments.of("model card path", edit(r -> obj(r, "provenance").put("modelCard", "../../etc/passwd")),
            "provenance.modelCard"),
        Arguments.of("option null", edit(r -> obj(obj(r, "features"), "options").putNull("dither")),
            "features.options.dither: must be"),
        Arguments.of("option object", edit(r -> obj(obj(r, "features"), "options").putObject("dither")),
            "features.options.dither: must be"),
        Arguments.of("option list of objects", edit(r -> obj(obj(r, "features"), "options").putArray("cmvn_means")
            .addObject()), "features.options.cmvn_means[0]: must be"),
        Arguments.of("features missing", edit(r -> r.remove("features")), "features: missing"),
        Arguments.of("heads not a list", edit(r -> r.put("heads", "x")), "heads: must be a list"),
        Arguments.of("no heads", edit(r -> r.putArray("heads")), "heads: at least one head"),
        Arguments.of("top level not an object", "[1, 2]".getBytes(StandardCharsets.UTF_8), "must be a JSON object"),
        Arguments.of("not json", "{\"name\": ".getBytes(StandardCharsets.UTF_8), "not valid JSON at line 1"),
        Arguments.of("duplicate field", "{\"name\": \"a\", \"name\": \"b\"}".getBytes(StandardCharsets.UTF_8),
            "Duplicate field 'name'"),
        Arguments.of("empty file", new byte[0], "is empty"),
        Arguments.of("text after the object", concat(edit(r -> { }), " garbage".getBytes(StandardCharsets.UTF_8)),
            "not valid JSON"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenManifests")
  void brokenManifestsNameTheFileAndField(String what, byte[] json, String expected) {
    assertThatThrownBy(() -> ManifestJson.read(json, FILE))
        .isInstanceOfSatisfying(TingxinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MANIFEST_INVALID))
        .hasMessageStartingWith(FILE + ": ")
        .hasMessageContaining(expected);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] edit(Consumer<ObjectNode> change) {
    try {
      ObjectNode root = (ObjectNode) JSON.readTree(sample());
      change.accept(root);
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode obj(JsonNode n, String field) {
    return (ObjectNode) n.get(field);
  }

  private static ObjectNode head(ObjectNode r, int i) {
    return (ObjectNode) r.get("heads").get(i);
  }

  private static ObjectNode label(ObjectNode r, int head, int i) {
    return (ObjectNode) head(r, head).get("labels").get(i);
  }
}
