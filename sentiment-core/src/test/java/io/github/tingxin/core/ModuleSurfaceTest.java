package io.github.tingxin.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tingxin.core.audio.WavReader;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * sentiment-core's public surface is README.md's "What sentiment-core exports": every package of the module
 * has a row there, exported or internal, its package javadoc says the same, and no product code of another
 * module uses an internal package. (The jar has no module-info to enforce this, see the README; CoreJarIT
 * checks the jar's module name.)
 */
class ModuleSurfaceTest {
  private static final String CORE = "io.github.tingxin.core.";
  /** Modules whose main code is product: it may use only what core exports (sentiment-bench may not be). */
  private static final List<String> PRODUCT_MODULES = List.of("sentiment-onnx", "sentiment-models",
      "sentiment-spark", "tingxin-cli", "examples");

  @Test
  void everyPackageIsDeclaredExportedOrInternalInTheReadmeAndItsJavadoc() throws IOException {
    Map<String, String> declared = readmeTable();
    assertThat(declared).containsValues("exported", "internal");
    assertThat(declared.keySet()).isEqualTo(packagesWithClasses());
    for (Map.Entry<String, String> row : declared.entrySet()) {
      Path packageInfo = repository().resolve("sentiment-core/src/main/java")
          .resolve(row.getKey().replace('.', '/')).resolve("package-info.java");
      String javadoc = Files.readString(packageInfo, StandardCharsets.UTF_8);
      String mark = row.getValue().equals("exported") ? "<b>Exported</b>" : "<b>Internal</b>";
      assertThat(javadoc).as(row.getKey()).contains(mark);
    }
  }

  @Test
  void productModulesUseOnlyExportedPackages() throws IOException {
    Set<String> exported = readmeTable().entrySet().stream().filter(e -> e.getValue().equals("exported"))
        .map(Map.Entry::getKey).collect(Collectors.toSet());
    Pattern reference = Pattern.compile("io\\.github\\.tingxin\\.core\\.([a-z]+)\\.[A-Z]");
    Set<String> reaches = new TreeSet<>();
    Set<String> used = new TreeSet<>();
    for (String module : PRODUCT_MODULES) {
      assertThat(repository().resolve(module).resolve("pom.xml")).as(module).isRegularFile();
      Path main = repository().resolve(module).resolve("src/main/java");
      if (!Files.isDirectory(main)) {
        continue; // a module of resources only (sentiment-models)
      }
      try (Stream<Path> sources = Files.walk(main)) {
        for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
          Matcher m = reference.matcher(Files.readString(source, StandardCharsets.UTF_8));
          while (m.find()) {
            used.add(CORE + m.group(1));
            if (!exported.contains(CORE + m.group(1))) {
              reaches.add(repository().relativize(source) + ": " + m.group());
            }
          }
        }
      }
    }
    // the scan sees the uses there are: the CLI's audio input and Spark's shipped manifest
    assertThat(used).contains(CORE + "audio", CORE + "model");
    assertThat(reaches).as("product code reaching into core's internal packages").isEmpty();
  }

  /** README's table: package name to "exported" or "internal". */
  private static Map<String, String> readmeTable() throws IOException {
    String readme = Files.readString(repository().resolve("README.md"), StandardCharsets.UTF_8);
    int from = readme.indexOf("### What sentiment-core exports");
    assertThat(from).as("README section 'What sentiment-core exports'").isNotNegative();
    int to = readme.indexOf("\n#", from + 4);
    Matcher m = Pattern.compile("^\\| `(io\\.github\\.tingxin\\.core\\.[a-z.]+)` \\| (exported|internal) \\|",
        Pattern.MULTILINE).matcher(readme.substring(from, to < 0 ? readme.length() : to));
    Map<String, String> table = new TreeMap<>();
    while (m.find()) {
      assertThat(table.put(m.group(1), m.group(2))).as("one row per package: " + m.group(1)).isNull();
    }
    return table;
  }

  /** The packages of sentiment-core's main classes that hold a class (not only a package-info). */
  private static Set<String> packagesWithClasses() throws IOException {
    Path classes;
    try {
      classes = Path.of(WavReader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    assertThat(classes).as("sentiment-core's classes folder").isDirectory();
    try (Stream<Path> files = Files.walk(classes)) {
      return files.filter(p -> p.toString().endsWith(".class") && !p.endsWith("package-info.class"))
          .map(p -> classes.relativize(p.getParent()).toString().replace('/', '.'))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static Path repository() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("sentiment-core/pom.xml"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("the Tingxin repository above " + Path.of("").toAbsolutePath()).isNotNull();
    return dir;
  }
}
