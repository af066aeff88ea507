package io.github.tingxin.api;

import io.github.tingxin.spi.Providers;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
 * {@link EmotionStream} is single-threaded and belongs to one call; the segments of all of a recognizer's
 * streams are scored in shared batches on threads the recognizer starts with its first call. Segments are
 * queued for scoring in a bounded queue: when it is full, the streams' {@code accept} waits. An analysis
 * reads and segments its recording on the calling thread while its earlier segments are scored on those
 * threads (its own batches, never shared, so its answer never depends on other calls); with
 * {@link Builder#threads threads} {@code t > 0} on the CPU there are {@code cores / t} of them, else one.
 * {@link #close()} waits for analyses and stream calls in progress to finish, stops the scoring threads
 * (segments of streams not finished are dropped), then frees the model's native memory; calls after it
 * throw {@link IllegalStateException}. Close is idempotent.
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
   * Everything a recognizer is built from: a model and {@link RecognizerSettings}.
   *
   * <p>Immutable and thread-safe.
   *
   * @param model the model package
   * @param settings how the recognizer runs (validated where {@link RecognizerSettings} is built)
   */
  record RecognizerConfig(ModelPackage model, RecognizerSettings settings) {
    /** @throws NullPointerException if either is null */
    public RecognizerConfig {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(settings, "settings");
    }

    /** {@link RecognizerSettings#device()}. */
    public Device device() {
      return settings.device();
    }

    /** {@link RecognizerSettings#threads()}: threads one inference may use; 0 lets the backend choose. */
    public int intraOpThreads() {
      return settings.threads();
    }

    /** {@link RecognizerSettings#batchSize()}. */
    public int batchSize() {
      return settings.batchSize();
    }

    /** {@link RecognizerSettings#segmentation()}. */
    public Segmentation segmentation() {
      return settings.segmentation();
    }

    /** {@link RecognizerSettings#alertRule()}. */
    public AlertRule alertRule() {
      return settings.alertRule();
    }

    /** {@link RecognizerSettings#negativeThreshold()}. */
    public double negativeThreshold() {
      return settings.negativeThreshold();
    }

    /** {@link RecognizerSettings#maxAudioSeconds()}. */
    public double maxAudioSeconds() {
      return settings.maxAudioSeconds();
    }

    /** {@link RecognizerSettings#prosody()}: whether segments carry {@link ProsodicCues}. */
    public boolean prosody() {
      return settings.prosody();
    }

    /** {@link RecognizerSettings#backend()}, empty for the highest-ranked available. */
    public Optional<String> backend() {
      return settings.backend().isEmpty() ? Optional.empty() : Optional.of(settings.backend());
    }
  }

  /**
   * Builds a recognizer. Each setter validates its argument at once (the ranges are those of
   * {@link RecognizerSettings}, checked there) and says so in {@code @throws}.
   *
   * <p>Not thread-safe; use one builder from one thread.
   */
  final class Builder {
    private ModelPackage model;
    private RecognizerSettings settings = RecognizerSettings.DEFAULT;

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
     * All settings at once (default {@link RecognizerSettings#DEFAULT}); later setters change single ones.
     *
     * @throws NullPointerException if {@code settings} is null
     */
    public Builder settings(RecognizerSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * Where inference runs; default {@link Device#CPU}.
     *
     * @throws NullPointerException if {@code device} is null
     */
    public Builder device(Device device) {
      settings = settings.withDevice(device);
      return this;
    }

    /**
     * Threads one inference may use; 0 (the default) lets the backend choose.
     *
     * @throws IllegalArgumentException if outside 0..{@value RecognizerSettings#MAX_THREADS}
     */
    public Builder threads(int intraOpThreads) {
      settings = settings.withThreads(intraOpThreads);
      return this;
    }

    /**
     * Segments per inference call; default 8.
     *
     * @throws IllegalArgumentException if outside 1..{@value RecognizerSettings#MAX_BATCH_SIZE}
     */
    public Builder batchSize(int batchSize) {
      settings = settings.withBatchSize(batchSize);
      return this;
    }

    /**
     * How speech is found and cut; default {@link Segmentation#DEFAULT}.
     *
     * @throws NullPointerException if {@code segmentation} is null
     */
    public Builder segmentation(Segmentation segmentation) {
      settings = settings.withSegmentation(segmentation);
      return this;
    }

    /**
     * When live streams raise alerts; default {@link AlertRule#DEFAULT}.
     *
     * @throws NullPointerException if {@code rule} is null
     */
    public Builder alertRule(AlertRule rule) {
      settings = settings.withAlertRule(Objects.requireNonNull(rule, "rule"));
      return this;
    }

    /**
     * Negative probability at which a segment counts as negative in summaries; default 0.5.
     *
     * @throws IllegalArgumentException if outside (0, 1)
     */
    public Builder negativeThreshold(double threshold) {
      settings = settings.withNegativeThreshold(threshold);
      return this;
    }

    /**
     * Longest recording {@link EmotionRecognizer#analyze} accepts; default 4 hours. Longer calls belong in
     * a stream.
     *
     * @throws IllegalArgumentException if not finite and positive
     */
    public Builder maxAudioSeconds(double seconds) {
      settings = settings.withMaxAudioSeconds(seconds);
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
      settings = settings.withBackend(Objects.requireNonNull(name, "name"));
      return this;
    }

    /**
     * Whether each segment carries its {@link ProsodicCues} (pitch, loudness, rate, pauses, jitter, shimmer;
     * {@link SegmentResult#prosody()}); default off.
     */
    public Builder prosody(boolean prosody) {
      settings = settings.withProsody(prosody);
      return this;
    }

    /** The settings as they stand. @throws IllegalStateException if no model was set */
    public RecognizerConfig config() {
      if (model == null) {
        throw new IllegalStateException("no model: call model(ModelPackage.load(path)) or "
            + "model(ModelPackage.bundledDefault()) first");
      }
      return new RecognizerConfig(model, settings);
    }

    /**
     * Builds the recognizer, loading the model into the backend.
     *
     * @return the recognizer, which the caller owns and closes
     * @throws IllegalStateException if no model was set
     * @throws TingxinException {@link ErrorCode#BACKEND_UNAVAILABLE} if sentiment-core or a backend is
     *     missing, {@link ErrorCode#VAD_UNAVAILABLE} if no voice activity detector has the segmentation's name,
     *     {@link ErrorCode#DEVICE_UNAVAILABLE} if the device is absent,
     *     {@link ErrorCode#MODEL_FILE_INVALID} or {@link ErrorCode#MODEL_MANIFEST_MISMATCH} for a bad model
     */
    public EmotionRecognizer build() {
      RecognizerConfig config = config();
      return Providers.RECOGNIZER_FACTORIES.select(Optional.empty()).create(config);
    }
  }
}
