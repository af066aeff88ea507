package io.github.tingxin.core.features;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tingxin.api.ModelManifest.FeatureRecipe;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The committed reference vectors of {@code tools/reference/features/make_reference.py}. A missing file
 * fails the test that asks for it.
 */
final class Reference {
  static final String DIR = "/reference/features/";

  record Signal(String name, int rate, float[] samples) {}

  record Case(int id, String type, String signal, Map<String, Object> options, int frames, int dim,
      int storedFrames, float[] expected, Integer tailFrom, Float tailValue) {
    FeatureRecipe recipe() {
      return new FeatureRecipe(type, options);
    }

    @Override
    public String toString() {
      return "#" + id + " " + type + " " + signal + " " + options.keySet();
    }
  }

  final Map<String, Signal> signals = new HashMap<>();
  final List<Case> cases = new ArrayList<>();
  final JsonNode index;

  private static Reference instance;

  static synchronized Reference load() {
    if (instance == null) {
      instance = new Reference();
    }
    return instance;
  }

  private Reference() {
    try {
      index = new ObjectMapper().readTree(read("index.json"));
      float[] sig = floats(read("signals.f32"));
      float[] feat = floats(read("features.f32"));
      for (JsonNode s : index.get("signals")) {
        int off = s.get("offset").asInt();
        int len = s.get("length").asInt();
        float[] x = new float[len];
        System.arraycopy(sig, off, x, 0, len);
        signals.put(s.get("name").asText(), new Signal(s.get("name").asText(), s.get("rate").asInt(), x));
      }
      ObjectMapper mapper = new ObjectMapper();
      for (JsonNode c : index.get("cases")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> opts = mapper.convertValue(c.get("options"), Map.class);
        int dim = c.get("dim").asInt();
        int stored = c.get("stored_frames").asInt();
        float[] e = new float[stored * dim];
        System.arraycopy(feat, c.get("offset").asInt(), e, 0, e.length);
        JsonNode tail = c.get("tail");
        cases.add(new Case(c.get("id").asInt(), c.get("type").asText(), c.get("signal").asText(), opts,
            c.get("frames").asInt(), dim, stored, e, tail == null ? null : tail.get("from").asInt(),
            tail == null ? null : (float) tail.get("value").asDouble()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] read(String name) throws IOException {
    try (InputStream in = Reference.class.getResourceAsStream(DIR + name)) {
      assertThat(in).as("reference file %s%s is missing; run tools/reference/features/make_reference.py", DIR, name)
          .isNotNull();
      return in.readAllBytes();
    }
  }

  private static float[] floats(byte[] bytes) {
    float[] out = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }
}
