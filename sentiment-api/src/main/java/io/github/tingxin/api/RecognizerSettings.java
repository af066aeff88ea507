package io.github.tingxin.api;

import java.io.Serializable;
import java.util.Objects;

/**
 * How a recognizer runs, apart from its model: device, threads, batch size, segmentation, alert rule,
 * negative threshold, length limit and backend. It is what {@link EmotionRecognizer.Builder} holds, what the
 * {@code tingxin} command line builds from its options, and what the Spark job ships to its executors, so an
 * archive is analysed exactly as {@code tingxin analyze} analyses each file with the same options.
 *
 * <p>Every range is checked here, in the canonical constructor, and nowhere else: the builder's setters and
 * the {@code with...} methods construct a new value and so validate at once; deserialisation runs the same
 * constructor. Ranges:
 *
 * <table>
 *   <caption>Ranges</caption>
 *   <tr><th>setting</th><th>range</th><th>default</th></tr>
 *   <tr><td>{@code threads}</td><td>0 (the backend chooses) to {@value #MAX_THREADS}</td><td>0</td></tr>
 *   <tr><td>{@code batchSize}</td><td>1 to {@value #MAX_BATCH_SIZE}</td><td>8</td></tr>
 *   <tr><td>{@code negativeThreshold}</td><td>above 0, below 1</td><td>0.5</td></tr>
 *   <tr><td>{@code maxAudioSeconds}</td><td>finite, above 0</td><td>14400 (4 hours)</td></tr>
 *   <tr><td>{@code segmentation}</td><td>see {@link Segmentation}</td><td>{@link Segmentation#DEFAULT}</td></tr>
 *   <tr><td>{@code alertRule}</td><td>see {@link AlertRule}</td><td>{@link AlertRule#DEFAULT}</td></tr>
 * </table>
 *
 * <p>Immutable, thread-safe and serialisable (every component is).
 *
 * @param device where inference runs
 * @param threads threads one inference may use; 0 lets the backend choose
 * @param batchSize segments scored in one inference call
 * @param segmentation how speech is found and cut
 * @param alertRule when live streams raise alerts
 * @param negativeThreshold negative probability at which a segment counts as negative in summaries
 * @param maxAudioSeconds longest recording {@link EmotionRecognizer#analyze} accepts (streams are unbounded)
 * @param backend name of the inference backend to use, or {@code ""} for the highest-ranked available
 */
public record RecognizerSettings(Device device, int threads, int batchSize, Segmentation segmentation,
    AlertRule alertRule, double negativeThreshold, double maxAudioSeconds, String backend)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * The most threads one inference may be given. More than this never speeds up one inference and only
   * costs memory and scheduling; a larger number is a typing error.
   */
  public static final int MAX_THREADS = 256;

  /** The most segments scored in one inference call. */
  public static final int MAX_BATCH_SIZE = 1024;

  /** CPU, backend-chosen threads, batches of 8, {@link Segmentation#DEFAULT}, {@link AlertRule#DEFAULT}, 0.5, 4 hours. */
  public static final RecognizerSettings DEFAULT = new RecognizerSettings(Device.CPU, 0, 8, Segmentation.DEFAULT,
      AlertRule.DEFAULT, 0.5, 4 * 3600, "");

  /**
   * @throws NullPointerException if a reference is null
   * @throws IllegalArgumentException naming the setting whose value is out of its range
   */
  public RecognizerSettings {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(segmentation, "segmentation");
    Objects.requireNonNull(alertRule, "alertRule");
    Objects.requireNonNull(backend, "backend");
    if (threads < 0 || threads > MAX_THREADS) {
      throw new IllegalArgumentException("threads must be in 0.." + MAX_THREADS + " (0 lets the backend choose), was "
          + threads);
    }
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException("batchSize must be in 1.." + MAX_BATCH_SIZE + ", was " + batchSize);
    }
    if (!(negativeThreshold > 0 && negativeThreshold < 1)) {
      throw new IllegalArgumentException("negativeThreshold must be above 0 and below 1, was " + negativeThreshold);
    }
    if (!(maxAudioSeconds > 0) || Double.isInfinite(maxAudioSeconds)) {
      throw new IllegalArgumentException("maxAudioSeconds must be finite and above 0, was " + maxAudioSeconds);
    }
    if (!backend.equals(backend.strip())) {
      throw new IllegalArgumentException("backend must be a backend's name or empty, was '" + backend + "'");
    }
  }

  /** These settings on {@code device}. @throws NullPointerException if null */
  public RecognizerSettings withDevice(Device device) {
    return new RecognizerSettings(device, threads, batchSize, segmentation, alertRule, negativeThreshold,
        maxAudioSeconds, backend);
  }

  /** These settings with {@code threads}. @throws IllegalArgumentException if out of range */
  public RecognizerSettings withThreads(int threads) {
    return new RecognizerSettings(device, threads, batchSize, segmentation, alertRule, negativeThreshold,
        maxAudioSeconds, backend);
  }

  /** These settings with {@code batchSize}. @throws IllegalArgumentException if out of range */
  public RecognizerSettings withBatchSize(int batchSize) {
    return new RecognizerSettings(device, threads, batchSize, segmentation, alertRule, negativeThreshold,
        maxAudioSeconds, backend);
  }

  /** These settings with {@code segmentation}. @throws NullPointerException if null */
  public RecognizerSettings withSegmentation(Segmentation segmentation) {
    return new RecognizerSettings(device, threads, batchSize, segmentation, alertRule, negativeThreshold,
        maxAudioSeconds, backend);
  }

  /** These settings with {@code alertRule}. @throws NullPointerException if null */
  public RecognizerSettings withAlertRule(AlertRule alertRule) {
    return new RecognizerSettings(device, threads, batchSize, segmentation, alertRule, negativeThreshold,
        maxAudioSeconds, backend);
  }

  /** These settings with {@code negativeThreshold}. @throws IllegalArgumentException if out of range */
  public RecognizerSettings withNegativeThreshold(double negativeThreshold) {
    return new RecognizerSettings(device, threads, batchSize, segmentation, alertRule, negativeThreshold,
        maxAudioSeconds, backend);
  }

  /** These settings with {@code maxAudioSeconds}. @throws IllegalArgumentException if out of range */
  public RecognizerSettings withMaxAudioSeconds(double maxAudioSeconds) {
    return new RecognizerSettings(device, threads, batchSize, segmentation, alertRule, negativeThreshold,
        maxAudioSeconds, backend);
  }

  /**
   * These settings with the named backend, or {@code ""} for the highest-ranked available.
   *
   * @throws NullPointerException if null
   * @throws IllegalArgumentException if it has surrounding blanks
   */
  public RecognizerSettings withBackend(String backend) {
    return new RecognizerSettings(device, threads, batchSize, segmentation, alertRule, negativeThreshold,
        maxAudioSeconds, backend);
  }
}
