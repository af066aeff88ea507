package io.github.tingxin.api;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a recognizer runs, apart from its model: device, threads, batch size, segmentation, alert rule,
 * negative threshold, length limit, backend and whether segments carry prosodic cues. It is what {@link EmotionRecognizer.Builder} holds, what the
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
 *   <tr><td>{@code prosody}</td><td>on or off</td><td>off</td></tr>
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
 * @param prosody whether each segment carries its {@link ProsodicCues} ({@link SegmentResult#prosody()});
 *     off by default: measuring them takes about 1.5 to 2.5 ms of one core per second of speech, as much as
 *     the whole analysis with a small model (the test fixtures), a few per cent of it with a wav2vec2-base
 *     sized one
 */
public record RecognizerSettings(Device device, int threads, int batchSize, Segmentation segmentation,
    AlertRule alertRule, double negativeThreshold, double maxAudioSeconds, String backend, boolean prosody)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * The most threads one inference may be given. More than this never speeds up one inference and only
   * costs memory and scheduling; a larger number is a typing error.
   */
  public static final int MAX_THREADS = 256;

  /** The most segments scored in one inference call. */
  public static final int MAX_BATCH_SIZE = 1024;

  /**
   * CPU, backend-chosen threads, batches of 8, {@link Segmentation#DEFAULT}, {@link AlertRule#DEFAULT}, 0.5,
   * 4 hours, the highest-ranked backend, no prosodic cues.
   */
  public static final RecognizerSettings DEFAULT = new RecognizerSettings(Device.CPU, 0, 8, Segmentation.DEFAULT,
      AlertRule.DEFAULT, 0.5, 4 * 3600, "", false);

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

  /**
   * Settings without prosodic cues.
   *
   * @throws NullPointerException if a reference is null
   * @throws IllegalArgumentException naming the setting whose value is out of its range
   */
  public RecognizerSettings(Device device, int threads, int batchSize, Segmentation segmentation,
      AlertRule alertRule, double negativeThreshold, double maxAudioSeconds, String backend) {
    this(device, threads, batchSize, segmentation, alertRule, negativeThreshold, maxAudioSeconds, backend, false);
  }

  /**
   * The names of the command-line options {@link #withOptions} reads, as {@code tingxin analyze},
   * {@code stream}, {@code batch} and the Spark job's {@code spark-submit} entry point spell them (without the
   * leading dashes).
   */
  public static final Set<String> OPTION_NAMES = Set.of("device", "threads", "batch-size", "negative-threshold",
      "max-audio-seconds", "vad", "window", "hop", "alert", "prosody");

  private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?[0-9]{1,18}");
  private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]{1,12}(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]{1,3})?");
  /** The settings' names in messages, and the options that set them. */
  private static final String[][] OPTION_OF_FIELD = {{"threads", "--threads"}, {"batchSize", "--batch-size"},
      {"negativeThreshold", "--negative-threshold"}, {"maxAudioSeconds", "--max-audio-seconds"},
      {"windowSeconds", "--window"}, {"hopSeconds", "--hop"}};

  /**
   * These settings with command-line options applied: the one reading of the option vocabulary that every
   * Tingxin command line shares, so that {@code tingxin batch} and the Spark job's entry point analyse
   * exactly as {@code tingxin analyze} does with the same options.
   *
   * <ul>
   *   <li>{@code device}: as {@link Device#parse}; {@code threads}, {@code batch-size}: whole numbers;
   *   {@code negative-threshold}, {@code max-audio-seconds}: decimal numbers; each in its range above.</li>
   *   <li>{@code vad}: a voice activity detector's name ({@code energy}, {@code silero}, {@code none}, or one a
   *   plug-in adds; an unknown name is refused when the recognizer is built); {@code window} (seconds): sliding
   *   windows of that length instead of turns; {@code hop} (seconds, needs {@code window}): the step between
   *   window starts, default the window.</li>
   *   <li>{@code alert}: {@code P,SECONDS,WINDOW}, as {@link AlertRule}.</li>
   *   <li>{@code prosody}: {@code true} or {@code false}, as a command line's {@code --prosody} flag gives it:
   *   whether segments carry their {@link ProsodicCues}.</li>
   * </ul>
   *
   * @param options option name (one of {@link #OPTION_NAMES}) to the text given; options not given are absent
   * @return the settings
   * @throws TingxinException {@link ErrorCode#INVALID_OPTION} naming the option as {@code --name}, its text
   *     and its range
   * @throws IllegalArgumentException for a name that is not one of {@link #OPTION_NAMES}
   */
  public RecognizerSettings withOptions(Map<String, String> options) {
    for (String name : options.keySet()) {
      if (!OPTION_NAMES.contains(name)) {
        throw new IllegalArgumentException("not a recognizer option: " + name);
      }
    }
    RecognizerSettings s = this;
    try {
      String device = options.get("device");
      if (device != null) {
        s = s.withDevice(Device.parse(device));
      }
      String threads = options.get("threads");
      if (threads != null) {
        s = s.withThreads(wholeNumber("threads", threads));
      }
      String batchSize = options.get("batch-size");
      if (batchSize != null) {
        s = s.withBatchSize(wholeNumber("batch-size", batchSize));
      }
      String threshold = options.get("negative-threshold");
      if (threshold != null) {
        s = s.withNegativeThreshold(decimal("negative-threshold", threshold));
      }
      String maxAudio = options.get("max-audio-seconds");
      if (maxAudio != null) {
        s = s.withMaxAudioSeconds(decimal("max-audio-seconds", maxAudio));
      }
      s = s.withSegmentation(segmentation(options.get("vad"), options.get("window"), options.get("hop")));
      String alert = options.get("alert");
      if (alert != null) {
        s = s.withAlertRule(alertRule(alert));
      }
      String prosody = options.get("prosody");
      if (prosody != null) {
        if (!prosody.equals("true") && !prosody.equals("false")) {
          throw new TingxinException(ErrorCode.INVALID_OPTION, "--prosody is a flag (true or false), got '" + prosody
              + "'");
        }
        s = s.withProsody(Boolean.parseBoolean(prosody));
      }
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      for (String[] pair : OPTION_OF_FIELD) {
        message = message.replaceFirst("\\b" + pair[0] + "\\b", pair[1]);
      }
      throw new TingxinException(ErrorCode.INVALID_OPTION, message, e);
    }
    return s;
  }

  private Segmentation segmentation(String vadText, String windowText, String hopText) {
    if (hopText != null && windowText == null) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "--hop needs --window");
    }
    String vad = segmentation.vad();
    if (vadText != null) {
      if (vadText.isBlank()) {
        throw new TingxinException(ErrorCode.INVALID_OPTION, "--vad needs a detector's name, e.g. energy");
      }
      vad = vadText; // a name no detector has is refused when the recognizer is built (VAD_UNAVAILABLE)
    }
    if (windowText == null) {
      return vadText == null ? segmentation : Segmentation.turns(vad);
    }
    double window = decimal("window", windowText);
    double hop = hopText == null ? 0 : decimal("hop", hopText);
    if (!(window > 0) || (hopText != null && !(hop > 0))) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "--window and --hop must be more than 0 seconds");
    }
    return Segmentation.sliding(vad, window, hop);
  }

  private static AlertRule alertRule(String text) {
    String[] parts = text.split(",", -1);
    if (parts.length != 3) {
      throw new TingxinException(ErrorCode.INVALID_OPTION,
          "--alert takes three numbers P,SECONDS,WINDOW (e.g. 0.8,20,120); got '" + text + "'");
    }
    try {
      return new AlertRule(decimal("alert", parts[0]), decimal("alert", parts[1]), decimal("alert", parts[2]));
    } catch (IllegalArgumentException e) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "--alert P,SECONDS,WINDOW: " + e.getMessage(), e);
    }
  }

  private static int wholeNumber(String option, String text) {
    String t = text.strip();
    if (!WHOLE_NUMBER.matcher(t).matches()) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "--" + option + " takes a whole number, got '" + text
          + "'");
    }
    long v = Long.parseLong(t);
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v)); // the range check names it
  }

  private static double decimal(String option, String text) {
    String t = text.strip();
    if (!DECIMAL.matcher(t).matches()) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "--" + option + " takes a decimal number, got '" + text
          + "'");
    }
    return Double.parseDouble(t);
  }

  /** These settings on {@code device}. @throws NullPointerException if null */
  public RecognizerSettings withDevice(Device device) {
    return new RecognizerSettings(device, threads, batchSize, segmentation, alertRule, negativeThreshold,
        maxAudioSeconds, backend, prosody);
  }

  /** These settings with {@code threads}. @throws IllegalArgumentException if out of range */
  public RecognizerSettings withThreads(int threads) {
    return new RecognizerSettings(device, threads, batchSize, segmentation, alertRule, negativeThreshold,
        maxAudioSeconds, backend, prosody);
  }

  /** These settings with {@code batchSize}. @throws IllegalArgumentException if out of range */
  public RecognizerSettings withBatchSize(int batchSize) {
    return new RecognizerSettings(device, threads, batchSize, segmentation, alertRule, negativeThreshold,
        maxAudioSeconds, backend, prosody);
  }

  /** These settings with {@code segmentation}. @throws NullPointerException if null */
  public RecognizerSettings withSegmentation(Segmentation segmentation) {
    return new RecognizerSettings(device, threads, batchSize, segmentation, alertRule, negativeThreshold,
        maxAudioSeconds, backend, prosody);
  }

  /** These settings with {@code alertRule}. @throws NullPointerException if null */
  public RecognizerSettings withAlertRule(AlertRule alertRule) {
    return new RecognizerSettings(device, threads, batchSize, segmentation, alertRule, negativeThreshold,
        maxAudioSeconds, backend, prosody);
  }

  /** These settings with {@code negativeThreshold}. @throws IllegalArgumentException if out of range */
  public RecognizerSettings withNegativeThreshold(double negativeThreshold) {
    return new RecognizerSettings(device, threads, batchSize, segmentation, alertRule, negativeThreshold,
        maxAudioSeconds, backend, prosody);
  }

  /** These settings with {@code maxAudioSeconds}. @throws IllegalArgumentException if out of range */
  public RecognizerSettings withMaxAudioSeconds(double maxAudioSeconds) {
    return new RecognizerSettings(device, threads, batchSize, segmentation, alertRule, negativeThreshold,
        maxAudioSeconds, backend, prosody);
  }

  /**
   * These settings with the named backend, or {@code ""} for the highest-ranked available.
   *
   * @throws NullPointerException if null
   * @throws IllegalArgumentException if it has surrounding blanks
   */
  public RecognizerSettings withBackend(String backend) {
    return new RecognizerSettings(device, threads, batchSize, segmentation, alertRule, negativeThreshold,
        maxAudioSeconds, backend, prosody);
  }

  /** These settings with prosodic cues on or off. */
  public RecognizerSettings withProsody(boolean prosody) {
    return new RecognizerSettings(device, threads, batchSize, segmentation, alertRule, negativeThreshold,
        maxAudioSeconds, backend, prosody);
  }
}
