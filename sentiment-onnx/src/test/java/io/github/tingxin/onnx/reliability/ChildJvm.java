package io.github.tingxin.onnx.reliability;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a child JVM with this test run's class path: for measurements that need a JVM of
 * their own (a fully resident heap, a fresh logging set-up, a private temporary directory, no network).
 */
final class ChildJvm {
  /** What the child gave. */
  record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  private ChildJvm() {}

  static String classPath() {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return cp.replace(File.pathSeparator + File.pathSeparator, File.pathSeparator);
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * Runs {@code prefix java jvmArgs -cp <test class path> mainClass args}, waiting at most
   * {@code timeoutSeconds}.
   */
  static Result run(List<String> prefix, List<String> jvmArgs, Class<?> mainClass, List<String> args,
      Map<String, String> env, long timeoutSeconds) {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(java());
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(classPath());
    cmd.add(mainClass.getName());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      CompletableFuture<byte[]> out = drain(p.getInputStream());
      CompletableFuture<byte[]> err = drain(p.getErrorStream());
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(mainClass.getSimpleName() + " did not finish in " + timeoutSeconds + " s");
      }
      return new Result(p.exitValue(), new String(out.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8),
          new String(err.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static CompletableFuture<byte[]> drain(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      try (in) {
        in.transferTo(buf);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return buf.toByteArray();
    });
  }
}
