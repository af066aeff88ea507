package io.github.tingxin.cli;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * Finds {@code tingxin batch} at run time. Spark is some 200 MB of libraries that only {@code batch} needs,
 * so it is kept off the class path of every other command: {@code tingxin.jar}'s manifest names
 * {@code lib/} only, and Spark with sentiment-spark sits in {@code lib/spark/} (which the build fills afresh
 * each time, so it holds exactly this build's jars). {@code batch} is registered when Spark and sentiment-spark can be loaded
 * (a development class path, or a test's); otherwise, when the jar has a {@code lib/spark/} beside it, the
 * command line is run again in a class loader over the jar, {@code lib/} and {@code lib/spark/}; otherwise
 * {@code batch} is a command that says what is missing. Stateless.
 */
final class BatchSupport {
  /** Classes batch needs: Spark SQL and the batch job. */
  private static final String[] NEEDED = {"org.apache.spark.sql.SparkSession", "io.github.tingxin.spark.BatchJob"};

  private BatchSupport() {}

  /** Whether Spark and sentiment-spark can be loaded here. */
  static boolean available() {
    for (String name : NEEDED) {
      try {
        Class.forName(name, false, BatchSupport.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        return false;
      }
    }
    return true;
  }

  /** The {@code batch} command: the real one where Spark is here, else one that says what is missing. */
  static Object command() {
    if (!available()) {
      return new Unavailable();
    }
    try {
      // By name: BatchCommand links against Spark, so it is loaded only where Spark is.
      return Class.forName("io.github.tingxin.cli.BatchCommand").getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("tingxin batch cannot be created", e);
    }
  }

  /**
   * The {@code lib/spark/} folder beside the jar this class was loaded from, where {@code batch} needs it and
   * Spark is not already loadable; empty otherwise.
   */
  static java.util.Optional<Path> sparkLibraries(String[] args) {
    if (args.length == 0 || !args[0].equals("batch") || available()) {
      return java.util.Optional.empty();
    }
    Path jar = ownJar();
    if (jar == null) {
      return java.util.Optional.empty();
    }
    Path spark = jar.resolveSibling("lib").resolve("spark");
    return Files.isDirectory(spark) ? java.util.Optional.of(spark) : java.util.Optional.empty();
  }

  /**
   * Runs {@code Main.main(args)} again in a class loader over this jar, the libraries its manifest names and
   * the jars in {@code lib/spark/}; does not return (that main exits the JVM).
   */
  static void mainWithSpark(Path sparkLibraries, String[] args) throws IOException {
    Path jar = ownJar();
    List<URL> urls = new ArrayList<>();
    urls.add(url(jar));
    try (JarFile jf = new JarFile(jar.toFile())) {
      Manifest m = jf.getManifest();
      String classPath = m == null ? null : m.getMainAttributes().getValue("Class-Path");
      if (classPath != null) {
        for (String entry : classPath.trim().split("\\s+")) {
          urls.add(url(jar.resolveSibling(entry)));
        }
      }
    }
    try (java.util.stream.Stream<Path> jars = Files.list(sparkLibraries)) {
      jars.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().forEach(p -> urls.add(url(p)));
    }
    // The platform loader as parent: every Tingxin and library class is loaded afresh, from one loader, so
    // that Spark, its Jackson and the CLI see one another.
    URLClassLoader loader = new URLClassLoader("tingxin-batch", urls.toArray(URL[]::new),
        ClassLoader.getPlatformClassLoader());
    Thread.currentThread().setContextClassLoader(loader);
    try {
      Class.forName(Main.class.getName(), true, loader).getMethod("main", String[].class)
          .invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot start tingxin batch with " + sparkLibraries, e);
    }
  }

  private static Path ownJar() {
    try {
      Path p = Path.of(BatchSupport.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(p) ? p : null;
    } catch (Exception e) {
      return null;
    }
  }

  private static URL url(Path p) {
    try {
      return p.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalStateException(p.toString(), e);
    }
  }

  /** {@code batch} where Spark is absent: says so, and how to get it. */
  @Command(name = "batch", description = "Analyse an archive on Apache Spark (needs lib/spark/ beside tingxin.jar).")
  static final class Unavailable implements Callable<Integer> {
    @Unmatched List<String> ignored;

    @Override
    public Integer call() {
      throw new TingxinException(ErrorCode.UNSUPPORTED_OPTION, "batch needs Apache Spark and sentiment-spark, which"
          + " are not on this class path; run it from the distribution (bin/tingxin, or java -jar tingxin.jar with"
          + " lib/spark/ beside it), see docs/cli.md");
    }
  }
}
