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
    return start("-Xmx1g", workDir, args);
  }

  /** {@link #start(Path, String...)} with the child's heap limit, e.g. {@code -Xmx256m}. */
  static Process start(String maxHeap, Path workDir, String... args) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command(List.of(maxHeap), args));
    if (workDir != null) {
      pb.directory(workDir.toFile());
    }
    return pb.start();
  }

  /** The command that runs the CLI in a child JVM with the test class path and {@code jvmOptions}. */
  static List<String> command(List<String> jvmOptions, String... args) {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
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
    return cmd;
  }

  /**
   * Runs {@link Main#run} in this JVM: the same code path without the process start, for the many
   * error cases (exit codes and messages do not depend on the process).
   */
  static Result inProcess(byte[] stdin, String... args) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    Result r = inProcess(stdin, out, args);
    return new Result(r.exitCode(), out.toString(StandardCharsets.UTF_8), r.stderr(), out.toByteArray());
  }

  /** As {@link #inProcess(byte[], String...)}, with results written to {@code out}. */
  static Result inProcess(byte[] stdin, OutputStream out, String... args) {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code = Main.run(args, new java.io.ByteArrayInputStream(stdin == null ? new byte[0] : stdin), out,
        new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, "", err.toString(StandardCharsets.UTF_8), new byte[0]);
  }

  /** The Chinese file name {@link #underCLocale} gives its command: 来电.wav ("incoming call"). */
  static final String CHINESE_NAME = "来电.wav";

  /**
   * Runs {@code command} with {@link #CHINESE_NAME} appended, in {@code dir}, under {@code LANG=C} and no other
   * locale setting, as cron or systemd would. The command goes through {@code sh} with the name written as
   * octal escapes: the test's own JVM may run under a locale that cannot name the file either.
   */
  static Result underCLocale(Path dir, java.util.Map<String, String> env, List<String> command) throws Exception {
    StringBuilder script = new StringBuilder("f=$(printf '\\346\\235\\245\\347\\224\\265.wav'); exec");
    for (String part : command) {
      script.append(" '").append(part.replace("'", "'\\''")).append("'");
    }
    script.append(" \"$f\"");
    ProcessBuilder pb = new ProcessBuilder("sh", "-c", script.toString()).directory(dir.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG") || k.equals("LANGUAGE"));
    pb.environment().put("LANG", "C");
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    CompletableFuture<byte[]> out = drain(p.getInputStream());
    CompletableFuture<byte[]> err = drain(p.getErrorStream());
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("did not finish in 120 s: " + script);
    }
    byte[] o = out.get(10, TimeUnit.SECONDS);
    return new Result(p.exitValue(), new String(o, StandardCharsets.UTF_8),
        new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8), o);
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
