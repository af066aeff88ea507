package io.github.tingxin.spi;

import io.github.tingxin.api.ModelPackage;
import java.nio.file.Path;

/**
 * Reads model packages; provided by sentiment-core and found through {@link Providers#MODEL_PACKAGE_READERS}:
 * the highest {@link #rank()} wins, unless the system property {@value #OVERRIDE_PROPERTY} names a reader by
 * its class name.
 *
 * <p>Implementations must be thread-safe and have a public no-argument constructor.
 */
public interface ModelPackageReader {
  /** System property naming the reader to use by its class name. */
  String OVERRIDE_PROPERTY = "tingxin.modelPackageReader";

  /** Preference among readers; higher wins. sentiment-core's ranks 0. */
  default int rank() {
    return 0;
  }

  /**
   * Reads a directory or zip.
   *
   * @throws io.github.tingxin.api.TingxinException as {@link ModelPackage#load(Path)}
   */
  ModelPackage read(Path path);

  /**
   * Reads a class path folder.
   *
   * @throws io.github.tingxin.api.TingxinException as {@link ModelPackage#load(Path)}
   */
  ModelPackage readResource(String folder, ClassLoader loader);
}
