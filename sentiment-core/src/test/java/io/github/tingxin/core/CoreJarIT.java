package io.github.tingxin.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.Set;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The built jar is the automatic module {@code io.github.tingxin.core} on the module path (its
 * Automatic-Module-Name), holds its service files, and ships no test fixture.
 */
class CoreJarIT {
  @Test
  void theJarIsTheModuleIoGithubTingxinCore() throws IOException {
    String property = System.getProperty("tingxin.core.jar");
    assertThat(property).as("system property tingxin.core.jar (set by the pom)").isNotNull();
    Path jar = Path.of(property);
    assertThat(jar).isRegularFile();

    Set<ModuleReference> modules = ModuleFinder.of(jar).findAll();
    assertThat(modules).hasSize(1);
    ModuleDescriptor module = modules.iterator().next().descriptor();
    assertThat(module.name()).isEqualTo("io.github.tingxin.core");
    assertThat(module.isAutomatic()).isTrue();
    assertThat(module.packages()).contains("io.github.tingxin.core.audio", "io.github.tingxin.core.features",
        "io.github.tingxin.core.model");
    // an automatic module provides what its service files name
    assertThat(module.provides()).extracting(ModuleDescriptor.Provides::service).containsExactlyInAnyOrder(
        "io.github.tingxin.spi.FeatureExtractorProvider", "io.github.tingxin.spi.ModelPackageReader",
        "io.github.tingxin.spi.RecognizerFactory", "io.github.tingxin.spi.VoiceActivityDetectorProvider");

    try (JarFile file = new JarFile(jar.toFile())) {
      assertThat(file.getEntry("io/github/tingxin/core/audio/WavReader.class")).isNotNull();
      assertThat(file.getEntry("io/github/tingxin/core/audio/WavWriter.class")).as("a test fixture").isNull();
      assertThat(file.getEntry("io/github/tingxin/core/features/OnlineFeature.class")).as("a test fixture")
          .isNull();
    }
  }
}
