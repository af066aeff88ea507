package io.github.tingxin.spark;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * What a batch command line does around {@link BatchJob}: makes the Spark session, prints progress, stops
 * the session, and prints the report. Both command lines use it: {@code tingxin batch} (tingxin-cli) and
 * the spark-submit entry point {@link BatchCommand}.
 *
 * <p>Stateless and thread-safe.
 */
public final class BatchLauncher {
  private BatchLauncher() {}

  /**
   * Runs one batch on a session of its own: {@code master} if given, else spark-submit's
   * ({@code spark.master}), else {@code local[*]}.
   *
   * @param options what to read and where to write
   * @param master the Spark master URL, if one is named
   * @param sparkConf Spark settings for the session
   * @param quiet no progress lines
   * @param err where progress lines go, every {@value BatchJob#PROGRESS_SECONDS} s while calls are analysed
   * @return what the run did
   * @throws io.github.tingxin.api.TingxinException as {@link BatchJob#run}
   */
  public static BatchReport run(BatchOptions options, Optional<String> master, Map<String, String> sparkConf,
      boolean quiet, PrintWriter err) {
    BatchJob.Progress progress = quiet ? (done, total, seconds) -> { } : (done, total, seconds) -> {
      err.printf(Locale.ROOT, "tingxin batch: %d of %d calls analysed (%.1f %%) in %.0f s%n", done, total,
          total == 0 ? 100.0 : 100.0 * done / total, seconds);
      err.flush();
    };
    SparkSession spark = session(master, sparkConf);
    try {
      return BatchJob.run(spark, options, progress);
    } finally {
      spark.stop();
    }
  }

  /** Prints {@code report} as the command lines do: two lines, and more for files not read. */
  public static void printReport(PrintWriter out, BatchReport report, BatchOptions options) {
    out.printf(Locale.ROOT, "run %d into %s: %d inputs, %d skipped (done before), %d analysed, %d failed%s%n",
        report.run(), options.out(), report.inputs(), report.skipped(), report.analysed(), report.failed(),
        report.failed() > 0 ? " (see the errors table)" : "");
    out.printf(Locale.ROOT, "%.3f h of audio in %.1f s (%.1f audio-hours per hour; analysis %.1f s), %d segments,"
        + " model %s%n", report.audioSeconds() / 3600, report.wallSeconds(), report.audioHoursPerHour(),
        report.analyseSeconds(), report.segments(), report.model());
    if (report.ignoredFiles() > 0) {
      out.printf(Locale.ROOT, "%d file(s) under the input did not match %s and were not read%n",
          report.ignoredFiles(), options.pattern());
    }
    if (report.specialFiles() > 0) {
      out.printf(Locale.ROOT, "%d entr%s under the input %s not regular files (FIFO, device, socket) and were not"
          + " read%n", report.specialFiles(), report.specialFiles() == 1 ? "y" : "ies",
          report.specialFiles() == 1 ? "is" : "are");
    }
    out.flush();
  }

  /** {@code tingxin batch VERSION, Apache Spark VERSION}. */
  public static String version() {
    String v = BatchLauncher.class.getPackage().getImplementationVersion();
    return "tingxin batch " + (v == null ? "(unknown version)" : v) + ", Apache Spark "
        + org.apache.spark.package$.MODULE$.SPARK_VERSION();
  }

  private static SparkSession session(Optional<String> master, Map<String, String> sparkConf) {
    String m = master.orElseGet(() -> System.getProperty("spark.master", "local[*]"));
    SparkSession.Builder b = SparkSession.builder().appName("tingxin batch").master(m);
    if (m.startsWith("local")) {
      // On one machine: no web UI port, nothing bound beyond loopback, few shuffle partitions (the only
      // shuffle is the small callers aggregation).
      b.config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "4");
    }
    sparkConf.forEach(b::config);
    try {
      return b.getOrCreate();
    } catch (Exception e) {
      throw SparkFailures.ofSession(m, e);
    }
  }
}
