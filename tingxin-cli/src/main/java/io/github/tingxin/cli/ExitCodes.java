package io.github.tingxin.cli;

import io.github.tingxin.api.ErrorCode;

/**
 * The process exit codes of {@code tingxin}, documented in docs/cli.md. Scripts switch on them, so they
 * never change meaning. The codes of failures with an {@link ErrorCode} are those of its
 * {@link ErrorCode.Kind}, mapped once (exhaustively) by {@link ErrorCode#kind()}, which the Spark job's
 * spark-submit entry point uses too; the rest are the command line's own.
 */
final class ExitCodes {
  /** Everything worked. */
  static final int OK = 0;
  /** Bad usage: unknown command or option, malformed or out-of-range option value. */
  static final int USAGE = ErrorCode.Kind.USAGE.exitStatus();
  /** Input audio that cannot be read or used (missing file, not WAV, corrupt, empty, wrong channel). */
  static final int BAD_AUDIO = ErrorCode.Kind.AUDIO.exitStatus();
  /** Model package missing or invalid, or its manifest and graph disagree. */
  static final int BAD_MODEL = ErrorCode.Kind.MODEL.exitStatus();
  /** Runtime failure: no backend, device unavailable, inference failed, out of memory. */
  static final int RUNTIME = ErrorCode.Kind.RUNTIME.exitStatus();
  /** Results or an output file (chart, .npy, batch tables) could not be written: standard output failed, disk full. */
  static final int OUTPUT = ErrorCode.Kind.OUTPUT.exitStatus();
  /** The platform failed, not the input or Tingxin: the Spark master or its executors (batch). */
  static final int PLATFORM = ErrorCode.Kind.PLATFORM.exitStatus();
  /** A bug in Tingxin: an exception nobody expected (rerun with --verbose and report it). */
  static final int INTERNAL = 70;
  /** Interrupted (Ctrl-C, SIGINT), as shells report 128 + 2. */
  static final int INTERRUPTED = ErrorCode.Kind.INTERRUPTED.exitStatus();

  private ExitCodes() {}

  /** The exit code for a failure with {@code code}. */
  static int of(ErrorCode code) {
    return code.kind().exitStatus();
  }
}
