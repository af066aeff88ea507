package io.github.tingxin.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job jar on a real Spark standalone cluster: a Master and two Workers, each its own JVM on 127.0.0.1,
 * executors launched by the Workers, the job submitted with spark-submit (client mode) from a JVM with only
 * Spark's jars and the job jar. The tables must equal those of a {@code local[2]} run of the same input, row for
 * row (with recognizer options that change every table, read by the same parser); the executors must be
 * processes of their own; a run whose executors cannot start must end with exit 6 and one line naming
 * {@code CLUSTER_FAILED}; a run with one Worker killed while its executor runs a task must still account for
 * every input row (Spark retries the task elsewhere) or fail with that one line. Every JVM is stopped at the
 * end, whatever happened; each step has its own time limit, the whole test one of 15 minutes.
 */
class StandaloneClusterIT {
  private static final Duration START = Duration.ofSeconds(120);
  private static final Duration RUN = Duration.ofSeconds(300);
  private static final List<String> SPARK_OPTIONS = List.of(
      System.getProperty("tingxin.spark.jvm.options", "").split(" ")).stream().filter(o -> !o.isBlank()).toList();

  @TempDir Path dir;

  /** Calls with caller ids, a two-party call, and rows that must become errors. */
  private Path archive() throws IOException {
    Path in = dir.resolve("archive");
    Map<String, String[]> rows = new TreeMap<>();
    String[] speakers = {"03", "08", "09", "10", "11", "12", "13", "14"};
    for (int i = 0; i < speakers.length; i++) {
      String id = "call-" + speakers[i];
      Archive.writeMono(in.resolve(id + ".wav"), Archive.call(speakers[i], i % 3, 3));
      rows.put(id, new String[] {id + ".wav", "caller-" + (i % 3), "", "2026-03-0" + (i + 1)});
    }
    Archive.writeStereo(in.resolve("two-party.wav"), Archive.call("15", 0, 3), Archive.call("16", 0, 3));
    rows.put("two-party", new String[] {"two-party.wav", "caller-1", "0,1", "2026-03-09"});
    Archive.writeTruncated(in.resolve("truncated.wav"), in.resolve("call-03.wav"));
    rows.put("truncated", new String[] {"truncated.wav", "caller-2", "", ""});
    rows.put("missing", new String[] {"never-recorded.wav", "caller-2", "", ""});
    return BatchJobTest.writeManifest(in.resolve("calls.csv"), rows);
  }

  @Test
  @SuppressWarnings("unchecked")
  @Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
  void theJobJarOnAStandaloneClusterGivesTheLocalRowsAndSurvivesALostWorker() throws Exception {
    Path sparkHome = Path.of(System.getProperty("tingxin.spark.home", "target/spark-home"));
    assertThat(sparkHome.resolve("jars")).as("Spark's jars, copied by the build (pre-integration-test)")
        .isDirectoryContaining("glob:**/spark-core_2.13-*.jar");
    Files.writeString(sparkHome.resolve("RELEASE"), "Spark (jars of the Maven build, for StandaloneClusterIT)\n");
    Path jobJar;
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      jobJar = files.filter(p -> p.getFileName().toString().endsWith("-job.jar")).findFirst().orElseThrow(
          () -> new AssertionError("no target/*-job.jar: the shade plugin builds it in package"));
    }
    Path manifest = archive();
    // The same recognizer options, read by the same parser, on the cluster and in the reference; options that
    // change every table (sliding windows, prosodic cues), so the tables differ unless they reach the executors.
    List<String> options = List.of("--negative-threshold", "0.4", "--threads", "1", "--window", "1.5", "--hop",
        "0.75", "--prosody", "--callers");
    List<String> conf = List.of("spark.executor.memory=640m", "spark.executor.cores=1", "spark.cores.max=2",
        "spark.ui.enabled=false", "spark.driver.host=127.0.0.1", "spark.driver.bindAddress=127.0.0.1",
        // Start the job once both executors are there, so both run tasks.
        "spark.scheduler.minRegisteredResourcesRatio=1.0", "spark.scheduler.maxRegisteredResourcesWaitingTime=60s",
        "spark.executor.heartbeatInterval=2s");

