package io.github.tingxin.api;

import io.github.tingxin.spi.ModelPackageReader;
import io.github.tingxin.spi.Providers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A model and its manifest: a directory, a zip, or a classpath resource holding {@code model.onnx} and
 * {@code tingxin-model.json} (and usually {@code MODEL_CARD.md}).
 *
 * <p>Loading reads and validates the manifest; the model bytes are read when a backend opens the model.
 * Loading needs {@code sentiment-core} on the class path, which provides the reader.
 *
 * <p>Immutable and thread-safe. A package holds no native resources and needs no closing.
 */
public final class ModelPackage {
  /** File name of the model graph inside a package. */
  public static final String MODEL_FILE = "model.onnx";
  /** File name of the manifest inside a package. */
  public static final String MANIFEST_FILE = "tingxin-model.json";
  /** Classpath folder of the default model shipped by the {@code sentiment-models} artifact. */
  public static final String BUNDLED_DEFAULT_RESOURCE = "io/github/tingxin/models/default";
  /** Classpath folder of the default model's static int8 twin, shipped beside it in {@code sentiment-models}. */
  public static final String BUNDLED_DEFAULT_INT8_RESOURCE = "io/github/tingxin/models/default-int8";
  /** The name {@link #named(String)} reads as the bundled default model. */
  public static final String DEFAULT_NAME = "default";
  /** The name {@link #named(String)} reads as the bundled default model's int8 twin. */
  public static final String DEFAULT_INT8_NAME = "default-int8";

  private final ModelManifest manifest;
  private final String location;
  private final Path modelFile;
  private final byte[] modelBytes;
  private final String modelCard;

  private ModelPackage(ModelManifest manifest, String location, Path modelFile, byte[] modelBytes,
      String modelCard) {
    this.manifest = Objects.requireNonNull(manifest, "manifest");
    this.location = Objects.requireNonNull(location, "location");
    this.modelFile = modelFile;
    this.modelBytes = modelBytes;
    this.modelCard = modelCard;
  }

  /**
   * A package whose graph is a file on disk (read by the backend without copying into the heap).
   *
   * @param manifest the validated manifest
   * @param modelFile the {@code .onnx} file
   * @param location where the package came from, for messages
   * @param modelCard the model card's text, or null
   * @throws NullPointerException if an argument other than {@code modelCard} is null
   */
  public static ModelPackage ofFile(ModelManifest manifest, Path modelFile, String location, String modelCard) {
    return new ModelPackage(manifest, location, Objects.requireNonNull(modelFile, "modelFile"), null, modelCard);
  }

  /**
   * A package whose graph is held in memory (from a zip or the class path). The array is copied.
   *
   * @throws NullPointerException if an argument other than {@code modelCard} is null
   */
  public static ModelPackage ofBytes(ModelManifest manifest, byte[] modelBytes, String location, String modelCard) {
    return new ModelPackage(manifest, location, null, Objects.requireNonNull(modelBytes, "modelBytes").clone(),
        modelCard);
  }

  /**
   * Loads a package from a directory or a {@code .zip} file.
   *
   * @param path the directory or zip
   * @return the package, its manifest validated
   * @throws NullPointerException if {@code path} is null
   * @throws TingxinException {@link ErrorCode#MODEL_NOT_FOUND} if nothing is there,
   *     {@link ErrorCode#MANIFEST_INVALID} naming the field and file, {@link ErrorCode#MODEL_FILE_INVALID} if
   *     {@code model.onnx} is missing, {@link ErrorCode#BACKEND_UNAVAILABLE} if no reader is on the class path
   */
  public static ModelPackage load(Path path) {
    Objects.requireNonNull(path, "path");
    return reader().read(path);
  }

  /**
   * Loads a package from the class path folder {@code resourceFolder} (e.g. {@code com/acme/model}).
   *
   * @throws TingxinException as {@link #load(Path)}
   */
  public static ModelPackage fromClasspath(String resourceFolder, ClassLoader loader) {
    Objects.requireNonNull(resourceFolder, "resourceFolder");
    Objects.requireNonNull(loader, "loader");
    return reader().readResource(resourceFolder, loader);
  }

  /**
   * The default model shipped in the {@code io.github.tingxin:sentiment-models} artifact.
   *
   * @throws TingxinException {@link ErrorCode#MODEL_NOT_FOUND} if that artifact is not on the class path
   */
  public static ModelPackage bundledDefault() {
    return bundled(BUNDLED_DEFAULT_RESOURCE, "The default model");
  }

