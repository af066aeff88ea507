package io.github.tingxin.api;

/**
 * What went wrong, as a stable code that a program can switch on. The message of the
 * {@link TingxinException} that carries a code says what to do about it; the code itself never changes
 * meaning between releases. Codes are grouped by where they arise.
 *
 * <p>Immutable and thread-safe.
 */
public enum ErrorCode {
  // ---- reading audio ----
  /** The bytes are not a RIFF/WAVE file (wrong magic, or a RIFX/RF64 file that is not supported). */
  NOT_RIFF_WAVE,
  /** The file ends inside the RIFF header or inside a chunk header. */
  HEADER_TRUNCATED,
  /** No {@code fmt } chunk comes before the audio data. */
  MISSING_FMT_CHUNK,
  /** The file has no {@code data} chunk. */
  MISSING_DATA_CHUNK,
  /** The encoding is one Tingxin does not decode (the message names it, e.g. IMA ADPCM 0x0011). */
  UNSUPPORTED_ENCODING,
  /** The header contradicts itself: block align, bit depth, channel count or sample rate do not fit. */
  INCONSISTENT_FORMAT,
  /**
   * The recording declares more channels than the reader takes (default 256; the message says the limit
   * and how to keep the channels wanted): almost always a corrupt header, refused before anything is sized
   * by it.
   */
  TOO_MANY_CHANNELS,
  /** The data chunk is shorter than its header declares (strict reading; the message says by how much). */
  DATA_TRUNCATED,
  /** A floating-point sample is NaN or infinite (the message names the first index). */
  NON_FINITE_SAMPLE,
  /** Reading the source failed (file missing, permission denied, I/O error). */
  IO_ERROR,

  // ---- the audio itself ----
  /** The audio has no samples, where the operation needs some. */
  EMPTY_AUDIO,
  /** The audio is longer than the operation's configured limit. */
  AUDIO_TOO_LONG,
  /** The sample rate is outside what the operation supports. */
  UNSUPPORTED_SAMPLE_RATE,
  /** The requested channel does not exist in the recording. */
  INVALID_CHANNEL,

  // ---- options ----
  /** An option value is out of its valid range or malformed (the message names the option). */
  INVALID_OPTION,
  /** An option is valid in principle but this implementation cannot honour it (never silently ignored). */
  UNSUPPORTED_OPTION,

  // ---- models ----
  /** No model package at the given place (directory, zip or classpath resource). */
  MODEL_NOT_FOUND,
  /** {@code tingxin-model.json} is malformed or a field is missing or invalid (the message names the field). */
  MANIFEST_INVALID,
  /** {@code model.onnx} is missing, truncated or not a model the backend can load. */
  MODEL_FILE_INVALID,
  /**
   * The package itself cannot be read: a damaged zip, a file of it that cannot be read, or an entry beyond
   * the limits of {@code docs/model-package.md} (a model card or graph too large, a zip entry that inflates
   * far beyond its compressed size); the message names the file and the limit.
   */
  MODEL_PACKAGE_UNREADABLE,
  /** The manifest and the model graph disagree (input or output names, ranks, label count). */
  MODEL_MANIFEST_MISMATCH,
  /** The model produced NaN or infinite scores, or an output of the wrong shape. */
  MODEL_OUTPUT_INVALID,

  // ---- running ----
  /** No inference backend is on the class path, or the one named by the override is absent. */
  BACKEND_UNAVAILABLE,
  /**
   * No voice activity detector of the name the segmentation gives is on the class path (the message lists the
   * names that are).
   */
  VAD_UNAVAILABLE,
  /** The requested device (e.g. CUDA) is not available and no fallback was requested. */
  DEVICE_UNAVAILABLE,
  /** The backend failed while running the model. */
  INFERENCE_FAILED,
  /** The operation was interrupted ({@link Thread#interrupt()}); the interrupt flag is set again. */
  INTERRUPTED,
  /** A stream was used after {@link EmotionStream#finish()} or {@link EmotionStream#close()}. */
  STREAM_FINISHED,

  // ---- where results go, and the platform a job runs on ----
  /**
   * Results could not be written: the output is not a writable directory, the disk or quota is full, or the
   * output file system failed (the message names the place). Nothing is reported as done that was not written.
   */
  OUTPUT_FAILED,
  /**
   * The compute platform a job runs on failed, not the input or Tingxin: the Spark master URL is malformed or
   * cannot be reached, the cluster gave the job no executors, or executors were lost more often than Spark
   * retries (the message says which, and what to check).
   */
  CLUSTER_FAILED;

  /**
   * What kind of failure a code is, and the exit status Tingxin's command lines ({@code tingxin} and the Spark
   * job's {@code spark-submit} entry point) leave with for it; documented in {@code docs/cli.md}. Scripts
   * switch on these statuses, so they never change meaning.
   */
  public enum Kind {
    /** Bad usage: an option value out of range or malformed, or options that exclude each other. */
    USAGE(1),
    /** Input audio that cannot be read or used. */
    AUDIO(2),
    /** A model package missing or invalid, or its manifest and graph disagree. */
    MODEL(3),
    /** No backend, device unavailable, inference failed, or a stream used after its end. */
    RUNTIME(4),
    /** Results could not be written: standard output, an output file or a job's tables. */
    OUTPUT(5),
    /** The platform failed, not the input or Tingxin: the Spark master or its executors. */
    PLATFORM(6),
    /** Interrupted, as shells report SIGINT (128 + 2). */
    INTERRUPTED(130);

    private final int exitStatus;

    Kind(int exitStatus) {
      this.exitStatus = exitStatus;
    }

    /** The process exit status for this kind of failure. */
    public int exitStatus() {
      return exitStatus;
    }
  }

  /** What kind of failure this is (one exhaustive map: a new code does not compile until it is placed). */
  public Kind kind() {
    return switch (this) {
      case NOT_RIFF_WAVE, HEADER_TRUNCATED, MISSING_FMT_CHUNK, MISSING_DATA_CHUNK, UNSUPPORTED_ENCODING,
          INCONSISTENT_FORMAT, TOO_MANY_CHANNELS, DATA_TRUNCATED, NON_FINITE_SAMPLE, IO_ERROR, EMPTY_AUDIO,
          AUDIO_TOO_LONG, UNSUPPORTED_SAMPLE_RATE, INVALID_CHANNEL -> Kind.AUDIO;
      case INVALID_OPTION, UNSUPPORTED_OPTION, VAD_UNAVAILABLE -> Kind.USAGE;
      case MODEL_NOT_FOUND, MANIFEST_INVALID, MODEL_FILE_INVALID, MODEL_PACKAGE_UNREADABLE,
          MODEL_MANIFEST_MISMATCH, MODEL_OUTPUT_INVALID -> Kind.MODEL;
      case BACKEND_UNAVAILABLE, DEVICE_UNAVAILABLE, INFERENCE_FAILED, STREAM_FINISHED -> Kind.RUNTIME;
      case INTERRUPTED -> Kind.INTERRUPTED;
      case OUTPUT_FAILED -> Kind.OUTPUT;
      case CLUSTER_FAILED -> Kind.PLATFORM;
    };
  }
}
