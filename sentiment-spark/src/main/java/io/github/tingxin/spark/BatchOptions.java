package io.github.tingxin.spark;

import io.github.tingxin.api.ChannelSelection;
import io.github.tingxin.api.Device;
import io.github.tingxin.api.RecognizerSettings;
import io.github.tingxin.api.Segmentation;
import java.util.Objects;
import java.util.Optional;

/**
 * What one batch run reads, how it analyses, and where it writes.
 *
 * <p>Immutable and thread-safe. Build with {@link #builder(String, String)}.
 *
 * @param input a directory (searched recursively for {@code pattern}), a glob such as
 *     {@code /archive/2026-0*}/*.wav}, a single WAV file, or a manifest ending in {@code .csv} or
 *     {@code .parquet} with the column {@code path} and optionally {@code call_id}, {@code caller_id},
 *     {@code channel} and {@code started_at}. Any Hadoop file system URI works ({@code file:},
 *     {@code hdfs:}, {@code s3a:} where its connector is on the class path).
 * @param out the output directory: {@code segments/}, {@code calls/}, {@code errors/}, {@code callers/}
 *     and {@code _runs/} under it
 * @param mode what to do when {@code out} already holds tables
 * @param model a model package directory or zip, or a bundled model's name ({@link io.github.tingxin.api.ModelPackage#named}); empty for
 *     the bundled default model
 * @param channel the channel selection for files without one in the manifest ({@code downmix}, {@code N}
 *     or {@code C,O}), in canonical form
 * @param pattern the file-name glob a directory input is searched for (case-insensitive)
 * @param callers whether to write the per-caller table
 * @param partitions how many tasks the calls are spread over; 0 picks four per core, and more for large runs
 *     so that no task holds more than about 250 calls
 * @param balance how calls are spread over the tasks
 * @param recognizer how every executor's recognizer runs: the same {@link RecognizerSettings} as
 *     {@code tingxin analyze} takes, so each call is analysed exactly as {@code analyze} analyses it alone.
 *     Its {@code threads} are per task (Spark runs one task per core) and must be at least 1; its
 *     {@code maxAudioSeconds} sends longer recordings to the errors table
 */
