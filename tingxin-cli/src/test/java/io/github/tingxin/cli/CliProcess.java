package io.github.tingxin.cli;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code io.github.tingxin.cli.Main} in a child JVM with the test class path, as users run the
 * jar: its own process, exit code, standard streams.
 */
final class CliProcess {
  /** What a run gave. */
  record Result(int exitCode, String stdout, String stderr, byte[] stdoutBytes) {
    List<String> stderrLines() {
      return stderr.lines().filter(l -> !l.isBlank()).toList();
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  /** System property with the JVM options Spark needs, set by the build. */
  static final String SPARK_JVM_OPTIONS = "tingxin.spark.jvm.options";

  private CliProcess() {}

  static Result run(String... args) throws Exception {
    return run(null, null, args);
  }

  static Result run(byte[] stdin, Path workDir, String... args) throws Exception {
    Process p = start(workDir, args);
    CompletableFuture<byte[]> out = drain(p.getInputStream());
    CompletableFuture<byte[]> err = drain(p.getErrorStream());
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin);
      }
    } catch (IOException e) {
      // The CLI may exit before reading all of standard input (e.g. on a bad option): not this test's concern.
    }
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("tingxin did not finish in 120 s: " + String.join(" ", args));
    }
    byte[] o = out.get(10, TimeUnit.SECONDS);
    return new Result(p.exitValue(), new String(o, StandardCharsets.UTF_8),
        new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8), o);
  }

  /** Starts the CLI in a child JVM with the test class path; the caller feeds and drains it. */
  static Process start(Path workDir, String... args) throws IOException {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:TieredStopAtLevel=1");
    // tingxin.jar's manifest opens what `batch` (Spark) needs; a -cp launch has to say so itself, with the
    // list the build keeps (spark.jvm.options in the parent pom).
    for (String option : System.getProperty(SPARK_JVM_OPTIONS, "").split(" ")) {
      if (!option.isBlank()) {
        cmd.add(option);
      }
    }
    cmd.add("-cp");
    cmd.add(cp.replace(File.pathSeparator + File.pathSeparator, File.pathSeparator));
    cmd.add("io.github.tingxin.cli.Main");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    if (workDir != null) {
      pb.directory(workDir.toFile());
    }
    return pb.start();
  }

  /**
   * Runs {@link Main#run} in this JVM: the same code path without the process start, for the many
   * error cases (exit codes and messages do not depend on the process).
   */
  static Result inProcess(byte[] stdin, String... args) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code = Main.run(args, new java.io.ByteArrayInputStream(stdin == null ? new byte[0] : stdin),
        new java.io.PrintStream(out, true, StandardCharsets.UTF_8), new java.io.PrintStream(err, true,
            StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
        out.toByteArray());
  }

  static CompletableFuture<byte[]> drain(InputStream s) {
    return CompletableFuture.supplyAsync(() -> {
      try (s; ByteArrayOutputStream b = new ByteArrayOutputStream()) {
        s.transferTo(b);
        return b.toByteArray();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }
}
