package io.github.tingxin.spark;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The job jar's entry point for spark-submit: {@code spark-submit ... --class
 * io.github.tingxin.spark.BatchCommand sentiment-spark-VERSION-job.jar INPUT --out DIR [options]}, with the
 * options of {@code tingxin batch} (read by {@link BatchArguments}, without picocli). It runs {@link BatchJob}
 * through {@link BatchLauncher} and exits as {@code tingxin} does: 0 when the run finished (bad files are
 * rows of the errors table), else the exit status of the failure's {@link ErrorCode.Kind}, with one line on
 * standard error ending in the code; 70 for a defect in Tingxin.
 *
 * <p>Not thread-safe: one run per process.
 */
public final class BatchCommand {
  /** Exit status for an exception nobody expected: a bug in Tingxin (docs/cli.md). */
  static final int INTERNAL = 70;

  private BatchCommand() {}

  /**
   * Runs a batch and exits the JVM with its status.
   *
   * @param args as for {@code tingxin batch}
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs a batch without exiting; returns the exit status. */
  static int run(String[] args, PrintStream stdout, PrintStream stderr) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true);
    boolean verbose = java.util.List.of(args).contains("-v") || java.util.List.of(args).contains("--verbose");
    try {
      BatchArguments a = BatchArguments.parse(args);
      if (a.help()) {
        out.println(BatchArguments.USAGE);
        return 0;
      }
      if (a.version()) {
        out.println(BatchLauncher.version());
        return 0;
      }
      BatchReport report = BatchLauncher.run(a.options(), a.master(), a.sparkConf(), a.quiet(), err);
      BatchLauncher.printReport(out, report, a.options());
      return 0;
    } catch (TingxinException e) {
      return fail(err, e.getMessage() + " [" + e.code() + "]", e, verbose, e.code().kind().exitStatus());
    } catch (OutOfMemoryError e) {
      return fail(err, "out of memory on the driver; give it more (spark-submit --driver-memory)", e, verbose,
          ErrorCode.Kind.RUNTIME.exitStatus());
    } catch (RuntimeException e) {
      return fail(err, "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()
          + "; this is a bug in Tingxin: rerun with --verbose and report the stack trace", e, verbose, INTERNAL);
    }
  }

  private static int fail(PrintWriter err, String message, Throwable failure, boolean verbose, int status) {
    err.println("tingxin batch: error: " + (message == null ? "(no message)"
        : message.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ")));
    if (verbose) {
      failure.printStackTrace(err);
    }
    err.flush();
    return status;
  }
}
