package io.github.tingxin.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Makes file names independent of the locale. Java turns file names into bytes with the encoding of the
 * locale it started in ({@code sun.jnu.encoding}), fixed at start-up: under {@code LANG=C} (cron, systemd,
 * a bare container) that is ASCII, and a Chinese file name cannot even be named, let alone opened. Setting
 * {@code -Dsun.jnu.encoding} has no effect on Java 17. So where the locale is not UTF-8 and it matters (an
 * argument that is not ASCII, or {@code batch}, which lists folders), the command line runs itself once
 * more in a child JVM under {@code LC_ALL=C.UTF-8}, with the same JVM options, and passes it the
 * arguments' original bytes (read from {@code /proc/self/cmdline}: the JVM has already lost them) through an
 * environment variable, since under an ASCII locale Java cannot put them on the child's command line
 * either. {@code bin/tingxin} sets a UTF-8 locale itself, so it never needs this. Linux only (elsewhere the
 * JVM's file-name encoding is UTF-8 or the system's wide API). Stateless.
 */
final class Utf8Relaunch {
  /** Holds the base64 of the arguments' bytes, NUL-separated, for the child. */
  static final String ARGUMENTS_VARIABLE = "TINGXIN_UTF8_ARGUMENTS";
  private static final Path CMDLINE = Path.of("/proc/self/cmdline");

  private Utf8Relaunch() {}

  /** The arguments passed by a parent that relaunched this JVM, if it was one. */
  static Optional<String[]> arguments() {
    String encoded = System.getenv(ARGUMENTS_VARIABLE);
    if (encoded == null) {
      return Optional.empty();
    }
    String all = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    return Optional.of(all.isEmpty() ? new String[0] : all.split("\0", -1));
  }

  /** Whether this JVM cannot represent the file names it may meet, and a relaunch can help. */
  static boolean needed(String[] args) {
    if (isUtf8(System.getProperty("sun.jnu.encoding", "")) || !Files.isReadable(CMDLINE)) {
      return false;
    }
    if (args.length > 0 && args[0].equals("batch")) {
      return true;
    }
    for (byte[] arg : rawArguments(args.length)) {
      for (byte b : arg) {
        if (b < 0) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Runs the command line in a child JVM under a UTF-8 locale, sharing this process's standard streams,
   * and returns its exit code.
   */
  static int run(String[] args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    String classPath = System.getProperty("java.class.path", "");
    String launched = System.getProperty("sun.java.command", "");
    if (!classPath.isEmpty() && !classPath.contains(java.io.File.pathSeparator) && launched.startsWith(classPath)
        && classPath.endsWith(".jar")) {
      // java -jar: again with -jar, so that the manifest's Add-Opens (which batch's Spark needs) apply.
      cmd.addAll(List.of("-jar", classPath));
    } else {
      cmd.addAll(List.of("-cp", classPath, Main.class.getName()));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
    List<byte[]> raw = rawArguments(args.length);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < args.length; i++) {
      if (i > 0) {
        bytes.write(0);
      }
      bytes.writeBytes(raw.size() == args.length ? raw.get(i) : args[i].getBytes(StandardCharsets.UTF_8));
    }
    pb.environment().put(ARGUMENTS_VARIABLE, Base64.getEncoder().encodeToString(bytes.toByteArray()));
    pb.environment().put("LC_ALL", "C.UTF-8");
    Process child = pb.start();
    // Ctrl-C reaches the child too (one process group); wait for its summary rather than leave it behind.
    Thread waitForChild = new Thread(() -> {
      try {
        child.waitFor(StreamCommand.CtrlC.GRACE_SECONDS + 2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "tingxin-relaunched");
    Runtime.getRuntime().addShutdownHook(waitForChild);
    int code = child.waitFor();
    try {
      Runtime.getRuntime().removeShutdownHook(waitForChild);
    } catch (IllegalStateException e) {
      // already shutting down
    }
    return code;
  }

  /**
   * The last {@code count} arguments of this process as the bytes it was given; empty where they cannot be
   * read (not Linux).
   */
  static List<byte[]> rawArguments(int count) {
    try {
      byte[] all = Files.readAllBytes(CMDLINE);
      List<byte[]> parts = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < all.length; i++) {
        if (all[i] == 0) {
          parts.add(Arrays.copyOfRange(all, start, i));
          start = i + 1;
        }
      }
      if (start < all.length) {
        parts.add(Arrays.copyOfRange(all, start, all.length));
      }
      if (parts.size() >= count) {
        return parts.subList(parts.size() - count, parts.size());
      }
    } catch (IOException e) {
      // fall through
    }
    return List.of();
  }

  private static boolean isUtf8(String charset) {
    try {
      return Charset.forName(charset).equals(StandardCharsets.UTF_8);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
