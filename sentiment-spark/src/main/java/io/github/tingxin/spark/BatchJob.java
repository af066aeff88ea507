package io.github.tingxin.spark;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.RecognizerSettings;
import io.github.tingxin.api.TingxinException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * Analyses an archive of recorded calls on Spark and writes the segments, calls and errors tables (and, when
 * asked, the callers table) as Parquet under the output directory.
 *
 * <pre>{@code
 * try (SparkSession spark = SparkSession.builder().master("local[*]").getOrCreate()) {
 *   BatchReport report = BatchJob.run(spark, BatchOptions.builder("/archive/calls.csv", "/archive/tingxin")
 *       .mode(BatchOptions.WriteMode.INCREMENTAL).callers(true).build());
 * }
 * }</pre>
 *
 * <p>How it runs: the driver lists the input once and sorts it by call id, spreads the calls over tasks by file
 * size (largest first, each to the least-loaded task; a manifest's sizes are looked up by the tasks of a short
 * job, or not at all with {@link BatchOptions.Balance#COUNT}), and broadcasts the model package once. Each
 * executor builds one recognizer from it and shares it between its tasks; each task analyses its calls one at
 * a time and writes their rows of all three tables as it goes, so the whole run is one Spark job that reads
 * every file once and caches nothing. Every input row ends as exactly one row of the calls table or of the
 * errors table, and the same input and model give the same rows on every run. The tables are documented in
 * {@code docs/batch.md}.
 *
 * <p>Thread-safe: runs may be started from several threads, into different output directories.
 */
public final class BatchJob {
  /** Seconds between progress reports. */
  public static final int PROGRESS_SECONDS = 10;

  /** Hears how far a run's analysis has got. Implementations must be thread-safe. */
  @FunctionalInterface
  public interface Progress {
    /**
     * @param callsDone calls analysed (or failed) so far, counted as they finish (running tasks' counts reach
     *     the driver with the executors' heartbeats, every {@code spark.executor.heartbeatInterval})
     * @param callsToDo calls this run analyses (inputs less those skipped)
     * @param seconds time since the analysis began
     */
    void update(long callsDone, long callsToDo, double seconds);
  }

  private BatchJob() {}

  /**
   * Four tasks per core, for balance; more for a large run, so that no task holds more than about 250 calls
   * (a lost task costs less to redo).
   */
  static int defaultPartitions(int calls, int cores) {
    return Math.max(1, Math.max(Math.min(calls, 4 * cores), (calls + 249) / 250));
  }

  /**
   * Runs one batch.
   *
   * @param spark the session; the caller owns it
   * @param options what to read and where to write
   * @return what the run did
   * @throws NullPointerException if an argument is null
   * @throws TingxinException {@link ErrorCode#INVALID_OPTION} if the output already holds tables (and the
   *     mode is {@link BatchOptions.WriteMode#ERROR_IF_EXISTS}), if the input lies inside the output or the
   *     output inside the input, if a table folder of the output holds files Tingxin's run records do not
   *     name (in every mode: nothing is then written or deleted), if an incremental run names another model
   *     than the earlier runs, or if the input repeats a call id or a manifest lacks its {@code path} column or
   *     is not valid CSV (UTF-8, RFC 4180) or Parquet; {@link ErrorCode#IO_ERROR} if the input cannot be listed;
   *     {@link ErrorCode#OUTPUT_FAILED} if the output cannot be written (then the run takes back what it
   *     wrote); {@link ErrorCode#CLUSTER_FAILED} if the Spark application stops or its executors are lost more
   *     often than Spark retries; the model codes of {@link ModelPackage#load} for a bad model package. Bad
   *     audio files never throw: they go to the errors table.
   */
  public static BatchReport run(SparkSession spark, BatchOptions options) {
    return run(spark, options, (done, total, seconds) -> { });
  }

  /**
   * Runs one batch, telling {@code progress} every {@value #PROGRESS_SECONDS} seconds of the analysis how
   * many calls are done.
   *
   * @param spark the session; the caller owns it
   * @param options what to read and where to write
   * @param progress called from a driver thread of its own; must not block
   * @return what the run did
   * @throws NullPointerException if an argument is null
   * @throws TingxinException as {@link #run(SparkSession, BatchOptions)}
   */
  public static BatchReport run(SparkSession spark, BatchOptions options, Progress progress) {
    return run(spark, options, progress, PROGRESS_SECONDS * 1000L);
  }

  /** As {@link #run(SparkSession, BatchOptions, Progress)}, reporting progress every {@code progressMillis}. */
  static BatchReport run(SparkSession spark, BatchOptions options, Progress progress, long progressMillis) {
    java.util.Objects.requireNonNull(spark, "spark");
    java.util.Objects.requireNonNull(options, "options");
    java.util.Objects.requireNonNull(progress, "progress");
    try (ExecutorWatch watch = ExecutorWatch.start(spark.sparkContext())) {
      try {
        return runChecked(spark, options, progress, progressMillis);
      } catch (Exception e) {
        // A run the watch cancelled fails for want of executors, whatever its jobs then threw.
        TingxinException starved = watch.gaveUp();
        if (starved != null) {
          starved.addSuppressed(e);
          throw starved;
        }
        throw e;
      }
    } catch (IOException e) {
      // Reading the input maps its own failures (IO_ERROR); what is left is the output's file system.
      throw new TingxinException(ErrorCode.OUTPUT_FAILED, "could not write the tables into " + options.out() + ": "
          + SparkFailures.oneLine(e.getMessage()), e);
    } catch (TingxinException e) {
      throw e;
    } catch (Exception e) {
      // Spark throws its (checked) SparkException from Scala without declaring it.
      TingxinException platform = SparkFailures.ofJob(e);
      if (platform != null) {
        throw platform;
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
  }

  private static BatchReport runChecked(SparkSession spark, BatchOptions options, Progress progress,
      long progressMillis) throws IOException {
    long startNanos = System.nanoTime();
    Instant started = Instant.now();
    Map<String, Object> timings = new LinkedHashMap<>();
    OutputLayout layout = new OutputLayout(spark.sparkContext().hadoopConfiguration(), options.out());
    ModelPackage model = options.model().map(ModelPackage::named).orElseGet(ModelPackage::bundledDefault);
    ShippedModel shipped = ShippedModel.of(model);

    // The input first: nothing under the output is touched before it is known what the run reads.
    long t = System.nanoTime();
    InputListing.Listing listing = InputListing.list(spark, options);
    timings.put("listSeconds", seconds(t));
    layout.checkApartFrom(listing.roots());
    OutputLayout.Records records = layout.records();
    layout.checkOnlyTingxinFiles(records);
    TreeMap<Integer, Map<String, Object>> finished = records.finished();
    switch (options.mode()) {
      case ERROR_IF_EXISTS -> {
        if (!finished.isEmpty()) {
          throw new TingxinException(ErrorCode.INVALID_OPTION, layout.root() + " already holds Tingxin tables ("
              + finished.size() + " run(s))"
              + "; add new calls to them with incremental mode (--incremental), replace them (--overwrite),"
              + " or choose another output directory");
        }
      }
      case OVERWRITE -> {
        layout.deleteAll(records);
        records = layout.records();
        finished = records.finished();
      }
      case INCREMENTAL -> {
        if (!finished.isEmpty()) {
          Object earlier = finished.lastEntry().getValue().get("modelSha256");
          if (!shipped.sha256.equals(earlier)) {
            throw new TingxinException(ErrorCode.INVALID_OPTION, "the tables in " + layout.root()
                + " were made with another model (" + finished.lastEntry().getValue().get("model") + ", sha256 "
                + earlier + "), not " + shipped.nameAndVersion + " (sha256 " + shipped.sha256 + "); an incremental"
                + " run must use the same model: write to another output directory, or use --overwrite");
          }
        }
      }
      default -> throw new AssertionError(options.mode());
    }
    // What runs that never finished (killed, crashed) wrote is theirs to lose: nobody can rely on it.
    layout.removeUnfinished(records);
    int run = records.next();

    Set<String> done = options.mode() == BatchOptions.WriteMode.INCREMENTAL
        ? doneCallIds(spark, layout, finished.keySet()) : Set.of();
    List<CallTask> todo = new ArrayList<>(listing.tasks().size());
    for (CallTask task : listing.tasks()) {
      if (!done.contains(task.callId())) {
        todo.add(task);
      }
    }
    long skipped = listing.tasks().size() - todo.size();

    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    LabelColumns labels = new LabelColumns(model.manifest());
    Broadcast<HadoopConf> hadoopBroadcast = jsc.broadcast(new HadoopConf(spark.sparkContext().hadoopConfiguration()));
    Broadcast<ShippedModel> modelBroadcast = null;
    String recognizerKey = null;
    boolean local = spark.sparkContext().isLocal();
    CallProgress calls = null;
    ScheduledExecutorService ticker = null;
    boolean begun = false;
    try {
      if (!listing.sizesKnown() && options.balance() == BatchOptions.Balance.BYTES && todo.size() > 1) {
        t = System.nanoTime();
        todo = FileSizes.lookUp(jsc, todo, hadoopBroadcast);
        timings.put("statSeconds", seconds(t));
      }
      int parts = options.partitions() > 0 ? options.partitions()
          : defaultPartitions(todo.size(), jsc.defaultParallelism());
      List<List<CallTask>> groups = spread(todo, parts);
      modelBroadcast = jsc.broadcast(shipped);
      String modelName = shipped.nameAndVersion;
      RecognizerSettings settings = options.recognizer();
      recognizerKey = ExecutorRecognizers.key(shipped.sha256, settings);
      if (local) {
        ExecutorRecognizers.retain(recognizerKey);
      }
      LongAccumulator callsDone = jsc.sc().longAccumulator("tingxin calls analysed");
      calls = new CallProgress(callsDone.id());
      spark.sparkContext().addSparkListener(calls);

      Map<String, Object> beginning = new LinkedHashMap<>();
      beginning.put("started", started.toString());
      beginning.put("input", options.input());
      layout.begin(run, options.callers(), beginning);
      begun = true;
      String[] runDirs = OutputLayout.RUN_TABLES.stream().map(table -> layout.runDir(table, run).toString())
          .toArray(String[]::new);

      long analyseStart = System.nanoTime();
      long total = todo.size();
      CallProgress counter = calls;
      ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "tingxin-batch-progress");
        thread.setDaemon(true);
        return thread;
      });
      ticker.scheduleAtFixedRate(() -> progress.update(Math.min(total, counter.done()), total,
          (System.nanoTime() - analyseStart) / 1e9), progressMillis, progressMillis, TimeUnit.MILLISECONDS);
      // The run's one job: every task reads, analyses and writes its calls.
      List<PartitionTask.Summary> summaries = jsc.parallelize(groups, groups.size())
          .mapPartitionsWithIndex(new PartitionTask(modelBroadcast, shipped.sha256, modelName, settings,
              hadoopBroadcast, labels, runDirs, callsDone), false)
          .collect();
      ticker.shutdownNow();
      double analyseSeconds = seconds(analyseStart);
      timings.put("jobSeconds", analyseSeconds);

      long inputs = 0;
      long analysed = 0;
      long segments = 0;
      double audioSeconds = 0;
      long analyseNanos = 0;
      long writeNanos = 0;
      long analyseCpu = 0;
      long writeCpu = 0;
      Set<String> executors = new TreeSet<>();
      Set<Integer> partitions = new HashSet<>();
      for (PartitionTask.Summary s : summaries) {
        partitions.add(s.partition());
        inputs += s.calls();
        analysed += s.analysed();
        segments += s.segments();
        audioSeconds += s.audioSeconds();
        analyseNanos += s.analyseNanos();
        writeNanos += s.writeNanos();
        analyseCpu += s.analyseCpuNanos();
        writeCpu += s.writeCpuNanos();
        executors.add(s.executor());
      }
      long failed = inputs - analysed;
      if (inputs != todo.size() || partitions.size() != groups.size() || summaries.size() != groups.size()) {
        throw new IllegalStateException("the run's tasks report " + inputs + " calls in " + summaries.size()
            + " tasks, for " + todo.size() + " calls in " + groups.size() + " (a Tingxin defect: please report it)");
      }
      timings.put("taskAnalyseSeconds", analyseNanos / 1e9);
      timings.put("taskWriteSeconds", writeNanos / 1e9);
      // Thread CPU time of the same: what analysing and writing cost, however loaded the machine was.
      timings.put("taskAnalyseCpuSeconds", analyseCpu / 1e9);
      timings.put("taskWriteCpuSeconds", writeCpu / 1e9);
      layout.seal(run);

      Map<String, Object> record = new LinkedHashMap<>();
      record.put("started", started.toString());
      record.put("finished", Instant.now().toString());
      record.put("input", options.input());
      record.put("mode", options.mode().name());
      record.put("channel", options.channel());
      record.put("pattern", options.pattern());
      record.put("balance", options.balance().name());
      record.put("model", modelName);
      record.put("modelLocation", model.location());
      record.put("modelSha256", shipped.sha256);
      record.put("recognizer", settings.toString());
      record.put("negativeThreshold", settings.negativeThreshold());
      record.put("inputs", listing.tasks().size());
      record.put("skipped", skipped);
      record.put("analysed", analysed);
      record.put("failed", failed);
      record.put("segments", segments);
      record.put("audioSeconds", audioSeconds);
      record.put("wallSeconds", seconds(startNanos));
      // The job (reading, inference, summaries, and writing each call's rows) against the whole run: how much
      // of a run is the platform's overhead.
      record.put("analyseSeconds", analyseSeconds);
      record.put("timings", timings);
      record.put("ignoredFiles", listing.ignoredFiles());
      record.put("specialFiles", listing.specialFiles());
      record.put("tasks", groups.size());
      record.put("executors", List.copyOf(executors));
      record.put("sparkMaster", spark.sparkContext().master());
      record.put("sparkVersion", spark.version());
      layout.finish(run, options.callers(), record);
      begun = false;

      if (options.callers()) {
        Set<Integer> runs = new TreeSet<>(finished.keySet());
        runs.add(run);
        writeCallers(spark, layout, runs, run);
      }
      return new BatchReport(run, modelName, shipped.sha256, listing.tasks().size(), skipped, analysed, failed,
          segments, audioSeconds, analyseSeconds, seconds(startNanos), listing.ignoredFiles(),
          listing.specialFiles());
    } finally {
      if (ticker != null) {
        ticker.shutdownNow();
      }
      if (calls != null) {
        spark.sparkContext().removeSparkListener(calls);
      }
      if (begun) {
        // The run failed while writing: take back what it wrote, so that the output is as it was.
        layout.abandon(run);
      }
      hadoopBroadcast.destroy();
      if (modelBroadcast != null) {
        modelBroadcast.destroy();
      }
      if (local && recognizerKey != null) {
        // In local mode the executor is this JVM: free the model's native memory now, not at exit.
        ExecutorRecognizers.release(recognizerKey);
      }
    }
  }

  private static double seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }

  private static Set<String> doneCallIds(SparkSession spark, OutputLayout layout, Set<Integer> finished)
      throws IOException {
    Set<String> done = new HashSet<>();
    for (String table : List.of(Tables.CALLS, Tables.ERRORS)) {
      List<String> dirs = layout.finishedRunDirs(table, finished);
      if (!dirs.isEmpty()) {
        for (Row r : spark.read().parquet(dirs.toArray(String[]::new)).select("call_id").collectAsList()) {
          done.add(r.getString(0));
        }
      }
    }
    return done;
  }

  /**
   * Per caller, over every finished run's calls: how many calls, how much speech and how much of it negative,
   * and how the share of negative speech changes from call to call (least-squares slope per call, calls
   * ordered by {@code started_at}, then call id).
   */
  private static void writeCallers(SparkSession spark, OutputLayout layout, Set<Integer> runs, int run)
      throws IOException {
    List<String> dirs = layout.finishedRunDirs(Tables.CALLS, runs);
    // A view name of this run's own, so that runs in one session never read each other's calls.
    String view = "tingxin_calls_" + java.util.UUID.randomUUID().toString().replace('-', '_');
    spark.read().parquet(dirs.toArray(String[]::new)).createOrReplaceTempView(view);
    Dataset<Row> callers = spark.sql("""
        SELECT caller_id,
               count(*) AS calls,
               sum(speech_s) AS speech_s,
               sum(negative_s) AS negative_s,
               CASE WHEN sum(speech_s) > 0 THEN sum(negative_s) / sum(speech_s) END AS negative_share,
               avg(negative_share) AS mean_call_negative_share,
               regr_slope(negative_share, call_number) AS negative_share_change_per_call,
               min(started_at) AS first_started_at,
               max(started_at) AS last_started_at,
               min(model) AS model
        FROM (SELECT *, row_number() OVER (PARTITION BY caller_id
                                            ORDER BY started_at ASC NULLS LAST, call_id) AS call_number
              FROM %s WHERE caller_id IS NOT NULL)
        GROUP BY caller_id
        ORDER BY caller_id
        """.formatted(view));
    Path aside = layout.callersAside(run);
    try {
      callers.coalesce(1).write().mode(SaveMode.Overwrite).parquet(aside.toString());
    } catch (Exception e) {
      TingxinException platform = SparkFailures.platform(e);
      throw platform != null ? platform : new TingxinException(ErrorCode.OUTPUT_FAILED, "could not write the callers"
          + " table " + aside + ": " + SparkFailures.oneLine(SparkFailures.rootMessage(e)), e);
    } finally {
      spark.catalog().dropTempView(view);
    }
    layout.replaceCallers(aside);
  }

  /**
   * Spreads calls over {@code parts} tasks so that each gets about the same number of bytes: largest file
   * first, each to the task with the fewest bytes so far (ties to the lowest task). Within a task, calls run in
   * call-id order. Deterministic for a given input.
   */
  static List<List<CallTask>> spread(List<CallTask> tasks, int parts) {
    List<List<CallTask>> groups = new ArrayList<>();
    int n = Math.max(1, Math.min(parts, Math.max(1, tasks.size())));
    for (int i = 0; i < n; i++) {
      groups.add(new ArrayList<>());
    }
    List<CallTask> bySize = new ArrayList<>(tasks);
    bySize.sort(Comparator.comparingLong((CallTask t) -> -Math.max(0, t.bytes())).thenComparing(CallTask::callId));
    PriorityQueue<long[]> load = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
        : Long.compare(a[1], b[1]));
    for (int i = 0; i < n; i++) {
      load.add(new long[] {0, i});
    }
    for (CallTask t : bySize) {
      long[] least = load.poll();
      groups.get((int) least[1]).add(t);
      least[0] += Math.max(1, t.bytes());
      load.add(least);
    }
    for (List<CallTask> g : groups) {
      g.sort(Comparator.comparing(CallTask::callId));
    }
    return groups;
  }
}
