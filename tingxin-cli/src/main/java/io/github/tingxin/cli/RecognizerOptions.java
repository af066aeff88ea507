package io.github.tingxin.cli;

import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.RecognizerSettings;
import io.github.tingxin.api.Segmentation;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The recognizer options that {@code analyze}, {@code stream} and {@code batch} share, as picocli mixins.
 * Each holds the texts it was given; {@link RecognizerSettings#withOptions} reads them all, in one place for
 * every Tingxin command line (the Spark job's spark-submit entry point included), with the ranges the API
 * checks and errors that name the option.
 */
final class RecognizerOptions {
  private RecognizerOptions() {}

  /** A mixin that contributes option texts. */
  interface Source {
    /** Puts the options given, by their {@link RecognizerSettings#OPTION_NAMES} name, into {@code into}. */
    void collect(Map<String, String> into);
  }

  /** {@code base} with the options of {@code sources} applied. */
  static RecognizerSettings settings(RecognizerSettings base, Source... sources) {
    Map<String, String> options = new LinkedHashMap<>();
    for (Source s : sources) {
      s.collect(options);
    }
    return base.withOptions(options);
  }

  static void put(Map<String, String> into, String name, String value) {
    if (value != null) {
      into.put(name, value);
    }
  }

  /** {@code --device}: where inference runs (also taken by {@code model inspect}). */
  static final class Device implements Source {
    @Option(names = "--device", paramLabel = "DEVICE",
        description = "Where inference runs: cpu (default), cuda, cuda:N, or cuda? / cuda:N? for CUDA where present"
            + " and the CPU otherwise.")
    String device;

    @Override
    public void collect(Map<String, String> into) {
      put(into, "device", device);
    }
  }

  /** {@code --threads}, {@code --batch-size}, {@code --negative-threshold}: how inference runs and counts. */
  static final class Inference implements Source {
    @Option(names = "--threads", paramLabel = "N",
        description = "Threads one inference may use, 0-" + RecognizerSettings.MAX_THREADS + "; 0 lets the backend"
            + " choose (default: 0; for batch: 1 per Spark task).")
    String threads;

    @Option(names = "--batch-size", paramLabel = "N",
        description = "Segments scored in one inference call, 1-" + RecognizerSettings.MAX_BATCH_SIZE
            + " (default: 8).")
    String batchSize;

    @Option(names = "--negative-threshold", paramLabel = "P",
        description = "Negative probability at which a segment counts as negative in summaries, above 0 and below 1"
            + " (default: 0.5).")
    String negativeThreshold;

    @Override
    public void collect(Map<String, String> into) {
      put(into, "threads", threads);
      put(into, "batch-size", batchSize);
      put(into, "negative-threshold", negativeThreshold);
    }
  }

  /** {@code --vad}, {@code --window}, {@code --hop}: how speech is found and cut. */
  static final class Segments implements Source {
    @Option(names = "--vad", paramLabel = "VAD",
        description = "Voice activity detector: energy (default), silero, none (score all audio), or the name of one"
            + " a plug-in adds.")
    String vad;

    @Option(names = "--window", paramLabel = "SECONDS",
        description = "Cut speech into fixed sliding windows of this length instead of turns (continuous audio);"
            + " at least " + Segmentation.SHORTEST_STEP_SECONDS + " s and at most the model's longest segment.")
    String window;

    @Option(names = "--hop", paramLabel = "SECONDS",
        description = "With --window: step between window starts, " + Segmentation.SHORTEST_STEP_SECONDS
            + " s to the window length (default: the window length).")
    String hop;

    @Override
    public void collect(Map<String, String> into) {
      put(into, "vad", vad);
      put(into, "window", window);
      put(into, "hop", hop);
    }
  }

  /**
   * Notes on {@code notes} when sliding windows are shorter than the model's minimum: every window is then
   * scored by the model's short-input rule and marked short.
   */
  static void noteShortWindows(RecognizerSettings settings, ModelPackage model, PrintStream notes, boolean quiet) {
    Segmentation s = settings.segmentation();
    ModelManifest.SegmentLimits limits = model.manifest().segments();
    if (!quiet && s.mode() == Segmentation.Mode.SLIDING && s.windowSeconds() > 0
        && s.windowSeconds() < limits.minSeconds()) {
      notes.printf(Locale.ROOT, "tingxin: note: --window %s s is shorter than the model's minimum of %.2f s: every"
          + " window is scored %s and marked short%n", s.windowSeconds(), limits.minSeconds(),
          limits.shortInput() == ModelManifest.ShortInput.PAD ? "padded with silence to it" : "as it is");
    }
  }

  /** {@code --prosody}: each segment's prosodic cues in the output. */
  static final class Prosody implements Source {
    @Option(names = "--prosody",
        description = {"Add each segment's prosodic cues: pitch level and range, loudness and its range, syllable"
            + " rate, pauses, jitter, shimmer, measured on the segment's own audio (about 2 ms of CPU per second of"
            + " speech).", "They describe the voice and diagnose nothing."})
    boolean prosody;

    @Override
    public void collect(Map<String, String> into) {
      if (prosody) {
        into.put("prosody", "true");
      }
    }
  }

  /** {@code --max-audio-seconds}: the longest recording analysed whole ({@code analyze}, {@code batch}). */
  static final class LengthLimit implements Source {
    @Option(names = "--max-audio-seconds", paramLabel = "S",
        description = "Longest recording analysed, in seconds (default: 14400, four hours); longer ones are refused"
            + " (batch: a row of the errors table). 'tingxin stream' has no limit.")
    String maxAudioSeconds;

    @Override
    public void collect(Map<String, String> into) {
      put(into, "max-audio-seconds", maxAudioSeconds);
    }
  }
}
