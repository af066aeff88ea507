package io.github.tingxin.cli;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Entry point of the {@code tingxin} command line ({@code java -jar tingxin.jar COMMAND ...}); see
 * docs/cli.md. Exit codes are those of {@link ExitCodes}.
 *
 * <p>Not thread-safe: one run per process.
 */
public final class Main {
  private Main() {}

  /**
   * Runs the command line and exits the JVM with its exit code. Under a locale that is not UTF-8 it first
   * runs itself again under one ({@link Utf8Relaunch}); for {@code batch} it loads Spark from
   * {@code lib/spark/} ({@link BatchSupport}).
   *
   * @param args the command line
   */
  public static void main(String[] args) throws Exception {
    Optional<String[]> relaunched = Utf8Relaunch.arguments();
    String[] effective = relaunched.orElse(args);
    if (relaunched.isEmpty() && Utf8Relaunch.needed(args)) {
      System.exit(Utf8Relaunch.run(args));
    }
    Optional<Path> spark = BatchSupport.sparkLibraries(effective);
    if (spark.isPresent()) {
      BatchSupport.mainWithSpark(spark.get(), effective);
      return;
    }
    // Results are written to the file descriptor itself: System.out is a PrintStream, which would swallow
    // the error of a full disk.
    int code = run(effective, System.in, new FileOutputStream(FileDescriptor.out), System.err);
    System.exit(code);
  }

  /**
   * Runs the command line without exiting.
   *
   * @param args the command line
   * @param in standard input (for {@code stream})
   * @param out where results go; a failure to write them is exit code 5
   * @param err where messages, notes and the progress bar go
   * @return the exit code
   */
  static int run(String[] args, InputStream in, OutputStream out, PrintStream err) {
    boolean verbose = List.of(args).contains("--verbose") || List.of(args).contains("-v");
    configureLogging(verbose);
    // Charts render off-screen; never try to open a display.
    System.setProperty("java.awt.headless", "true");

    ResultOutput results = new ResultOutput(out);
    PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    int code;
    try {
      TingxinCommand root = new TingxinCommand(in, results, err);
      CommandLine cli = new CommandLine(root);
      cli.addSubcommand("batch", BatchSupport.command());
      cli.addSubcommand("help", new CommandLine.HelpCommand());
      cli.setOut(results.writer());
      cli.setErr(errWriter);
      cli.setCaseInsensitiveEnumValuesAllowed(true);
      // '@name' is an audio file's name here, never a file of more arguments: picocli's expansion would read
      // any file an argument names, and a folder ('@/') escaped it as an InitializationException.
      cli.setExpandAtFiles(false);
      cli.setParameterExceptionHandler((ex, arguments) -> {
        errWriter.println("tingxin: error: " + Text.printable(oneLine(ex.getMessage())) + " (see '"
            + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help') [" + ErrorCode.INVALID_OPTION + "]");
        return ExitCodes.USAGE;
      });
      cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> report(ex, errWriter,
          verbose || isVerbose(parseResult)));
      code = cli.execute(args);
      if (code == ExitCodes.OK) {
        results.check();
      }
    } catch (Throwable failure) {
      // What picocli lets through: errors (an OutOfMemoryError above all), and a failed final check.
      code = report(failure, errWriter, verbose);
    }
    errWriter.flush();
    return code;
  }

  /** Prints one line for {@code failure} (and its stack trace when asked) and returns its exit code. */
  static int report(Throwable failure, PrintWriter err, boolean stackTrace) {
    int code;
    String message;
    if (failure instanceof CliException c) {
      code = c.exitCode();
      message = c.getMessage();
      if (c.getCause() instanceof TingxinException t) {
        message = message + " [" + t.code() + "]";
      }
    } else if (failure instanceof TingxinException t) {
      code = ExitCodes.of(t.code());
      message = t.getMessage() + " [" + t.code() + "]";
    } else if (failure instanceof OutOfMemoryError) {
      code = ExitCodes.RUNTIME;
      message = "out of memory; give Java more (TINGXIN_JAVA_OPTS=-Xmx4g bin/tingxin ..., or java -Xmx4g -jar"
          + " tingxin.jar ...), or analyse long calls with 'tingxin stream'";
    } else if (failure instanceof IllegalArgumentException) {
      // Raised by the API's validated builders and records: an option value out of range.
      code = ExitCodes.USAGE;
      message = failure.getMessage() + " [" + ErrorCode.INVALID_OPTION + "]";
    } else {
      code = ExitCodes.INTERNAL;
      message = "unexpected " + failure.getClass().getSimpleName() + ": " + failure.getMessage()
          + "; this is a bug in Tingxin: rerun with --verbose and report the stack trace";
    }
    err.println("tingxin: error: " + Text.printable(oneLine(CliHints.forCommandLine(message))));
    if (stackTrace) {
      failure.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  static String oneLine(String message) {
    return message == null ? "(no message)" : message.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }

  private static boolean isVerbose(ParseResult result) {
    for (ParseResult r = result; r != null; r = r.subcommand()) {
      if (r.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Logs go to standard error at WARN (DEBUG with --verbose) unless the user configured slf4j-simple
   * already. Libraries never log audio or scores; the CLI logs nothing of the sort either.
   */
  private static void configureLogging(boolean verbose) {
    setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "warn");
    setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
    setIfAbsent("org.slf4j.simpleLogger.levelInBrackets", "true");
    // `tingxin batch` runs Spark here: its and Hadoop's start-up chatter (host names, native-library
    // notices) is noise on a command line, and so are their error logs: each failure that ends a run is
    // reported once, as the one-line error with its code, and --verbose shows Spark's own account.
    // With --verbose they log at INFO, not DEBUG: Spark's debug output (generated code, every RPC) buries
    // everything else.
    for (String noisy : List.of("org.apache.spark", "org.apache.hadoop", "org.sparkproject", "io.netty",
        "org.apache.parquet")) {
      setIfAbsent("org.slf4j.simpleLogger.log." + noisy, verbose ? "info" : "off");
    }
    // Spark's launcher sets this for Java 17+; netty reads it once, when Spark first loads it.
    setIfAbsent("io.netty.tryReflectionSetAccessible", "true");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
