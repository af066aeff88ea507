package io.github.tingxin.cli;

import io.github.tingxin.api.AlertRule;
import io.github.tingxin.api.Device;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.Segmentation;
import io.github.tingxin.api.TingxinException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Which model to run, where, and how speech is cut: the options of {@code analyze} and {@code stream}. */
final class ModelOptions {
  /**
   * The fixture package used as the default until the sentiment-models artifact (the real default model)
   * is on the class path; it is a test model, not one for real calls.
   */
  static final String FIXTURE_DEFAULT = "fixtures/models/fbank-cnn-tiny";

  @Option(names = {"-m", "--model"}, paramLabel = "DIR|ZIP",
      description = {"Model package: a directory or .zip with model.onnx and tingxin-model.json.",
          "Default: the bundled default model (io.github.tingxin:sentiment-models) when it is on the class path;",
          "otherwise the test fixture " + FIXTURE_DEFAULT + " (found from the current directory or the jar's"
              + " checkout), which is NOT a model for real calls."})
  Path model;

  @Option(names = "--device", paramLabel = "DEVICE", defaultValue = "cpu",
      description = "Where inference runs: cpu, cuda, cuda:N, or cuda? / cuda:N? for CUDA where present and CPU"
          + " otherwise (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
      description = "Threads one inference may use; 0 lets the backend choose (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--vad", paramLabel = "VAD", defaultValue = "energy",
      description = "Voice activity detector: energy (default), silero, or none (score all audio).")
  String vad;

  @Option(names = "--window", paramLabel = "SECONDS",
      description = "Cut speech into fixed sliding windows of this length instead of turns (continuous audio).")
  Double window;

  @Option(names = "--hop", paramLabel = "SECONDS",
      description = "With --window: step between window starts (default: the window length).")
  Double hop;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "8",
      description = "Segments scored in one inference call, 1-1024 (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--negative-threshold", paramLabel = "P", defaultValue = "0.5",
      description = "Negative probability at which a segment counts as negative in summaries, in (0, 1)"
          + " (default: ${DEFAULT-VALUE}).")
  double negativeThreshold;

  /** Loads the package named by --model, or the default one; notes a fixture on {@code notes}. */
  ModelPackage loadModel(PrintStream notes, boolean quiet) {
    if (model != null) {
      return ModelPackage.load(model);
    }
    ClassLoader cl = ModelOptions.class.getClassLoader();
    if (cl.getResource(ModelPackage.BUNDLED_DEFAULT_RESOURCE + "/" + ModelPackage.MANIFEST_FILE) != null) {
      return ModelPackage.bundledDefault();
    }
    Path fixture = findFixture();
    if (fixture == null) {
      throw new TingxinException(ErrorCode.MODEL_NOT_FOUND,
          "No default model: io.github.tingxin:sentiment-models is not on the class path and the fixture "
              + FIXTURE_DEFAULT + " was not found; pass --model DIR (or a .zip).");
    }
    if (!quiet) {
      notes.println("tingxin: note: no --model given and no bundled default model; using the test fixture "
          + fixture + " (not trained for real calls)");
    }
    return ModelPackage.load(fixture);
  }

  /** Builds a recognizer for {@code pkg} with these options; the caller closes it. */
  EmotionRecognizer build(ModelPackage pkg) {
    return buildWithAlert(pkg, AlertRule.DEFAULT);
  }

  /** As {@link #build}, with the alert rule of live streams. */
  EmotionRecognizer buildWithAlert(ModelPackage pkg, AlertRule alertRule) {
    Device d = Device.parse(device);
    if (threads < 0) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "--threads must be 0 or more, was " + threads);
    }
    if (batchSize < 1 || batchSize > 1024) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "--batch-size must be 1 to 1024, was " + batchSize);
    }
    if (!(negativeThreshold > 0 && negativeThreshold < 1)) {
      throw new TingxinException(ErrorCode.INVALID_OPTION,
          "--negative-threshold must be between 0 and 1 (exclusive), was " + negativeThreshold);
    }
    return EmotionRecognizer.builder()
        .model(pkg)
        .device(d)
        .threads(threads)
        .batchSize(batchSize)
        .negativeThreshold(negativeThreshold)
        .segmentation(segmentation())
        .alertRule(alertRule)
        .build();
  }

  Segmentation segmentation() {
    Segmentation.Vad v = switch (vad.toLowerCase(Locale.ROOT)) {
      case "energy" -> Segmentation.Vad.ENERGY;
      case "silero" -> Segmentation.Vad.SILERO;
      case "none" -> Segmentation.Vad.NONE;
      default -> throw new TingxinException(ErrorCode.INVALID_OPTION,
          "--vad '" + vad + "' is not one of energy, silero, none");
    };
    if (hop != null && window == null) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "--hop needs --window");
    }
    if (window == null) {
      return Segmentation.turns(v);
    }
    if (!(window > 0) || (hop != null && !(hop > 0))) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "--window and --hop must be more than 0 seconds");
    }
    try {
      return Segmentation.sliding(v, window, hop == null ? 0 : hop);
    } catch (IllegalArgumentException e) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "--window/--hop: " + e.getMessage(), e);
    }
  }

  /**
   * The fixture model, looked up from the current directory and its parents, then from the jar's (or
   * classes') location and its parents, so that {@code java -jar tingxin-cli/target/tingxin.jar} finds it
   * from anywhere inside a checkout.
   */
  static Path findFixture() {
    Path found = searchUp(Path.of("").toAbsolutePath());
    if (found != null) {
      return found;
    }
    try {
      Path code = Path.of(ModelOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return searchUp(code.toAbsolutePath());
    } catch (Exception e) {
      return null;
    }
  }

  private static Path searchUp(Path start) {
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(FIXTURE_DEFAULT);
      if (Files.isRegularFile(candidate.resolve(ModelPackage.MANIFEST_FILE))) {
        return candidate;
      }
    }
    return null;
  }
}
