package io.github.tingxin.cli;

import io.github.tingxin.api.ErrorCode;

/**
 * The process exit codes of {@code tingxin}, documented in docs/cli.md. Scripts switch on them, so they
 * never change meaning.
 */
final class ExitCodes {
  /** Everything worked. */
  static final int OK = 0;
  /** Bad usage: unknown command or option, malformed or out-of-range option value. */
  static final int USAGE = 1;
  /** Input audio that cannot be read or used (missing file, not WAV, corrupt, empty, wrong channel). */
  static final int BAD_AUDIO = 2;
  /** Model package missing or invalid, or its manifest and graph disagree. */
  static final int BAD_MODEL = 3;
  /** Runtime failure: no backend, device unavailable, inference failed, out of memory. */
  static final int RUNTIME = 4;
  /** An output file (chart, .npy) could not be written. */
  static final int OUTPUT = 5;
  /** A bug in Tingxin: an exception nobody expected (rerun with --verbose and report it). */
  static final int INTERNAL = 70;
  /** Interrupted (Ctrl-C, SIGINT), as shells report 128 + 2. */
  static final int INTERRUPTED = 130;

  private ExitCodes() {}

  /** The exit code for a failure with {@code code}. */
  static int of(ErrorCode code) {
    return switch (code) {
      case NOT_RIFF_WAVE, HEADER_TRUNCATED, MISSING_FMT_CHUNK, MISSING_DATA_CHUNK, UNSUPPORTED_ENCODING,
          INCONSISTENT_FORMAT, DATA_TRUNCATED, NON_FINITE_SAMPLE, IO_ERROR, EMPTY_AUDIO, AUDIO_TOO_LONG,
          UNSUPPORTED_SAMPLE_RATE, INVALID_CHANNEL -> BAD_AUDIO;
      case INVALID_OPTION, UNSUPPORTED_OPTION -> USAGE;
      case MODEL_NOT_FOUND, MANIFEST_INVALID, MODEL_FILE_INVALID, MODEL_MANIFEST_MISMATCH,
          MODEL_OUTPUT_INVALID -> BAD_MODEL;
      case BACKEND_UNAVAILABLE, DEVICE_UNAVAILABLE, INFERENCE_FAILED, STREAM_FINISHED -> RUNTIME;
      case INTERRUPTED -> INTERRUPTED;
    };
  }
}
