package io.github.tingxin.core.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.Label;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ModelManifest.Activation;
import io.github.tingxin.api.ModelManifest.Calibration;
import io.github.tingxin.api.ModelManifest.FeatureRecipe;
import io.github.tingxin.api.ModelManifest.Head;
import io.github.tingxin.api.ModelManifest.InputSpec;
import io.github.tingxin.api.ModelManifest.Layout;
import io.github.tingxin.api.ModelManifest.Provenance;
import io.github.tingxin.api.ModelManifest.SegmentLimits;
import io.github.tingxin.api.Task;
import io.github.tingxin.api.TingxinException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and writes {@code tingxin-model.json} (format version {@value ModelManifest#FORMAT_VERSION}, see
 * {@code docs/model-package.md}).
 *
 * <p>Reading is strict: every object's fields are checked against the format, unknown or duplicate fields
 * are refused (a typo must not be silently ignored), types are not coerced (a sample rate written as text is
 * an error), and enums are written in lower case with hyphens ({@code pairwise-softmax}). The one open
 * object is {@code features.options}, whose names belong to the feature extractor, which refuses unknown
 * ones itself. Absent optional fields and {@code null} mean the same. Every failure is a
 * {@link TingxinException} with {@link ErrorCode#MANIFEST_INVALID} whose message names the file and the
 * field (e.g. {@code /models/x/tingxin-model.json: heads[emotion].labels[2].chinese: missing}).
 *
 * <p>{@link #write} gives the canonical form, which {@link #read} turns back into an equal manifest.
 *
 * <p>Stateless and thread-safe.
 */
public final class ManifestJson {
  /** A manifest is nested 5 levels deep; anything far deeper is not one (and must not exhaust the stack). */
  static final int MAX_DEPTH = 64;
  /** The longest number read: far more digits than a double holds. */
  static final int MAX_NUMBER_LENGTH = 100;

  private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
              .maxNumberLength(MAX_NUMBER_LENGTH).build())
          .build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      // "{...} garbage" is a damaged file, not a manifest followed by a comment.
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ManifestJson() {}

  /**
   * Parses and validates a manifest.
   *
   * @param json the file's bytes (UTF-8)
   * @param file where the bytes came from, named in error messages
   * @return the validated manifest
   * @throws TingxinException {@link ErrorCode#MANIFEST_INVALID} naming {@code file} and the field
   */
  public static ModelManifest read(byte[] json, String file) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (StreamConstraintsException e) {
      throw new TingxinException(ErrorCode.MANIFEST_INVALID, file + ": " + beyondLimit(e) + at(e.getLocation())
          + "; this is not a Tingxin manifest.", e);
    } catch (JsonProcessingException e) {
      throw new TingxinException(ErrorCode.MANIFEST_INVALID, file + ": not valid JSON" + at(e.getLocation()) + " ("
          + e.getOriginalMessage() + ").", e);
    } catch (IOException e) {
      throw new TingxinException(ErrorCode.MANIFEST_INVALID, file + ": cannot be read (" + e.getMessage() + ").", e);
    }
    if (root == null || root.isMissingNode()) {
      throw new TingxinException(ErrorCode.MANIFEST_INVALID, file + ": is empty; it must hold a JSON object.");
    }
    return new Reader(file).manifest(root);
  }

  /** Which of the reader's limits a manifest passed, in words (Jackson's own message names Java API). */
  private static String beyondLimit(StreamConstraintsException e) {
    String m = String.valueOf(e.getOriginalMessage()).toLowerCase(Locale.ROOT);
    if (m.contains("nesting depth")) {
      return "it is nested deeper than " + MAX_DEPTH + " levels (a manifest needs 5)";
    }
    if (m.contains("number value length") || m.contains("number length")) {
      return "it holds a number longer than " + MAX_NUMBER_LENGTH + " characters";
    }
    return "it is beyond a limit of the JSON reader (" + e.getOriginalMessage() + ")";
  }

  /** " at line L, column C" where Jackson knows it, else nothing. */
  private static String at(JsonLocation location) {
    return location == null || location.getLineNr() < 0 ? ""
        : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  /** Long text (a 900,000-digit number) shortened for a message. */
  static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 20) + "..." + " (" + text.length() + " characters)";
  }

  /**
   * Writes a manifest in the canonical form (UTF-8, indented, enums in the format's spelling, empty
   * optional fields left out).
   *
   * @param manifest the manifest
   * @return the JSON text
   */
  public static String write(ModelManifest manifest) {
    ObjectNode root = NODES.objectNode();
    root.put("formatVersion", manifest.formatVersion());
    root.put("name", manifest.name());
    root.put("version", manifest.version());
    root.put("license", manifest.license());
    if (!manifest.description().isEmpty()) {
      root.put("description", manifest.description());
    }
    root.put("sampleRate", manifest.sampleRate());
    ObjectNode features = root.putObject("features");
    features.put("type", manifest.features().type());
    ObjectNode options = features.putObject("options");
    manifest.features().options().forEach((k, v) -> options.set(k, MAPPER.valueToTree(v)));
    ObjectNode input = root.putObject("input");
    input.put("name", manifest.input().name());
    input.put("layout", jsonName(manifest.input().layout()));
    manifest.input().lengths().ifPresent(l -> input.put("lengths", l));
    input.put("fixedFrames", manifest.input().fixedFrames());
    ArrayNode heads = root.putArray("heads");
    for (Head h : manifest.heads()) {
      ObjectNode head = heads.addObject();
      head.put("name", h.name());
      head.put("task", h.task().jsonName());
      head.put("output", h.output());
      head.put("activation", jsonName(h.activation()));
      ArrayNode labels = head.putArray("labels");
      for (Label l : h.labels()) {
        labels.addObject().put("id", l.id()).put("english", l.english()).put("chinese", l.chinese())
            .put("negative", l.negative());
      }
      ArrayNode thresholds = head.putArray("thresholds");
      h.thresholds().forEach(thresholds::add);
      if (!h.ranges().isEmpty()) {
        ArrayNode ranges = head.putArray("ranges");
        for (List<Double> r : h.ranges()) {
          ranges.addArray().add(r.get(0)).add(r.get(1));
        }
      }
      h.calibration().ifPresent(c -> head.putObject("calibration").put("temperature", c.temperature())
          .put("offset", c.offset()));
    }
    manifest.negativeHead().ifPresent(n -> root.put("negativeHead", n));
    root.putObject("segments").put("minSeconds", manifest.segments().minSeconds())
        .put("maxSeconds", manifest.segments().maxSeconds())
        .put("shortInput", jsonName(manifest.segments().shortInput()));
    ObjectNode prov = root.putObject("provenance");
    prov.put("trainedOn", manifest.provenance().trainedOn());
    if (!manifest.provenance().metrics().isEmpty()) {
      prov.put("metrics", manifest.provenance().metrics());
    }
    if (!manifest.provenance().command().isEmpty()) {
      prov.put("command", manifest.provenance().command());
    }
    if (!manifest.provenance().modelCard().isEmpty()) {
      prov.put("modelCard", manifest.provenance().modelCard());
    }
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a manifest tree", e);
    }
  }

  /**
   * The manifest error for a feature recipe that its extractor refused: {@link ErrorCode#MANIFEST_INVALID}
   * naming {@code file} and the option ({@code features.options.NAME: ...}), so a bad package is a model
   * error, not a usage error. Other codes are returned unchanged.
   *
   * @param file the manifest the recipe came from, for the message
   * @param recipe the recipe
   * @param refused what the extractor threw ({@link ErrorCode#INVALID_OPTION} or
   *     {@link ErrorCode#UNSUPPORTED_OPTION} naming the option first)
   */
  public static TingxinException featuresRefused(String file, FeatureRecipe recipe, TingxinException refused) {
    if (refused.code() != ErrorCode.INVALID_OPTION && refused.code() != ErrorCode.UNSUPPORTED_OPTION) {
      return refused;
    }
    String message = refused.getMessage();
    int colon = message.indexOf(':');
    String field = colon > 0 && recipe.options().containsKey(message.substring(0, colon))
        ? "features.options." : message.startsWith("features.") ? "" : "features: ";
    return new TingxinException(ErrorCode.MANIFEST_INVALID, file + ": " + field + message, refused);
  }

  /** {@link #write} as UTF-8 bytes. */
  public static byte[] writeBytes(ModelManifest manifest) {
    return write(manifest).getBytes(StandardCharsets.UTF_8);
  }

  /** The format's spelling of an enum constant: lower case with hyphens. */
  static String jsonName(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** One read of one file: carries the file name into every message. */
  private static final class Reader {
    private final String file;

    Reader(String file) {
      this.file = file;
    }

    ModelManifest manifest(JsonNode root) {
      Obj o = object(root, "", "formatVersion", "name", "version", "license", "description", "sampleRate",
          "features", "input", "heads", "negativeHead", "segments", "provenance");
      int formatVersion = o.integer("formatVersion", true, 0);
      if (formatVersion != ModelManifest.FORMAT_VERSION) {
        throw fail("formatVersion", formatVersion + " is not supported; this release reads format "
            + ModelManifest.FORMAT_VERSION + " (upgrade Tingxin or re-export the package)");
      }
      String name = o.text("name", true);
      String version = o.text("version", true);
      String license = o.text("license", true);
      String description = o.text("description", false);
      int sampleRate = o.integer("sampleRate", true, 0);
      FeatureRecipe features = features(o.object("features", true, "type", "options"));
      InputSpec input = input(o.object("input", true, "name", "layout", "lengths", "fixedFrames"));
      List<Head> heads = new ArrayList<>();
      JsonNode headsNode = o.array("heads", true);
      for (int i = 0; i < headsNode.size(); i++) {
        heads.add(head(headsNode.get(i), "heads[" + i + "]"));
      }
      Optional<String> negativeHead = Optional.ofNullable(o.text("negativeHead", false));
      Obj seg = o.object("segments", true, "minSeconds", "maxSeconds", "shortInput");
      String shortInput = seg.text("shortInput", false);
      ModelManifest.ShortInput rule = shortInput == null ? ModelManifest.ShortInput.PAD
          : enumValue(ModelManifest.ShortInput.class, shortInput, "segments.shortInput");
      Obj prov = o.object("provenance", true, "trainedOn", "metrics", "command", "modelCard");
      String modelCard = prov.text("modelCard", false);
      if (modelCard != null && (modelCard.contains("/") || modelCard.contains("\\") || modelCard.startsWith("."))) {
        throw fail("provenance.modelCard", "'" + modelCard + "' must be a plain file name inside the package");
      }
      try {
        SegmentLimits segments = new SegmentLimits(seg.number("minSeconds", true), seg.number("maxSeconds", true),
            rule);
        Provenance provenance = new Provenance(prov.text("trainedOn", true), prov.text("metrics", false),
            prov.text("command", false), modelCard);
        return new ModelManifest(formatVersion, name, version, license, description, sampleRate, features, input,
            heads, negativeHead, segments, provenance);
      } catch (IllegalArgumentException e) {
        throw invalid(e);
      }
    }

    private FeatureRecipe features(Obj o) {
      String type = o.text("type", true);
      Map<String, Object> options = new LinkedHashMap<>();
      JsonNode opts = o.node.get("options");
      if (opts != null && !opts.isNull()) {
        if (!opts.isObject()) {
          throw fail("features.options", "must be an object of option names to values");
        }
        Iterator<Map.Entry<String, JsonNode>> it = opts.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          String field = "features.options." + e.getKey();
          JsonNode v = e.getValue();
          if (v.isArray()) {
            List<Object> list = new ArrayList<>(v.size());
            for (int i = 0; i < v.size(); i++) {
              list.add(scalar(v.get(i), field + "[" + i + "]"));
            }
            options.put(e.getKey(), List.copyOf(list));
          } else {
            options.put(e.getKey(), scalar(v, field));
          }
        }
      }
      try {
        return new FeatureRecipe(type, options);
      } catch (IllegalArgumentException e) {
        throw invalid(e);
      }
    }

    private Object scalar(JsonNode v, String field) {
      if (v.isTextual()) {
        return v.textValue();
      }
      if (v.isBoolean()) {
        return v.booleanValue();
      }
      if (v.isIntegralNumber()) {
        if (v.canConvertToInt()) {
          return v.intValue();
        }
        if (v.canConvertToLong()) {
          return v.longValue();
        }
        throw fail(field, "integer " + abbreviate(v.asText()) + " is too large");
      }
      if (v.isNumber()) {
        double d = v.doubleValue();
        if (!Double.isFinite(d)) {
          throw fail(field, "must be a finite number");
        }
        return d;
      }
      throw fail(field, "must be a string, boolean, number or list of them, not " + kind(v));
    }

    private InputSpec input(Obj o) {
      String name = o.text("name", true);
      Layout layout = enumValue(Layout.class, o.text("layout", true), "input.layout");
      Optional<String> lengths = Optional.ofNullable(o.text("lengths", false));
      int fixedFrames = o.integer("fixedFrames", false, 0);
      try {
        return new InputSpec(name, layout, lengths, fixedFrames);
      } catch (IllegalArgumentException e) {
        throw invalid(e);
      }
    }

    private Head head(JsonNode node, String path) {
      Obj o = object(node, path + ".", "name", "task", "output", "activation", "labels", "thresholds", "ranges",
          "calibration");
      String name = o.text("name", true);
      String p = "heads[" + name + "]";
      o = new Obj(node, p + ".");
      String taskName = o.text("task", true);
      Task task = null;
      for (Task t : Task.values()) {
        if (t.jsonName().equals(taskName)) {
          task = t;
        }
      }
      if (task == null) {
        throw fail(p + ".task", "'" + taskName + "' is not one of binary, multi-label, multi-class, dimensional");
      }
      String output = o.text("output", true);
      Activation activation = enumValue(Activation.class, o.text("activation", true), p + ".activation");
      List<Label> labels = new ArrayList<>();
      JsonNode labelsNode = o.array("labels", true);
      for (int i = 0; i < labelsNode.size(); i++) {
        Obj l = object(labelsNode.get(i), p + ".labels[" + i + "].", "id", "english", "chinese", "negative");
        labels.add(new Label(l.text("id", true), l.text("english", true), l.text("chinese", true),
            l.bool("negative", true)));
      }
      List<Double> thresholds = new ArrayList<>();
      JsonNode th = o.array("thresholds", false);
      if (th != null) {
        for (int i = 0; i < th.size(); i++) {
          thresholds.add(number(th.get(i), p + ".thresholds[" + i + "]"));
        }
      }
      List<List<Double>> ranges = new ArrayList<>();
      JsonNode rn = o.array("ranges", false);
      if (rn != null) {
        for (int i = 0; i < rn.size(); i++) {
          JsonNode r = rn.get(i);
          String f = p + ".ranges[" + i + "]";
          if (!r.isArray() || r.size() != 2) {
            throw fail(f, "must be a list [min, max]");
          }
          ranges.add(List.of(number(r.get(0), f + "[0]"), number(r.get(1), f + "[1]")));
        }
      }
      Optional<Calibration> calibration = Optional.empty();
      JsonNode calibrationNode = node.get("calibration");
      if (calibrationNode != null && !calibrationNode.isNull()) {
        Obj c = o.object("calibration", true, "temperature", "offset");
        try {
          calibration = Optional.of(new Calibration(c.number("temperature", true), c.number("offset", true)));
        } catch (IllegalArgumentException e) {
          throw new TingxinException(ErrorCode.MANIFEST_INVALID, file + ": " + p + "." + e.getMessage() + ".", e);
        }
      }
      try {
        return new Head(name, task, output, activation, labels, thresholds, ranges, calibration);
      } catch (IllegalArgumentException e) {
        throw invalid(e);
      }
    }

    private <E extends Enum<E>> E enumValue(Class<E> type, String value, String field) {
      List<String> names = new ArrayList<>();
      for (E e : type.getEnumConstants()) {
        if (jsonName(e).equals(value)) {
          return e;
        }
        names.add(jsonName(e));
      }
      throw fail(field, "'" + value + "' is not one of " + String.join(", ", names));
    }

    private double number(JsonNode v, String field) {
      if (v == null || !v.isNumber()) {
        throw fail(field, "must be a number, not " + kind(v));
      }
      double d = v.doubleValue();
      if (!Double.isFinite(d)) {
        throw fail(field, "must be a finite number");
      }
      return d;
    }

    private Obj object(JsonNode node, String prefix, String... allowed) {
      String where = prefix.isEmpty() ? "(top level)" : prefix.substring(0, prefix.length() - 1);
      if (node == null || !node.isObject()) {
        throw fail(where, "must be a JSON object, not " + kind(node));
      }
      Set<String> ok = Set.of(allowed);
      Iterator<String> names = node.fieldNames();
      while (names.hasNext()) {
        String n = names.next();
        if (!ok.contains(n)) {
          throw fail(prefix + n, "unknown field (allowed here: " + String.join(", ", allowed) + ")");
        }
      }
      return new Obj(node, prefix);
    }

    private TingxinException fail(String field, String message) {
      return new TingxinException(ErrorCode.MANIFEST_INVALID, file + ": " + field + ": " + message + ".");
    }

    private TingxinException invalid(IllegalArgumentException e) {
      return new TingxinException(ErrorCode.MANIFEST_INVALID, file + ": " + e.getMessage() + ".", e);
    }

    private static String kind(JsonNode n) {
      if (n == null || n.isNull() || n.isMissingNode()) {
        return "null";
      }
      return n.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    /** An object node with its path, whose fields were checked against the allowed names. */
    private final class Obj {
      final JsonNode node;
      final String prefix;

      Obj(JsonNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
      }

      private JsonNode get(String key, boolean required) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
          if (required) {
            throw fail(prefix + key, "missing");
          }
          return null;
        }
        return v;
      }

      String text(String key, boolean required) {
        JsonNode v = get(key, required);
        if (v == null) {
          return null;
        }
        if (!v.isTextual()) {
          throw fail(prefix + key, "must be a string, not " + kind(v));
        }
        if (required && v.textValue().isBlank()) {
          throw fail(prefix + key, "must not be blank");
        }
        return v.textValue();
      }

      int integer(String key, boolean required, int absent) {
        JsonNode v = get(key, required);
        if (v == null) {
          return absent;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
          throw fail(prefix + key, "must be an integer, not " + (v.isNumber() ? abbreviate(v.asText()) : kind(v)));
        }
        return v.intValue();
      }

      double number(String key, boolean required) {
        JsonNode v = get(key, required);
        return v == null ? Double.NaN : Reader.this.number(v, prefix + key);
      }

      boolean bool(String key, boolean required) {
        JsonNode v = get(key, required);
        if (v == null) {
          return false;
        }
        if (!v.isBoolean()) {
          throw fail(prefix + key, "must be true or false, not " + kind(v));
        }
        return v.booleanValue();
      }

      Obj object(String key, boolean required, String... allowed) {
        JsonNode v = get(key, required);
        return Reader.this.object(v, prefix + key + ".", allowed);
      }

      JsonNode array(String key, boolean required) {
        JsonNode v = get(key, required);
        if (v != null && !v.isArray()) {
          throw fail(prefix + key, "must be a list, not " + kind(v));
        }
        return v;
      }
    }
  }
}
