package io.github.tingxin.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on 127.0.0.1 made of separate JVMs, as an operator starts one from a Spark
 * distribution: a Master and Workers ({@code org.apache.spark.deploy.master.Master},
 * {@code org.apache.spark.deploy.worker.Worker}) with {@code SPARK_HOME} set (its {@code jars/} and a
 * {@code RELEASE} file, which the Worker needs to build its executors' class path) and
 * {@code SPARK_SCALA_VERSION}; jobs are submitted with {@code org.apache.spark.deploy.SparkSubmit} (what
 * {@code spark-submit} runs), in client mode, from a JVM of their own with Spark's jars alone on its class path.
 * Ports are chosen by the JVMs themselves (0) and read from their logs; memory is small.
 *
 * <p>Every JVM it starts, with every process those start (the Workers' executors), is destroyed by
 * {@link #close()}, and by a shutdown hook should the test JVM exit first. Not thread-safe.
 */
final class StandaloneCluster implements AutoCloseable {
  private static final Pattern MASTER_URL = Pattern.compile("Starting Spark master at (spark://[0-9.]+:\\d+)");
  private static final Pattern EXECUTOR_PID = Pattern.compile("Started daemon with process name: (\\d+)@");

  /** One JVM this cluster started, and where its output goes. */
  record Daemon(String name, Process process, Path log) {
    String output() {
      return read(log);
    }
  }

  /** A log's text so far ("" before it exists); logs are written as we read them, so bytes are decoded leniently. */
  static String read(Path log) {
    try {
      return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private final Path sparkHome;
  private final Path dir;
  private final List<String> jvmOptions;
  private final List<Daemon> daemons = new CopyOnWriteArrayList<>();
  private final List<Path> workDirs = new ArrayList<>();
  private final Thread hook = new Thread(this::destroyAll, "tingxin-test-cluster-stop");
  private String masterUrl;

  private StandaloneCluster(Path sparkHome, Path dir, List<String> jvmOptions) {
    this.sparkHome = sparkHome;
    this.dir = dir;
    this.jvmOptions = jvmOptions;
  }

  /**
   * Starts a Master and {@code workers} Workers of one core each, and waits until every Worker has registered.
   *
   * @param jvmOptions what Spark's JVMs need on Java 17+ (the parent pom's spark.jvm.options)
   */
  static StandaloneCluster start(Path sparkHome, Path dir, int workers, List<String> jvmOptions, Duration timeout)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    StandaloneCluster cluster = new StandaloneCluster(sparkHome, dir, jvmOptions);
    Runtime.getRuntime().addShutdownHook(cluster.hook);
    try {
      Daemon master = cluster.launch("master", "256m", "org.apache.spark.deploy.master.Master",
          List.of("-Dspark.master.rest.enabled=false"),
          List.of("--host", "127.0.0.1", "--port", "0", "--webui-port", "0"));
      cluster.masterUrl = cluster.await(master, MASTER_URL, timeout).group(1);
      List<Daemon> started = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        Path work = dir.resolve("work-" + i);
        Files.createDirectories(work);
        cluster.workDirs.add(work);
        started.add(cluster.launch("worker-" + i, "256m", "org.apache.spark.deploy.worker.Worker", List.of(),
            List.of("--host", "127.0.0.1", "--port", "0", "--webui-port", "0", "--cores", "1", "--memory", "1g",
                "--work-dir", work.toString(), cluster.masterUrl)));
      }
      for (Daemon w : started) {
        cluster.await(w, Pattern.compile("Successfully registered with master"), timeout);
      }
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  String masterUrl() {
    return masterUrl;
  }

  /** Starts a JVM with Spark's jars on its class path, the cluster's environment, and its output in a log. */
  private Daemon launch(String name, String heap, String mainClass, List<String> jvmExtra, List<String> args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heap);
    cmd.add("-XX:+UseSerialGC");
    cmd.addAll(jvmOptions);
    cmd.addAll(jvmExtra);
    cmd.add("-cp");
    cmd.add(sparkHome.resolve("jars").toAbsolutePath() + "/*");
    cmd.add(mainClass);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Path log = dir.resolve(name + ".log");
    pb.redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("SPARK_HOME", sparkHome.toAbsolutePath().toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.remove("SPARK_CONF_DIR");
    Daemon d = new Daemon(name, pb.start(), log);
    daemons.add(d);
    return d;
  }

  /** Waits for {@code pattern} in the daemon's log. */
  private Matcher await(Daemon d, Pattern pattern, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      Matcher m = pattern.matcher(d.output());
      if (m.find()) {
        return m;
      }
      if (!d.process().isAlive()) {
        throw new AssertionError(d.name() + " exited (" + d.process().exitValue() + ") before '" + pattern + "':\n"
            + tail(d.output()));
      }
      Thread.sleep(200);
    }
    throw new AssertionError(d.name() + " did not log '" + pattern + "' in " + timeout + ":\n" + tail(d.output()));
  }

  /**
   * Starts {@code spark-submit} of {@code jobJar} in client mode against this cluster.
   *
   * @param conf Spark settings, each as {@code key=value}
   */
  Daemon submit(String name, Path jobJar, List<String> conf, List<String> args) throws IOException {
    List<String> submit = new ArrayList<>(List.of("--master", masterUrl, "--deploy-mode", "client"));
    for (String c : conf) {
      submit.add("--conf");
      submit.add(c);
    }
    submit.addAll(List.of("--class", "io.github.tingxin.spark.BatchCommand", jobJar.toAbsolutePath().toString()));
    submit.addAll(args);
    return launch(name, "768m", "org.apache.spark.deploy.SparkSubmit", List.of(), submit);
  }

  /** Waits for a submitted job to end; its exit code. */
  static int waitFor(Daemon d, Duration timeout) throws InterruptedException {
    if (!d.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      destroyTree(d.process());
      throw new AssertionError(d.name() + " did not end in " + timeout + ":\n" + tail(d.output()));
    }
    return d.process().exitValue();
  }

  /** The logs of the executors worker {@code i} has launched (its work dir: app/N/stderr). */
  List<Path> executorLogs(int worker) throws IOException {
    try (Stream<Path> files = Files.walk(workDirs.get(worker))) {
      return files.filter(p -> p.getFileName().toString().equals("stderr")).sorted().toList();
    }
  }

  /** Every executor log of every worker. */
  List<Path> executorLogs() throws IOException {
    List<Path> all = new ArrayList<>();
    for (int i = 0; i < workDirs.size(); i++) {
      all.addAll(executorLogs(i));
    }
    return all;
  }

  /** The process id an executor logged at its start. */
  static long executorPid(Path log) throws IOException {
    Matcher m = EXECUTOR_PID.matcher(read(log));
    if (!m.find()) {
      throw new AssertionError("no process id in " + log);
    }
    return Long.parseLong(m.group(1));
  }

  /** Kills worker {@code i} and the executors it launched, at once, as a machine that dies would. */
  void killWorker(int i) {
    daemons.stream().filter(d -> d.name().equals("worker-" + i)).forEach(d -> destroyTree(d.process()));
  }

  /** Whether every JVM this cluster started, and every process those started, has ended. */
  boolean allStopped() {
    return daemons.stream().map(Daemon::process).noneMatch(p -> p.isAlive()
        || p.descendants().anyMatch(ProcessHandle::isAlive));
  }

  @Override
  public void close() {
    destroyAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down: the hook runs (or ran) destroyAll.
    }
  }

  private void destroyAll() {
    for (Daemon d : daemons) {
      destroyTree(d.process());
    }
  }

  /** Destroys a process and everything it started, children first, and waits for them (bounded). */
  static void destroyTree(Process p) {
    List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
    tree.add(p.toHandle());
    for (ProcessHandle h : tree) {
      h.destroyForcibly();
    }
    for (ProcessHandle h : tree) {
      try {
        h.onExit().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Reported by allStopped().
      }
    }
  }

  static String tail(String text) {
    String[] lines = text.split("\n");
    return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 40), lines.length));
  }
}
