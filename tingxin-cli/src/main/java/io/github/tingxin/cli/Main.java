package io.github.tingxin.cli;

import io.github.tingxin.api.TingxinException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
   * Runs the command line and exits the JVM with its exit code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    int code = run(args, System.in, System.out, System.err);
    System.exit(code);
  }

  /**
   * Runs the command line without exiting.
   *
   * @param args the command line
   * @param in standard input (for {@code stream})
   * @param out where results go
   * @param err where messages, notes and the progress bar go
   * @return the exit code
   */
  static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    boolean verbose = List.of(args).contains("--verbose") || List.of(args).contains("-v");
    configureLogging(verbose);
    // Charts render off-screen; never try to open a display.
    System.setProperty("java.awt.headless", "true");

    PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    TingxinCommand root = new TingxinCommand(in, out, err);
    CommandLine cli = new CommandLine(root);
    cli.setOut(outWriter);
    cli.setErr(errWriter);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setParameterExceptionHandler((ex, arguments) -> {
      errWriter.println("tingxin: error: " + oneLine(ex.getMessage()) + " (see '"
          + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
      return ExitCodes.USAGE;
    });
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      boolean showTrace = verbose || isVerbose(parseResult);
      return report(ex, errWriter, showTrace);
    });
    int code = cli.execute(args);
    outWriter.flush();
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
      message = "out of memory; give Java more with -Xmx (e.g. java -Xmx4g -jar tingxin.jar ...), "
          + "or analyse long calls with 'tingxin stream'";
    } else if (failure instanceof IllegalArgumentException) {
      // Raised by the API's validated builders and records: an option value out of range.
      code = ExitCodes.USAGE;
      message = failure.getMessage();
    } else {
      code = ExitCodes.INTERNAL;
      message = "unexpected " + failure.getClass().getSimpleName() + ": " + failure.getMessage()
          + "; this is a bug in Tingxin: rerun with --verbose and report the stack trace";
    }
    err.println("tingxin: error: " + oneLine(message));
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
    // notices) is noise on a command line; their errors still print.
    // With --verbose they log at INFO, not DEBUG: Spark's debug output (generated code, every RPC) buries
    // everything else.
    for (String noisy : List.of("org.apache.spark", "org.apache.hadoop", "org.sparkproject", "io.netty",
        "org.apache.parquet")) {
      setIfAbsent("org.slf4j.simpleLogger.log." + noisy, verbose ? "info" : "error");
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