public record BatchOptions(String input, String out, WriteMode mode, Optional<String> model, String channel,
    String pattern, boolean callers, int partitions, Balance balance, RecognizerSettings recognizer) {

  /**
   * The recognizer settings of a batch by default: those of {@code tingxin analyze}, with one inference
   * thread per task, since Spark already runs a task on every core.
   */
  public static final RecognizerSettings DEFAULT_RECOGNIZER = RecognizerSettings.DEFAULT.withThreads(1);

  /** How a run spreads its calls over Spark tasks. */
  public enum Balance {
    /**
     * About the same number of bytes per task (largest file first, each to the least-loaded task). A directory
     * listing gives the sizes; a manifest's are looked up by the tasks of a short Spark job.
     */
    BYTES,
    /**
     * About the same number of calls per task, looking nothing up: for a manifest of many files on a remote
     * file system (HDFS, S3), where a size lookup per file costs more than the balance gains.
     */
    COUNT;

    /**
     * The balance a command line names: {@code bytes} or {@code count}, in any case.
     *
     * @throws IllegalArgumentException naming {@code --balance} for any other text
     */
    public static Balance parse(String text) {
      return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
        case "bytes" -> BYTES;
        case "count" -> COUNT;
        default -> throw new IllegalArgumentException("--balance must be bytes or count, was '" + text + "'");
      };
    }
  }

  /** What a run does with an output directory that already holds Tingxin tables. */
  public enum WriteMode {
    /** Refuse to start: the default, so that no run silently mixes with or replaces another. */
    ERROR_IF_EXISTS,
    /**
     * Delete Tingxin's tables under the output and write them afresh: only what Tingxin's run records there name
     * is deleted, never a file or folder of anyone else's.
     */
    OVERWRITE,
    /**
     * Skip calls whose call id is already in the calls or errors table of a completed run, analyse the rest,
     * and add them as a new run. The model must be the one the earlier runs used.
     */
    INCREMENTAL
  }

  /**
   * @throws NullPointerException if a reference is null
   * @throws IllegalArgumentException naming the invalid field
   */
  public BatchOptions {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(recognizer, "recognizer");
    Objects.requireNonNull(balance, "balance");
    if (input.isBlank()) {
      throw new IllegalArgumentException("input must not be blank");
    }
    if (out.isBlank()) {
      throw new IllegalArgumentException("out must not be blank");
    }
    if (pattern.isBlank()) {
      throw new IllegalArgumentException("pattern must not be blank");
    }
    try {
      channel = ChannelSelection.parse(channel).toString();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    if (partitions < 0) {
      throw new IllegalArgumentException("partitions must be >= 0, was " + partitions);
    }
    if (recognizer.threads() < 1) {
      // 0 would let every task's inference take every core, while Spark runs a task on each of them.
      throw new IllegalArgumentException("threadsPerTask must be >= 1, was " + recognizer.threads());
    }
  }

  /** Threads one task's inference may use: {@code recognizer().threads()}. */
  public int threadsPerTask() {
    return recognizer.threads();
  }

  /**
   * A builder with the defaults: refuse an existing output, the bundled model, downmix, {@code *.wav}, no
   * callers table, automatic partitions balanced by bytes, and {@link #DEFAULT_RECOGNIZER} (the defaults of
   * {@code tingxin analyze}, one thread per task).
   *
   * @param input see {@link BatchOptions}
   * @param out see {@link BatchOptions}
   * @throws NullPointerException if either is null
   */
  public static Builder builder(String input, String out) {
    return new Builder(input, out);
  }

  /** Builds {@link BatchOptions}; not thread-safe. */
  public static final class Builder {
    private final String input;
    private final String out;
    private WriteMode mode = WriteMode.ERROR_IF_EXISTS;
    private String model;
    private String channel = ChannelSelection.DOWNMIX.toString();
    private String pattern = "*.wav";
    private boolean callers;
    private int partitions;
    private Balance balance = Balance.BYTES;
    private RecognizerSettings recognizer = DEFAULT_RECOGNIZER;

    private Builder(String input, String out) {
      this.input = Objects.requireNonNull(input, "input");
      this.out = Objects.requireNonNull(out, "out");
    }

    /** @return this builder */
    public Builder mode(WriteMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** A model package directory or zip, or a bundled model's name; null for the bundled default. @return this builder */
    public Builder model(String model) {
      this.model = model;
      return this;
    }

    /** @return this builder */
    public Builder channel(String channel) {
      this.channel = Objects.requireNonNull(channel, "channel");
      return this;
    }

    /** @return this builder */
    public Builder pattern(String pattern) {
      this.pattern = Objects.requireNonNull(pattern, "pattern");
      return this;
    }

    /** @return this builder */
    public Builder callers(boolean callers) {
      this.callers = callers;
      return this;
    }

    /** @return this builder */
    public Builder partitions(int partitions) {
      this.partitions = partitions;
      return this;
    }

    /** @return this builder */
    public Builder balance(Balance balance) {
      this.balance = Objects.requireNonNull(balance, "balance");
      return this;
    }

    /**
     * All recognizer settings at once; the setters below change single ones.
     *
     * @return this builder
     */
    public Builder recognizer(RecognizerSettings settings) {
      this.recognizer = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * {@link RecognizerSettings#withThreads}, per task.
     *
     * @return this builder
     * @throws IllegalArgumentException if out of the settings' range
     */
    public Builder threadsPerTask(int threads) {
      this.recognizer = recognizer.withThreads(threads);
      return this;
    }

    /** {@link RecognizerSettings#withDevice}. @return this builder */
    public Builder device(Device device) {
      this.recognizer = recognizer.withDevice(device);
      return this;
    }

    /** {@link RecognizerSettings#withSegmentation}. @return this builder */
    public Builder segmentation(Segmentation segmentation) {
      this.recognizer = recognizer.withSegmentation(segmentation);
      return this;
    }

    /**
     * {@link RecognizerSettings#withNegativeThreshold}.
     *
     * @return this builder
     * @throws IllegalArgumentException if out of the settings' range
     */
    public Builder negativeThreshold(double threshold) {
      this.recognizer = recognizer.withNegativeThreshold(threshold);
      return this;
    }

    /**
     * {@link RecognizerSettings#withMaxAudioSeconds}.
     *
     * @return this builder
     * @throws IllegalArgumentException if out of the settings' range
     */
    public Builder maxAudioSeconds(double seconds) {
      this.recognizer = recognizer.withMaxAudioSeconds(seconds);
      return this;
    }

    /**
     * @return the options
     * @throws IllegalArgumentException naming the invalid field
     */
    public BatchOptions build() {
      return new BatchOptions(input, out, mode, Optional.ofNullable(model), channel, pattern, callers, partitions,
          balance, recognizer);
    }
  }
}
