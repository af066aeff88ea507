package io.github.tingxin.spark;

import io.github.tingxin.api.Device;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tingxin batch}: runs {@link BatchJob} on a Spark session it makes: {@code local[*]} unless
 * {@code --master} or spark-submit names another. The same class is the main class of the job jar, so
 * {@code spark-submit ... sentiment-spark-VERSION-job.jar IN --out DIR} takes exactly these options.
 *
 * <p>Not thread-safe: one instance parses and runs one command line.
 */
@Command(name = "batch", mixinStandardHelpOptions = true, versionProvider = BatchCommand.Version.class,
    description = {"Analyse an archive of recorded calls on Apache Spark and write Parquet tables:",
        "OUT/segments, OUT/calls, OUT/errors (and OUT/callers with --callers); OUT/_runs records each run.",
        "Files that cannot be analysed go to the errors table; they never stop the run."},
    footer = {"", "INPUT is a directory (searched recursively for --pattern), a glob, one WAV file, or a manifest",
        "(.csv with a header, or .parquet) with the column path and optionally call_id, caller_id, channel",
        "and started_at. Relative paths in a manifest are relative to the manifest. See docs/batch.md.", ""})
public final class BatchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "INPUT", description = "Directory, glob, WAV file, or manifest (.csv/.parquet).")
  String input;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory for the tables.")
  String out;

  @Option(names = "--incremental",
      description = "Add to existing tables: skip calls already in them, analyse the rest as a new run.")
  boolean incremental;

  @Option(names = "--overwrite", description = "Replace existing tables (only Tingxin's directories under DIR).")
  boolean overwrite;

  @Option(names = {"-m", "--model"}, paramLabel = "PATH",
      description = "Model package directory or zip; default: the bundled model.")
  String model;

  @Option(names = "--channel", paramLabel = "SPEC", defaultValue = "downmix",
      description = "Channels for files the manifest gives none for: downmix, N (channel N as the caller), or C,O"
          + " (caller and operator channels). Default: ${DEFAULT-VALUE}.")
  String channel;

  @Option(names = "--pattern", paramLabel = "GLOB", defaultValue = "*.wav",
      description = "File names a directory input is searched for (case-insensitive). Default: ${DEFAULT-VALUE}.")
  String pattern;

  @Option(names = "--callers", description = "Also write OUT/callers: per caller, across all calls.")
  boolean callers;

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master; default: spark-submit's, else local[*] (all cores of this machine).")
  String master;

  @Option(names = "--partitions", paramLabel = "N", defaultValue = "0",
      description = "Tasks to spread the calls over; default 0: four per core, and at most ~250 calls a task.")
  int partitions;

  @Option(names = "--balance", paramLabel = "HOW", defaultValue = "bytes",
      description = "Spread calls over tasks by bytes (a manifest's file sizes are looked up by Spark tasks) or by"
          + " count (no lookups: for a large manifest on HDFS or S3). Default: ${DEFAULT-VALUE}.")
  String balance;

  @Option(names = "--threads-per-task", paramLabel = "N", defaultValue = "1",
      description = "Inference threads per Spark task (Spark runs one task per core). Default: ${DEFAULT-VALUE}.")
  int threadsPerTask;

  @Option(names = "--device", paramLabel = "DEV", defaultValue = "cpu",
      description = "cpu, cuda or cuda:N, with ? after for \"if available\" (executors). Default: ${DEFAULT-VALUE}.")
  String device;

  @Option(names = "--negative-threshold", paramLabel = "P", defaultValue = "0.5",
      description = "Negative probability at which speech counts as negative. Default: ${DEFAULT-VALUE}.")
  double negativeThreshold;

  @Option(names = "--max-audio-seconds", paramLabel = "S", defaultValue = "14400",
      description = "Longest call analysed; longer ones go to the errors table. Default: ${DEFAULT-VALUE}.")
  double maxAudioSeconds;

  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting for the session (repeatable).")
  Map<String, String> conf = new LinkedHashMap<>();

  @Option(names = {"-v", "--verbose"},
      description = "Print a stack trace with an error, and let Spark log at its own levels (never audio or scores).")
  boolean verbose;

  @Option(names = {"-q", "--quiet"},
      description = "No progress lines on standard error (every " + BatchJob.PROGRESS_SECONDS + " s while calls are"
          + " analysed); errors still print.")
  boolean quiet;

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = BatchCommand.class.getPackage().getImplementationVersion();
      return new String[] {"tingxin batch " + (v == null ? "(unknown version)" : v) + ", Apache Spark "
          + org.apache.spark.package$.MODULE$.SPARK_VERSION()};
    }
  }

  /** For picocli. */
  public BatchCommand() {}

  /**
   * The job jar's entry point for spark-submit.
   *
   * @param args as for {@code tingxin batch}
   */
  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new BatchCommand());
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      commandLine.getErr().println("tingxin batch: error: " + ex.getMessage()
          + (ex instanceof TingxinException t ? " [" + t.code() + "]" : ""));
      return exitCode(ex);
    });
    System.exit(cli.execute(args));
  }

  @Override
  public Integer call() {
    if (incremental && overwrite) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "--incremental and --overwrite exclude each other");
    }
    BatchOptions options = BatchOptions.builder(input, out)
        .mode(incremental ? BatchOptions.WriteMode.INCREMENTAL
            : overwrite ? BatchOptions.WriteMode.OVERWRITE : BatchOptions.WriteMode.ERROR_IF_EXISTS)
        .model(model)
        .channel(channel)
        .pattern(pattern)
        .callers(callers)
        .partitions(partitions)
        .balance(switch (balance.toLowerCase(Locale.ROOT)) {
          case "bytes" -> BatchOptions.Balance.BYTES;
          case "count" -> BatchOptions.Balance.COUNT;
          default -> throw new TingxinException(ErrorCode.INVALID_OPTION,
              "--balance must be bytes or count, was '" + balance + "'");
        })
        .threadsPerTask(threadsPerTask)
        .device(Device.parse(device))
        .negativeThreshold(negativeThreshold)
        .maxAudioSeconds(maxAudioSeconds)
        .build();
    BatchReport report;
    SparkSession spark = session();
    PrintWriter err = spec.commandLine().getErr();
    BatchJob.Progress progress = quiet ? (done, total, seconds) -> { } : (done, total, seconds) -> {
      err.printf(Locale.ROOT, "tingxin batch: %d of %d calls analysed (%.1f %%) in %.0f s%n", done, total,
          total == 0 ? 100.0 : 100.0 * done / total, seconds);
      err.flush();
    };
    try {
      report = BatchJob.run(spark, options, progress);
    } finally {
      spark.stop();
    }
    PrintWriter o = spec.commandLine().getOut();
    o.printf(Locale.ROOT, "run %d into %s: %d inputs, %d skipped (done before), %d analysed, %d failed%s%n",
        report.run(), out, report.inputs(), report.skipped(), report.analysed(), report.failed(),
        report.failed() > 0 ? " (see the errors table)" : "");
    o.printf(Locale.ROOT, "%.3f h of audio in %.1f s (%.1f audio-hours per hour; analysis %.1f s), %d segments,"
        + " model %s%n", report.audioSeconds() / 3600, report.wallSeconds(), report.audioHoursPerHour(),
        report.analyseSeconds(), report.segments(), report.model());
    if (report.ignoredFiles() > 0) {
      o.printf(Locale.ROOT, "%d file(s) under the input did not match %s and were not read%n", report.ignoredFiles(),
          pattern);
    }
    if (report.specialFiles() > 0) {
      o.printf(Locale.ROOT, "%d entr%s under the input %s not regular files (FIFO, device, socket) and were not"
          + " read%n", report.specialFiles(), report.specialFiles() == 1 ? "y" : "ies",
          report.specialFiles() == 1 ? "is" : "are");
    }
    o.flush();
    return 0;
  }

  private SparkSession session() {
    String m = master != null ? master : System.getProperty("spark.master", "local[*]");
    SparkSession.Builder b = SparkSession.builder().appName("tingxin batch").master(m);
    if (m.startsWith("local")) {
      // On one machine: no web UI port, nothing bound beyond loopback, few shuffle partitions (the only
      // shuffle is the small callers aggregation).
      b.config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "4");
    }
    conf.forEach(b::config);
    try {
      return b.getOrCreate();
    } catch (Exception e) {
      throw SparkFailures.ofSession(m, e);
    }
  }

  /** The exit codes of the {@code tingxin} command line (docs/cli.md), for the spark-submit entry point. */
  static int exitCode(Throwable failure) {
    if (failure instanceof TingxinException t) {
      return switch (t.code()) {
        case INVALID_OPTION, UNSUPPORTED_OPTION, VAD_UNAVAILABLE -> 1;
        case MODEL_NOT_FOUND, MANIFEST_INVALID, MODEL_FILE_INVALID, MODEL_PACKAGE_UNREADABLE,
            MODEL_MANIFEST_MISMATCH, MODEL_OUTPUT_INVALID -> 3;
        case BACKEND_UNAVAILABLE, DEVICE_UNAVAILABLE, INFERENCE_FAILED, STREAM_FINISHED -> 4;
        case INTERRUPTED -> 130;
        case OUTPUT_FAILED -> 5;
        case CLUSTER_FAILED -> 6;
        default -> 2;
      };
    }
    return failure instanceof IllegalArgumentException ? 1 : 70;
  }
}
