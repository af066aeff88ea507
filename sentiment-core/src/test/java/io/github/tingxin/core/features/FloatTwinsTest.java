package io.github.tingxin.core.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The single-precision lane classes are exactly what {@link FloatTwins} makes from the double ones. */
class FloatTwinsTest {
  @Test
  void floatTwinsAreGeneratedFromTheDoubleClasses() {
    Path sources = FloatTwins.sources();
    for (Map.Entry<String, String> twin : FloatTwins.make(sources).entrySet()) {
      assertThat(FloatTwins.read(sources, twin.getKey()))
          .as("%s is out of date: run java sentiment-core/src/test/java/io/github/tingxin/core/features/"
              + "FloatTwins.java from the repository root", twin.getKey())
          .isEqualTo(twin.getValue());
    }
  }
}
