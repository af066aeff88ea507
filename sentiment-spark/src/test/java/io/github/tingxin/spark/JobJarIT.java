package io.github.tingxin.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job jar as a cluster runs it: {@code org.apache.spark.deploy.SparkSubmit} (what {@code spark-submit}
 * starts) in its own JVM, with Spark's jars alone on the class path and everything of Tingxin coming from the
 * shaded jar. Runs after {@code package} (failsafe), since it needs the jar.
 */
class JobJarIT {
  @TempDir Path dir;

  @Test
  void sparkSubmitRunsTheJobJarWithOnlySparkOnTheClassPath() throws Exception {
    Path jar;
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      jar = files.filter(p -> p.getFileName().toString().endsWith("-job.jar")).findFirst().orElseThrow(
          () -> new AssertionError("no target/*-job.jar: the shade plugin should have built it in package"));
    }
    Path in = dir.resolve("calls");
    Archive.writeMono(in.resolve("a.wav"), Archive.call("14", 0, 3));
    Archive.writeMono(in.resolve("b.wav"), Archive.call("16", 3, 3));
    Archive.writeImaAdpcm(in.resolve("c.wav"));
    Path out = dir.resolve("out");

    List<String> sparkOnly = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String e = entry.replace('\\', '/');
      if (!e.contains("/sentiment-") && !e.contains("onnxruntime") && !e.contains("JTransforms")
          && !e.contains("JLargeArrays") && !e.contains("picocli") && !e.endsWith("/classes")
          && !e.endsWith("/test-classes")) {
        sparkOnly.add(entry);
      }
    }
    assertThat(String.join(" ", sparkOnly)).contains("spark-core_2.13").doesNotContain("sentiment-core");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    for (String opt : System.getProperty("tingxin.spark.jvm.options", "").split(" ")) {
      if (!opt.isBlank()) {
        cmd.add(opt);
      }
    }
    cmd.addAll(List.of("-cp", String.join(File.pathSeparator, sparkOnly), "org.apache.spark.deploy.SparkSubmit",
        "--master", "local[2]", "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1",
        "--conf", "spark.driver.bindAddress=127.0.0.1",
        "--class", "io.github.tingxin.spark.BatchCommand", jar.toAbsolutePath().toString(),
        in.toString(), "--out", out.toString(), "--callers"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Path log = dir.resolve("submit.log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    if (!p.waitFor(240, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("spark-submit did not finish in 240 s:\n" + tail(log));
    }
    String output = tail(log);
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).contains("3 inputs", "2 analysed", "1 failed");
    assertThat(out.resolve("calls/run=1")).isDirectory();
    assertThat(out.resolve("_runs/run-1.json")).exists();
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }
}