  /**
   * The default model's static int8 twin, shipped in the {@code io.github.tingxin:sentiment-models} artifact:
   * the same manifest, features and heads, with the encoder blocks' matrix products in int8 (weights per
   * output column, activations with fixed ranges calibrated on speech). On CPU it needs about two thirds of the
   * default's time per segment. Its scores differ from the default's (its model card gives by how much, and
   * its held-out accuracy), and a segment's scores may differ by up to a few thousandths with the other segments
   * of its batch (set {@code batchSize(1)} where every score must be reproducible to the last digit). For
   * CPU deployments that need the throughput; on a GPU use {@link #bundledDefault()}.
   *
   * @throws TingxinException {@link ErrorCode#MODEL_NOT_FOUND} if that artifact is not on the class path
   */
  public static ModelPackage bundledDefaultInt8() {
    return bundled(BUNDLED_DEFAULT_INT8_RESOURCE, "The default model's int8 twin");
  }

  /**
   * The one reading of a user's model argument (the command line's and the Spark job's {@code --model}): a
   * package at that path where one exists; otherwise {@value #DEFAULT_NAME} is {@link #bundledDefault()} and
   * {@value #DEFAULT_INT8_NAME} is {@link #bundledDefaultInt8()}.
   *
   * @param pathOrName a directory or zip, or a bundled model's name
   * @throws NullPointerException if {@code pathOrName} is null
   * @throws TingxinException as {@link #load(Path)}, or as {@link #bundledDefault()}
   */
  public static ModelPackage named(String pathOrName) {
    Objects.requireNonNull(pathOrName, "pathOrName");
    Path path = Path.of(pathOrName);
    if (!Files.exists(path)) {
      if (pathOrName.equals(DEFAULT_NAME)) {
        return bundledDefault();
      }
      if (pathOrName.equals(DEFAULT_INT8_NAME)) {
        return bundledDefaultInt8();
      }
    }
    return load(path);
  }

  private static ModelPackage bundled(String resource, String what) {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    if (cl == null) {
      cl = ModelPackage.class.getClassLoader();
    }
    if (cl.getResource(resource + "/" + MANIFEST_FILE) == null) {
      throw new TingxinException(ErrorCode.MODEL_NOT_FOUND,
          what + " is not on the class path; add the dependency io.github.tingxin:sentiment-models "
              + "or load your own package with ModelPackage.load(path).");
    }
    return fromClasspath(resource, cl);
  }

  /**
   * The same graph and model card under another manifest: a deployment's own thresholds or calibration
   * (e.g. {@code pkg.withManifest(pkg.manifest().withHeadCalibration("negative", Optional.of(c)))}). Nothing is
   * copied or written; the backend checks the manifest against the graph when it opens the package, as for
   * any package.
   *
   * @throws NullPointerException if {@code manifest} is null
   */
  public ModelPackage withManifest(ModelManifest manifest) {
    return new ModelPackage(Objects.requireNonNull(manifest, "manifest"), location, modelFile, modelBytes, modelCard);
  }

  /** The validated manifest. */
  public ModelManifest manifest() {
    return manifest;
  }

  /** Where the package came from (a path or {@code classpath:...}), for messages. */
  public String location() {
    return location;
  }

  /** The graph's file, where the package is a directory on disk. */
  public Optional<Path> modelFile() {
    return Optional.ofNullable(modelFile);
  }

  /**
   * The graph's bytes: a fresh copy the caller owns.
   *
   * @throws TingxinException {@link ErrorCode#MODEL_FILE_INVALID} if the file cannot be read
   */
  public byte[] modelBytes() {
    if (modelBytes != null) {
      return modelBytes.clone();
    }
    try {
      return Files.readAllBytes(modelFile);
    } catch (IOException e) {
      throw new TingxinException(ErrorCode.MODEL_FILE_INVALID,
          "Cannot read " + modelFile + " (" + e.getMessage() + "); check the package is complete.", e);
    }
  }

  /** The model card's text, where the package has one. */
  public Optional<String> modelCard() {
    return Optional.ofNullable(modelCard);
  }

  @Override
  public String toString() {
    return "ModelPackage[" + manifest.name() + " " + manifest.version() + " from " + location + "]";
  }

  private static ModelPackageReader reader() {
    return Providers.MODEL_PACKAGE_READERS.select(Optional.empty());
  }
}
