package io.github.tingxin.cli;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.TingxinException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code -m/--model}: which model package runs; shared by {@code analyze}, {@code stream} and {@code batch}. */
final class ModelOption {
  /**
   * The fixture package used as the default until the sentiment-models artifact (the real default model)
   * is on the class path; it is a test model, not one for real calls.
   */
  static final String FIXTURE_DEFAULT = "fixtures/models/fbank-cnn-tiny";

  @Option(names = {"-m", "--model"}, paramLabel = "DIR|ZIP",
      description = {"Model package: a directory or .zip with model.onnx and tingxin-model.json, or a bundled",
          "model's name: default, or default-int8 (its int8 twin: about 1.5x less CPU per segment, scores",
          "within its model card's stated differences; a path of that name wins).",
          "Default: the bundled default model (io.github.tingxin:sentiment-models) when it is on the class path;",
          "otherwise the test fixture " + FIXTURE_DEFAULT + " (found from the current directory or the jar's"
              + " checkout), which is NOT a model for real calls."})
  Path model;

  /** Loads the package named by --model, or the default one; notes a fixture on {@code notes}. */
  ModelPackage load(PrintStream notes, boolean quiet) {
    return load(model, notes, quiet);
  }

  /** Loads {@code path}, or (null) the default package; notes a fixture on {@code notes}. */
  static ModelPackage load(Path path, PrintStream notes, boolean quiet) {
    if (path != null) {
      return ModelPackage.named(path.toString());
    }
    ClassLoader cl = ModelOption.class.getClassLoader();
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
      Path code = Path.of(ModelOption.class.getProtectionDomain().getCodeSource().getLocation().toURI());
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
