package io.github.tingxin.api;

import io.github.tingxin.spi.RecognizerFactory;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Hears how a caller feels: audio in, a timeline of emotions and a call summary out.
 *
 * <pre>{@code
 * try (EmotionRecognizer recognizer = EmotionRecognizer.builder()
 *         .model(ModelPackage.bundledDefault())
 *         .device(Device.CPU)
 *         .build()) {
 *   CallAnalysis call = recognizer.analyze(AudioInput.file(path).channel(0));
 *   call.segments().forEach(s -> System.out.println(s.start() + " " + s.topLabel()));
 * }
 * }</pre>
 *
 * <p>Thread-safe: build one recognizer per model and share it; {@link #analyze} may be called from many
 * threads at once, and concurrent calls give exactly the answers sequential calls give. Each
 * {@link EmotionStream} is single-threaded and belongs to one call. {@link #close()} waits for analyses in
 * progress to finish, then frees the model's native memory; calls after it throw
 * {@link IllegalStateException}. Close is idempotent.
 */
public interface EmotionRecognizer extends AutoCloseable {

  /** A new builder. */
  static Builder builder() {
    return new Builder();
  }

  /**
   * Analyses a whole recording.
   *
   * @param input the recording and its channels
   * @return the analysis; every stretch of speech is scored, however short; no speech gives an analysis with
   *     no segments
   * @throws NullPointerException if {@code input} is null
   * @throws IllegalStateException if the recognizer is closed
   * @throws TingxinException for unreadable audio (see {@link ErrorCode}), {@link ErrorCode#EMPTY_AUDIO}
   *     for a recording with no samples, {@link ErrorCode#INVALID_CHANNEL} for a channel the recording
   *     lacks, {@link ErrorCode#UNSUPPORTED_SAMPLE_RATE} for rates the resampler cannot take,
   *     {@link ErrorCode#INTERRUPTED} if the thread is interrupted
   */
  CallAnalysis analyze(AudioInput input);

  /**
   * Scores audio clips as given, one segment each, without voice activity detection or cutting. Clips at
   * another rate are resampled. The results' times are those of each clip alone. A clip shorter than the
   * model's minimum is scored by its short-input rule ({@link ModelManifest.ShortInput}) and flagged
   * ({@link SegmentResult#shortInput()}).
   *
   * @param clips the clips
   * @return one result per clip, in order
   * @throws IllegalStateException if the recognizer is closed
   * @throws TingxinException {@link ErrorCode#EMPTY_AUDIO} for an empty clip or one shorter than the floor
   *     ({@link ModelManifest.SegmentLimits#FLOOR_SECONDS}, or one feature frame of the model where that is
   *     longer), and as for analyze
   */
  List<SegmentResult> score(List<Audio> clips);

  /**
   * Opens a live stream for one call.
   *
   * @param sampleRate the rate of the samples that will be fed
   * @param listener receives segments and alerts
   * @return the stream, which the caller owns and closes
   * @throws IllegalStateException if the recognizer is closed
   * @throws TingxinException {@link ErrorCode#UNSUPPORTED_SAMPLE_RATE} if the rate cannot be resampled
   */
  EmotionStream openStream(int sampleRate, StreamListener listener);

  /** The manifest of the model in use. */
  ModelManifest model();

  /** The settings this recognizer was built with. */
  RecognizerConfig config();

  /** Waits for running analyses, then frees native memory. Idempotent. */
  @Override
  void close();

  /**
   * Everything a recognizer is built from.
   *
   * <p>Immutable and thread-safe.
   *
   * @param model the model package
   * @param device where inference runs
   * @param intraOpThreads threads one inference may use; 0 lets the backend choose
   * @param batchSize segments scored in one inference call, at least 1
   * @param segmentation how speech is found and cut
   * @param alertRule when live streams raise alerts
   * @param negativeThreshold negative probability at which a segment counts as negative in summaries
   * @param maxAudioSeconds longest recording {@link #analyze} accepts (streams are unbounded)
   * @param backend name of the inference backend to use, or empty for the highest-ranked available
   */
  record RecognizerConfig(ModelPackage model, Device device, int intraOpThreads, int batchSize,
      Segmentation segmentation, AlertRule alertRule, double negativeThreshold, double maxAudioSeconds,
      Optional<String> backend) {
    /**
     * @throws NullPointerException if a reference is null
     * @throws IllegalArgumentException naming the invalid field
     */
    public RecognizerConfig {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(device, "device");
      Objects.requireNonNull(segmentation, "segmentation");
      Objects.requireNonNull(alertRule, "alertRule");
      Objects.requireNonNull(backend, "backend");
      if (intraOpThreads < 0) {
        throw new IllegalArgumentException("intraOpThreads must be >= 0, was " + intraOpThreads);
      }
      if (batchSize < 1 || batchSize > 1024) {
        throw new IllegalArgumentException("batchSize must be in 1..1024, was " + batchSize);
      }
      if (!(negativeThreshold > 0 && negativeThreshold < 1)) {
        throw new IllegalArgumentException("negativeThreshold must be in (0, 1), was " + negativeThreshold);
      }
      if (!(maxAudioSeconds > 0)) {
        throw new IllegalArgumentException("maxAudioSeconds must be > 0, was " + maxAudioSeconds);
      }
    }
  }

  /**
   * Builds a recognizer. Each setter validates its argument at once and says so in {@code @throws}.
   *
   * <p>Not thread-safe; use one builder from one thread.
   */
  final class Builder {
    private ModelPackage model;
    private Device device = Device.CPU;
    private int intraOpThreads = 0;
    private int batchSize = 8;
    private Segmentation segmentation = Segmentation.DEFAULT;
    private AlertRule alertRule = AlertRule.DEFAULT;
    private double negativeThreshold = 0.5;
    private double maxAudioSeconds = 4 * 3600;
    private String backend;

    Builder() {}

    /**
     * The model to run (required).
     *
     * @throws NullPointerException if {@code model} is null
     */
    public Builder model(ModelPackage model) {
      this.model = Objects.requireNonNull(model, "model");
      return this;
    }

    /**
     * Where inference runs; default {@link Device#CPU}.
     *
     * @throws NullPointerException if {@code device} is null
     */
    public Builder device(Device device) {
      this.device = Objects.requireNonNull(device, "device");
      return this;
    }

    /**
     * Threads one inference may use; 0 (the default) lets the backend choose.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder threads(int intraOpThreads) {
      if (intraOpThreads < 0) {
        throw new IllegalArgumentException("threads must be >= 0, was " + intraOpThreads);
      }
      this.intraOpThreads = intraOpThreads;
      return this;
    }

    /**
     * Segments per inference call; default 8.
     *
     * @throws IllegalArgumentException if outside 1..1024
     */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1 || batchSize > 1024) {
        throw new IllegalArgumentException("batchSize must be in 1..1024, was " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /**
     * How speech is found and cut; default {@link Segmentation#DEFAULT}.
     *
     * @throws NullPointerException if {@code segmentation} is null
     */
    public Builder segmentation(Segmentation segmentation) {
      this.segmentation = Objects.requireNonNull(segmentation, "segmentation");
      return this;
    }

    /**
     * When live streams raise alerts; default {@link AlertRule#DEFAULT}.
     *
     * @throws NullPointerException if {@code rule} is null
     */
    public Builder alertRule(AlertRule rule) {
      this.alertRule = Objects.requireNonNull(rule, "rule");
      return this;
    }

    /**
     * Negative probability at which a segment counts as negative in summaries; default 0.5.
     *
     * @throws IllegalArgumentException if outside (0, 1)
     */
    public Builder negativeThreshold(double threshold) {
      if (!(threshold > 0 && threshold < 1)) {
        throw new IllegalArgumentException("negativeThreshold must be in (0, 1), was " + threshold);
      }
      this.negativeThreshold = threshold;
      return this;
    }

    /**
     * Longest recording {@link EmotionRecognizer#analyze} accepts; default 4 hours. Longer calls belong in
     * a stream.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxAudioSeconds(double seconds) {
      if (!(seconds > 0) || Double.isInfinite(seconds)) {
        throw new IllegalArgumentException("maxAudioSeconds must be finite and > 0, was " + seconds);
      }
      this.maxAudioSeconds = seconds;
      return this;
    }

    /**
     * Uses the named inference backend (e.g. {@code onnxruntime}) instead of the highest-ranked one. The
     * system property {@value io.github.tingxin.spi.InferenceBackend#OVERRIDE_PROPERTY} does the same for
     * a whole application.
     *
     * @throws NullPointerException if {@code name} is null
     */
    public Builder backend(String name) {
      this.backend = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The settings as they stand. @throws IllegalStateException if no model was set */
    public RecognizerConfig config() {
      if (model == null) {
        throw new IllegalStateException("no model: call model(ModelPackage.load(path)) or "
            + "model(ModelPackage.bundledDefault()) first");
      }
      return new RecognizerConfig(model, device, intraOpThreads, batchSize, segmentation, alertRule,
          negativeThreshold, maxAudioSeconds, Optional.ofNullable(backend));
    }

    /**
     * Builds the recognizer, loading the model into the backend.
     *
     * @return the recognizer, which the caller owns and closes
     * @throws IllegalStateException if no model was set
     * @throws TingxinException {@link ErrorCode#BACKEND_UNAVAILABLE} if sentiment-core or a backend is
     *     missing, {@link ErrorCode#DEVICE_UNAVAILABLE} if the device is absent,
     *     {@link ErrorCode#MODEL_FILE_INVALID} or {@link ErrorCode#MODEL_MANIFEST_MISMATCH} for a bad model
     */
    public EmotionRecognizer build() {
      RecognizerConfig config = config();
      RecognizerFactory factory = ServiceLoader.load(RecognizerFactory.class, EmotionRecognizer.class.getClassLoader())
          .findFirst()
          .or(() -> ServiceLoader.load(RecognizerFactory.class).findFirst())
          .orElseThrow(() -> new TingxinException(ErrorCode.BACKEND_UNAVAILABLE,
              "No recognizer implementation found; add io.github.tingxin:sentiment-core to the class path."));
      return factory.create(config);
    }
  }
}
