package io.github.tingxin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.jar.JarInputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distributable as the build leaves it: the zip holds an executable {@code bin/tingxin}, the jar, every
 * library the jar's manifest names under {@code lib/}, and Spark under {@code lib/spark/} only; and
 * {@code bin/tingxin} runs under the C locale on a file with a Chinese name.
 */
class DistributionIT {
  static final Path ZIP = Path.of(System.getProperty("tingxin.dist.zip", "target/none.zip"));

  @TempDir Path dir;

  @Test
  void theZipHoldsTheCommandItsJarAndEveryLibraryItNames() throws Exception {
    assertThat(ZIP).as("the distributable from package").exists();
    try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + ZIP.toUri()),
        Map.of("enablePosixFileAttributes", "true"))) {
      Path root = zip.getPath("/tingxin-" + version());
      Path script = root.resolve("bin/tingxin");
      assertThat(Files.readAllBytes(script)).isEqualTo(Files.readAllBytes(Path.of("bin/tingxin")));
      assertThat(Files.getPosixFilePermissions(script)).contains(PosixFilePermission.OWNER_EXECUTE,
          PosixFilePermission.OTHERS_EXECUTE);
      String classPath;
      try (InputStream in = Files.newInputStream(root.resolve("tingxin.jar"));
          JarInputStream jar = new JarInputStream(in)) {
        classPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
        assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo(Main.class.getName());
      }
      List<String> named = List.of(classPath.trim().split("\\s+"));
      assertThat(named).isNotEmpty().allMatch(n -> n.startsWith("lib/") && !n.startsWith("lib/spark/"));
      for (String n : named) {
        assertThat(root.resolve(n)).as(n).exists();
      }
      List<String> lib;
      try (Stream<Path> s = Files.list(root.resolve("lib"))) {
        lib = s.map(p -> p.getFileName().toString().replace("/", "")).toList();
      }
      assertThat(lib).as("lib/: the jars the manifest names, and spark/").hasSize(named.size() + 1).contains("spark")
          .noneMatch(n -> n.startsWith("spark-") || n.startsWith("scala-") || n.startsWith("hadoop-"));
      List<String> spark;
      try (Stream<Path> s = Files.list(root.resolve("lib/spark"))) {
        spark = s.map(p -> p.getFileName().toString()).toList();
      }
      assertThat(spark).anyMatch(n -> n.startsWith("spark-sql_2.13-")).anyMatch(n -> n.startsWith("sentiment-spark-"))
          .noneMatch(n -> n.startsWith("sentiment-core-") || n.startsWith("picocli-"))
          .noneMatch(lib::contains);
    }
  }

  @Test
  void binTingxinOpensAChineseFileNameUnderTheCLocale() throws Exception {
    Files.copy(Path.of("../examples/samples/sample-call.wav"), dir.resolve(CliProcess.CHINESE_NAME));
    CliProcess.Result r = CliProcess.underCLocale(dir,
        Map.of("TINGXIN_JAR", Path.of("target/tingxin.jar").toAbsolutePath().toString()),
        List.of(Path.of("bin/tingxin").toAbsolutePath().toString(), "analyze", "--csv", "-q"));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout().lines().skip(1).findFirst().orElse("")).startsWith(CliProcess.CHINESE_NAME + ",0,");
  }

  private static String version() {
    String name = ZIP.getFileName().toString();
    return name.substring("tingxin-cli-".length(), name.length() - "-dist.zip".length());
  }
}
