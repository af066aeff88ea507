package io.github.tingxin.spi;

import io.github.tingxin.api.ModelPackage;
import java.nio.file.Path;

/**
 * Reads model packages; provided by sentiment-core. Implementations must be thread-safe and have a public
 * no-argument constructor.
 */
public interface ModelPackageReader {
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