    long t0 = System.nanoTime();
    StandaloneCluster cluster = StandaloneCluster.start(sparkHome, dir.resolve("cluster"), 2, SPARK_OPTIONS, START);
    List<String> times = new ArrayList<>();
    times.add(String.format("cluster up %.0f s", (System.nanoTime() - t0) / 1e9));
    SparkSession local = null;
    try {
      // 1. The whole cluster.
      Path clusterOut = dir.resolve("out-cluster");
      List<String> args = new ArrayList<>(List.of(manifest.toString(), "--out", clusterOut.toString(), "-q"));
      args.addAll(options);
      StandaloneCluster.Daemon one = cluster.submit("submit-1", jobJar, conf, args);
      long t1 = System.nanoTime();
      assertThat(StandaloneCluster.waitFor(one, RUN)).as(one.output()).isZero();
      times.add(String.format("run %.0f s", (System.nanoTime() - t1) / 1e9));
      assertThat(one.output()).contains("11 inputs", "9 analysed", "2 failed");
      Map<String, Object> record = record(clusterOut);
      assertThat(((Number) record.get("analysed")).longValue() + ((Number) record.get("failed")).longValue())
          .as("rows in = calls + errors").isEqualTo(11);
      assertThat(record.get("sparkMaster")).isEqualTo(cluster.masterUrl());

      // The executors are processes of their own, not the driver: each logged its process id at its start, and
      // the tasks ran there (the run record names the executors that returned them, never the driver).
      long driver = one.process().pid();
      Set<Long> executorPids = new HashSet<>();
      int tasksRun = 0;
      for (Path log : cluster.executorLogs()) {
        executorPids.add(StandaloneCluster.executorPid(log));
        tasksRun += count(StandaloneCluster.read(log), "Finished task");
      }
      assertThat(executorPids).as("two executors, neither of them the driver " + driver).hasSize(2)
          .doesNotContain(driver);
      assertThat(tasksRun).as("tasks the executors report finished").isGreaterThanOrEqualTo(1);
      assertThat((List<Object>) record.get("executors")).isNotEmpty().doesNotContain("driver");

      // 2. The reference: the same input and options on local[2] in this JVM.
      long t2 = System.nanoTime();
      local = SparkSession.builder().master("local[2]").appName("tingxin-reference")
          .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "2").getOrCreate();
      Path localOut = dir.resolve("out-local");
      List<String> localArgs = new ArrayList<>(List.of(manifest.toString(), "--out", localOut.toString()));
      localArgs.addAll(options);
      BatchReport reference = BatchJob.run(local, BatchArguments.parse(localArgs.toArray(String[]::new)).options());
      assertThat(reference.analysed()).isEqualTo(9);
      assertSameRows(local, clusterOut, localOut);
      times.add(String.format("local[2] reference and comparison %.0f s", (System.nanoTime() - t2) / 1e9));

      // 3. No executor can start: their JVM cannot load an agent the configuration names (an unknown -XX option
      //    would not do: Spark starts executors with -XX:+IgnoreUnrecognizedVMOptions). The master relaunches
      //    them without end (thousands in three minutes when this was tried without a bound), so only the run's
      //    own bound (ExecutorWatch) ends it: one line, exit 6. No wait for executors before the job starts.
      Path noAgent = dir.resolve("tingxin-no-such-agent.jar");
      List<String> brokenConf = new ArrayList<>(conf.stream().filter(c -> !c.startsWith("spark.scheduler.")).toList());
      brokenConf.add("spark.executor.extraJavaOptions=-javaagent:" + noAgent);
      brokenConf.add(ExecutorWatch.TIMEOUT_KEY + "=15s");
      StandaloneCluster.Daemon broken = cluster.submit("submit-broken", jobJar, brokenConf,
          List.of(manifest.toString(), "--out", dir.resolve("out-broken").toString(), "-q"));
      long t4 = System.nanoTime();
      int brokenExit = StandaloneCluster.waitFor(broken, RUN);
      times.add(String.format("run without executors %.0f s, exit %d", (System.nanoTime() - t4) / 1e9, brokenExit));
      assertThat(brokenExit).as(broken.output()).isEqualTo(6);
      List<String> brokenErrors = broken.output().lines().filter(l -> l.contains("tingxin batch: error:")).toList();
      assertThat(brokenErrors).as(broken.output()).singleElement().asString()
          .startsWith("tingxin batch: error:").contains("ran no executor for this run in 15 s")
          .endsWith("[CLUSTER_FAILED]");
      assertThat(cluster.executorLogs()).as("the executors that could not start, and why")
          .anyMatch(log -> StandaloneCluster.read(log).contains(noAgent.toString()));

