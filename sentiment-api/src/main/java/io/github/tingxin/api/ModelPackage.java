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
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    if (cl == null) {
      cl = ModelPackage.class.getClassLoader();
    }
    if (cl.getResource(BUNDLED_DEFAULT_RESOURCE + "/" + MANIFEST_FILE) == null) {
      throw new TingxinException(ErrorCode.MODEL_NOT_FOUND,
          "The default model is not on the class path; add the dependency io.github.tingxin:sentiment-models "
              + "or load your own package with ModelPackage.load(path).");
    }
    return fromClasspath(BUNDLED_DEFAULT_RESOURCE, cl);
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
