package io.github.tingxin.cli;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.RecognizerSettings;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.spark.BatchLauncher;
import io.github.tingxin.spark.BatchOptions;
import io.github.tingxin.spark.BatchReport;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tingxin batch}: an archive on Apache Spark, with the recognizer, model and channel options of
 * {@code analyze} (the same mixins), so that each call is analysed exactly as {@code analyze} analyses it.
 * Registered only when sentiment-spark and Spark are on the class path ({@link BatchSupport}); the
 * spark-submit entry point {@code io.github.tingxin.spark.BatchCommand} reads the same options without
 * picocli. Not thread-safe: one instance per command line.
 */
@Command(name = "batch", mixinStandardHelpOptions = true, versionProvider = BatchCommand.Version.class,
    sortOptions = false,
    description = {"Analyse an archive of recorded calls on Apache Spark and write Parquet tables:",
        "OUT/segments, OUT/calls, OUT/errors (and OUT/callers with --callers); OUT/_runs records each run.",
        "Files that cannot be analysed go to the errors table; they never stop the run."},
    footer = {"", "INPUT is a directory (searched recursively for --pattern), a glob, one WAV file, or a manifest",
        "(.csv with a header, or .parquet) with the column path and optionally call_id, caller_id, channel",
        "and started_at. Relative paths in a manifest are relative to the manifest. See docs/batch.md.", ""})
final class BatchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin GlobalOptions global;

  @Parameters(index = "0", paramLabel = "INPUT", description = "Directory, glob, WAV file, or manifest (.csv/.parquet).")
  String input;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory for the tables.")
  String out;

  @Option(names = "--incremental",
      description = "Add to existing tables: skip calls already in them, analyse the rest as a new run.")
  boolean incremental;

  @Option(names = "--overwrite", description = "Replace existing tables (only Tingxin's directories under DIR).")
  boolean overwrite;

  @Mixin RecordingOptions recording;

  @Option(names = "--threads-per-task", paramLabel = "N", hidden = true,
      description = "The first release's spelling of --threads (which batch counts per Spark task).")
  String threadsPerTask;

  @Option(names = "--pattern", paramLabel = "GLOB",
      description = "File names a directory input is searched for (case-insensitive). Default: *.wav.")
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

  @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting for the session (repeatable).")
  Map<String, String> conf = new LinkedHashMap<>();

  /** The version of the batch job and of Spark. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {BatchLauncher.version()};
    }
  }

  /**
   * The run's options from the command line: the same {@link BatchOptions} the spark-submit entry point
   * makes of the same arguments.
   *
   * @throws TingxinException {@link ErrorCode#INVALID_OPTION} naming the option
   */
  BatchOptions options() {
    if (incremental && overwrite) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "--incremental and --overwrite exclude each other");
    }
    if (threadsPerTask != null && recording.inference.threads != null) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "--threads and --threads-per-task are one option;"
          + " give it once");
    }
    RecognizerSettings settings = recording.settings(BatchOptions.DEFAULT_RECOGNIZER,
        into -> RecognizerOptions.put(into, "threads", threadsPerTask));
    try {
      BatchOptions.Builder b = BatchOptions.builder(input, out)
          .mode(incremental ? BatchOptions.WriteMode.INCREMENTAL
              : overwrite ? BatchOptions.WriteMode.OVERWRITE : BatchOptions.WriteMode.ERROR_IF_EXISTS)
          .model(recording.model.model == null ? null : recording.model.model.toString())
          .channel(recording.channels.text())
          .callers(callers)
          .partitions(partitions)
          .balance(BatchOptions.Balance.parse(balance))
          .recognizer(settings);
      if (pattern != null) {
        b.pattern(pattern);
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, e.getMessage(), e);
    }
  }

  @Override
  public Integer call() {
    BatchOptions options = options();
    BatchReport report = BatchLauncher.run(options, Optional.ofNullable(master), conf, global.quiet,
        spec.commandLine().getErr());
    BatchLauncher.printReport(spec.commandLine().getOut(), report, options);
    return ExitCodes.OK;
  }
}
