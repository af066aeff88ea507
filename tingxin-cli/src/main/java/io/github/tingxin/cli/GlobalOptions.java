package io.github.tingxin.cli;

import picocli.CommandLine.Option;

/** Options every command takes. */
final class GlobalOptions {
  @Option(names = {"-v", "--verbose"},
      description = "Print a stack trace with an error, and log at debug level (never audio or scores).")
  boolean verbose;

  @Option(names = {"-q", "--quiet"}, description = "No progress bar and no notes on standard error; errors still print.")
  boolean quiet;
}
