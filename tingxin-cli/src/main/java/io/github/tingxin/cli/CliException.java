package io.github.tingxin.cli;

/**
 * A failure the command line itself detects (an output file that cannot be written, an option that needs
 * another), with the exit code to leave with and a message that says what to do.
 */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
