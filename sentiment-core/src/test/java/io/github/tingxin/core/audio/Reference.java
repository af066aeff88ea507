package io.github.tingxin.core.audio;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * The reference vectors made by {@code tools/reference/audio/make_reference.py}, from the test class path
 * ({@code src/test/resources/reference/audio}). A missing vector fails the test that asks for it: it is
 * never skipped.
 */
final class Reference {
  static final String ROOT = "/reference/audio/";

  private Reference() {}

  static URL url(String name) {
    URL url = Reference.class.getResource(ROOT + name);
    if (url == null) {
      fail("reference vector " + ROOT + name + " is missing; run /usr/bin/python3 "
          + "tools/reference/audio/make_reference.py and commit its output");
    }
    return url;
  }

  static Path path(String name) {
    try {
      return Path.of(url(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] bytes(String name) {
    try (InputStream in = url(name).openStream()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static float[] f32(String name) {
    byte[] b = bytes(name);
    float[] out = new float[b.length / 4];
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }

  static JsonNode json(String name) {
    try {
      return new ObjectMapper().readTree(bytes(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