      // 4. A Worker dies while its executor runs a task: Spark runs the task again on the other executor.
      Path lostOut = dir.resolve("out-lost-worker");
      List<String> lostArgs = new ArrayList<>(List.of(manifest.toString(), "--out", lostOut.toString(), "-q",
          "--partitions", "11"));
      lostArgs.addAll(options);
      Set<Path> earlier = new HashSet<>(cluster.executorLogs());
      StandaloneCluster.Daemon two = cluster.submit("submit-2", jobJar, conf, lostArgs);
      boolean killedMidRun = killWhenRunning(cluster, 1, two, earlier);
      long t3 = System.nanoTime();
      int exit = StandaloneCluster.waitFor(two, RUN);
      times.add(String.format("run with a lost worker %.0f s after the kill, exit %d", (System.nanoTime() - t3) / 1e9,
          exit));
      assertThat(killedMidRun).as("worker 1 was killed while the job ran:\n" + two.output()).isTrue();
      if (exit == 0) {
        Map<String, Object> lost = record(lostOut);
        assertThat(((Number) lost.get("analysed")).longValue() + ((Number) lost.get("failed")).longValue())
            .as("rows in = calls + errors after a lost worker").isEqualTo(11);
        assertSameRows(local, lostOut, localOut);
      } else {
        List<String> errors = two.output().lines().filter(l -> l.startsWith("tingxin batch: error:")).toList();
        assertThat(exit).as(two.output()).isEqualTo(6);
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).contains("[CLUSTER_FAILED]");
      }
    } finally {
      if (local != null) {
        local.stop();
      }
      cluster.close();
      // Where an integration test's minutes go, for whoever watches CI's time.
      System.err.println("StandaloneClusterIT: " + String.join(", ", times));
    }
    assertThat(cluster.allStopped()).as("every JVM of the cluster stopped").isTrue();
  }

  /**
   * Kills worker {@code worker} once an executor it launched for {@code job} (one whose log is not among
   * {@code earlier}, the logs of the runs before) has started a task and the job is still running.
   */
  private static boolean killWhenRunning(StandaloneCluster cluster, int worker, StandaloneCluster.Daemon job,
      Set<Path> earlier) throws IOException, InterruptedException {
    long end = System.nanoTime() + RUN.toNanos();
    while (System.nanoTime() < end && job.process().isAlive()) {
      for (Path log : cluster.executorLogs(worker)) {
        if (!earlier.contains(log) && StandaloneCluster.read(log).contains("Running task")) {
          boolean running = job.process().isAlive();
          cluster.killWorker(worker);
          return running;
        }
      }
      Thread.sleep(100);
    }
    return false;
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
      n++;
    }
    return n;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> record(Path out) throws IOException {
    return new ObjectMapper().readValue(out.resolve("_runs/run-1.json").toFile(), Map.class);
  }

  /** Every table of {@code a} holds exactly the rows of {@code b} (as multisets, all columns). */
  private static void assertSameRows(SparkSession spark, Path a, Path b) {
    for (String table : List.of("segments", "calls", "errors", "callers")) {
      Dataset<Row> x = spark.read().parquet(a.resolve(table).toString());
      Dataset<Row> y = spark.read().parquet(b.resolve(table).toString());
      assertThat(x.count()).as(table).isPositive().isEqualTo(y.count());
      assertThat(x.exceptAll(y).count()).as(table + " rows only in " + a.getFileName()).isZero();
      assertThat(y.exceptAll(x).count()).as(table + " rows only in " + b.getFileName()).isZero();
    }
  }
}
