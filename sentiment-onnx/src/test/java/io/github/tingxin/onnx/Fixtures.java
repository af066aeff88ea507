package io.github.tingxin.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.spi.Features;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The model fixtures in {@code fixtures/models/} (repository root) and the PyTorch references beside them,
 * made by {@code tools/reference/models/make_fixtures.py}. A missing fixture or reference fails the test.
 */
final class Fixtures {
  /** Fixtures with a reference/ folder. */
  static final List<String> WITH_REFERENCE = List.of("wav2vec2-tiny", "hubert-tiny", "whisper-tiny", "fbank-cnn-tiny");

  private Fixtures() {}

  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      Path candidate = p.resolve("fixtures").resolve("models");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("fixtures/models not found above " + dir
        + "; run tools/reference/models/make_fixtures.py");
  }

  static Path dir(String name) {
    Path p = root().resolve(name);
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException("fixture " + p + " is missing; run tools/reference/models/make_fixtures.py");
    }
    return p;
  }

  static ModelPackage load(String name) {
    return ModelPackage.load(dir(name));
  }

  /** Copies a fixture package into {@code target} so that a test may damage it. */
  static Path copy(String name, Path target) {
    try (Stream<Path> files = Files.list(dir(name))) {
      Files.createDirectories(target);
      for (Path f : files.sorted(Comparator.naturalOrder()).toList()) {
        if (Files.isRegularFile(f)) {
          Files.copy(f, target.resolve(f.getFileName()));
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One fixture's reference: clips, PyTorch features and PyTorch raw outputs per head and clip. */
  record Reference(List<float[]> audio, List<Features> features, Map<String, float[][]> outputs, int sampleRate) {
    static Reference of(String name) {
      Path ref = dir(name).resolve("reference");
      try {
        JsonNode json = new ObjectMapper().readTree(ref.resolve("reference.json").toFile());
        List<float[]> audio = new ArrayList<>();
        List<Features> features = new ArrayList<>();
        for (JsonNode clip : json.get("clips")) {
          audio.add(readF32(ref.resolve(clip.get("audio").asText()), clip.get("samples").asInt()));
          int frames = clip.get("frames").asInt();
          int dim = clip.get("dim").asInt();
          features.add(new Features(readF32(ref.resolve(clip.get("features").asText()), frames * dim), frames, dim));
        }
        Map<String, float[][]> outputs = new LinkedHashMap<>();
        json.get("outputs").fields().forEachRemaining(e -> {
          float[][] rows = new float[e.getValue().size()][];
          for (int i = 0; i < rows.length; i++) {
            JsonNode row = e.getValue().get(i);
            rows[i] = new float[row.size()];
            for (int j = 0; j < row.size(); j++) {
              rows[i][j] = (float) row.get(j).asDouble();
            }
          }
          outputs.put(e.getKey(), rows);
        });
        if (audio.isEmpty() || outputs.isEmpty()) {
          throw new IllegalStateException("empty reference in " + ref);
        }
        return new Reference(audio, features, outputs, json.get("sampleRate").asInt());
      } catch (IOException e) {
        throw new UncheckedIOException("reference of " + name + " unreadable; run "
            + "tools/reference/models/make_fixtures.py", e);
      }
    }
  }

  static float[] readF32(Path file, int count) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length != count * 4) {
      throw new IllegalStateException(file + " holds " + bytes.length / 4 + " floats, expected " + count);
    }
    float[] out = new float[count];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  /** Largest absolute difference between two same-shaped outputs. */
  static double maxAbsDiff(float[][] a, float[][] b) {
    if (a.length != b.length) {
      throw new AssertionError("batch " + a.length + " vs " + b.length);
    }
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i].length != b[i].length) {
        throw new AssertionError("row " + i + ": " + a[i].length + " vs " + b[i].length);
      }
      for (int j = 0; j < a[i].length; j++) {
        worst = Math.max(worst, Math.abs((double) a[i][j] - b[i][j]));
      }
    }
    return worst;
  }
}
