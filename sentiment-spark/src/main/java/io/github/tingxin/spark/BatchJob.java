package io.github.tingxin.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.RecognizerSettings;
import io.github.tingxin.api.TingxinException;
import java.io.IOException;
import java.nio.file.Paths;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
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
 * <p>How it runs: the driver lists the input and sorts it by call id, spreads the calls over tasks by file
 * size (largest first, each to the least-loaded task), and broadcasts the model package once. Each executor
 * builds one recognizer from it and shares it between its tasks; each task analyses its calls one at a time.
 * Every input row ends as exactly one row of the calls table or of the errors table, and the same input and
 * model give the same rows on every run. The tables are documented in {@code docs/batch.md}.
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
     * @param callsDone calls analysed (or failed) so far; moves as Spark tasks finish
     * @param callsToDo calls this run analyses (inputs less those skipped)
     * @param seconds time since the analysis began
     */
    void update(long callsDone, long callsToDo, double seconds);
  }

  private BatchJob() {}

  /**
   * Four tasks per core, for balance; more for a large run, so that no task holds more than about 250 calls
   * (progress moves a task at a time, and a lost task costs less to redo).
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
   *     than the earlier runs, or if the input repeats a call id or a manifest lacks its {@code path} column;
   *     {@link ErrorCode#IO_ERROR} if the input cannot be listed or the output cannot be written; the model
   *     codes of {@link ModelPackage#load} for a bad model package. Bad audio files never throw: they go to
   *     the errors table.
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
    java.util.Objects.requireNonNull(spark, "spark");
    java.util.Objects.requireNonNull(options, "options");
    java.util.Objects.requireNonNull(progress, "progress");
    long startNanos = System.nanoTime();
    Instant started = Instant.now();
    try {
      return runChecked(spark, options, progress, startNanos, started);
    } catch (IOException e) {
      throw new TingxinException(ErrorCode.IO_ERROR, "the batch run into " + options.out() + " failed: "
          + e.getMessage(), e);
    }
  }

  private static BatchReport runChecked(SparkSession spark, BatchOptions options, Progress progress,
      long startNanos, Instant started) throws IOException {
    OutputLayout layout = new OutputLayout(spark.sparkContext().hadoopConfiguration(), options.out());
    ModelPackage model = options.model().map(m -> ModelPackage.load(Paths.get(m)))
        .orElseGet(ModelPackage::bundledDefault);
    ShippedModel shipped = ShippedModel.of(model);

    // The input first: nothing under the output is touched before it is known what the run reads.
    InputListing.Listing listing = InputListing.list(spark, options);
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
    for (CallTask t : listing.tasks()) {
      if (!done.contains(t.callId())) {
        todo.add(t);
      }
    }
    long skipped = listing.tasks().size() - todo.size();

    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    LabelColumns labels = new LabelColumns(model.manifest());
    int parts = options.partitions() > 0 ? options.partitions() : defaultPartitions(todo.size(), jsc.defaultParallelism());
    List<List<CallTask>> groups = spread(todo, parts);
    Broadcast<ShippedModel> modelBroadcast = jsc.broadcast(shipped);
    Broadcast<HadoopConf> hadoopBroadcast = jsc.broadcast(new HadoopConf(spark.sparkContext().hadoopConfiguration()));
    String modelName = shipped.nameAndVersion;
    RecognizerSettings settings = options.recognizer();
    String recognizerKey = ExecutorRecognizers.key(shipped.sha256, settings);
    boolean local = spark.sparkContext().isLocal();
    LongAccumulator callsDone = jsc.sc().longAccumulator("tingxin calls analysed");
    JavaRDD<Row> rows = jsc.parallelize(groups, groups.size()).flatMap(new CallAnalyzer(modelBroadcast,
        shipped.sha256, modelName, settings, hadoopBroadcast, labels, callsDone));
    Dataset<Row> outcome = spark.createDataFrame(rows, Tables.outcomeSchema(labels))
        .persist(StorageLevel.MEMORY_AND_DISK());
    if (local) {
      ExecutorRecognizers.retain(recognizerKey);
    }
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tingxin-batch-progress");
      t.setDaemon(true);
      return t;
    });
    boolean begun = false;
    try {
      long analyseStart = System.nanoTime();
      long total = todo.size();
      // Accumulator values reach the driver as tasks finish: progress moves a task at a time.
      ticker.scheduleAtFixedRate(() -> progress.update(callsDone.value(), total,
          (System.nanoTime() - analyseStart) / 1e9), PROGRESS_SECONDS, PROGRESS_SECONDS, TimeUnit.SECONDS);
      Row totals = outcome.agg(count(lit(1)), sum(when(col("ok"), 1).otherwise(0)),
          sum(when(col("ok"), size(col("segment_rows"))).otherwise(0)),
          sum(when(col("ok"), col("duration_s")).otherwise(0.0))).first();
      ticker.shutdownNow();
      long analysed = totals.isNullAt(1) ? 0 : totals.getLong(1);
      long failed = totals.getLong(0) - analysed;
      long segments = totals.isNullAt(2) ? 0 : totals.getLong(2);
      double audioSeconds = totals.isNullAt(3) ? 0 : totals.getDouble(3);
      double analyseSeconds = (System.nanoTime() - analyseStart) / 1e9;
      if (totals.getLong(0) != todo.size()) {
        throw new IllegalStateException("the run analysed " + totals.getLong(0) + " rows of " + todo.size()
            + " (a Tingxin defect: please report it)");
      }

      Map<String, Object> beginning = new LinkedHashMap<>();
      beginning.put("started", started.toString());
      beginning.put("input", options.input());
      layout.begin(run, options.callers(), beginning);
      begun = true;
      Dataset<Row> ok = outcome.filter(col("ok"));
      ok.select(col("call_id"), col("caller_id"), col("channel_selection"), explode(col("segment_rows")).as("s"))
          .select(col("call_id"), col("caller_id"), col("channel_selection"), col("s.*"))
          .write().mode(SaveMode.ErrorIfExists).parquet(layout.runDir(Tables.SEGMENTS, run).toString());
      outcome.filter(col("ok").equalTo(false)).select(Tables.errorColumns())
          .write().mode(SaveMode.ErrorIfExists).parquet(layout.runDir(Tables.ERRORS, run).toString());
      ok.select(Tables.callColumns(labels))
          .write().mode(SaveMode.ErrorIfExists).parquet(layout.runDir(Tables.CALLS, run).toString());

      Map<String, Object> record = new LinkedHashMap<>();
      record.put("started", started.toString());
      record.put("finished", Instant.now().toString());
      record.put("input", options.input());
      record.put("mode", options.mode().name());
      record.put("channel", options.channel());
      record.put("pattern", options.pattern());
      record.put("model", modelName);
      record.put("modelLocation", model.location());
      record.put("modelSha256", shipped.sha256);
      record.put("negativeThreshold", options.recognizer().negativeThreshold());
      record.put("inputs", listing.tasks().size());
      record.put("skipped", skipped);
      record.put("analysed", analysed);
      record.put("failed", failed);
      record.put("segments", segments);
      record.put("audioSeconds", audioSeconds);
      record.put("wallSeconds", (System.nanoTime() - startNanos) / 1e9);
      // The analysis itself (reading, inference, summaries) against the whole run (listing, writing): how much
      // of a run is Spark's and Parquet's overhead.
      record.put("analyseSeconds", analyseSeconds);
      record.put("ignoredFiles", listing.ignoredFiles());
      record.put("sparkMaster", spark.sparkContext().master());
      record.put("sparkVersion", spark.version());
      layout.finish(run, options.callers(), record);
      begun = false;

      Set<Integer> runs = new HashSet<>(finished.keySet());
      runs.add(run);
      if (options.callers()) {
        writeCallers(spark, layout, runs, run);
      }
      return new BatchReport(run, modelName, shipped.sha256, listing.tasks().size(), skipped, analysed, failed, segments,
          audioSeconds, analyseSeconds, (System.nanoTime() - startNanos) / 1e9, listing.ignoredFiles());
    } finally {
      ticker.shutdownNow();
      if (begun) {
        // The run failed while writing: take back what it wrote, so that the output is as it was.
        layout.abandon(run);
      }
      outcome.unpersist();
      modelBroadcast.destroy();
      hadoopBroadcast.destroy();
      if (local) {
        // In local mode the executor is this JVM: free the model's native memory now, not at exit.
        ExecutorRecognizers.release(recognizerKey);
      }
    }
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
    List<String> dirs = layout.finishedRunDirs(Tables.CALLS, new java.util.TreeSet<>(runs));
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
    callers.coalesce(1).write().mode(SaveMode.Overwrite).parquet(aside.toString());
    layout.replaceCallers(aside);
    spark.catalog().dropTempView(view);
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
