package io.github.tingxin.spi;

import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.EmotionRecognizer.RecognizerConfig;

/**
 * Makes recognizers; provided by sentiment-core and found through {@link Providers#RECOGNIZER_FACTORIES}: the
 * highest {@link #rank()} wins, unless the system property {@value #OVERRIDE_PROPERTY} names a factory by its
 * class name.
 *
 * <p>Implementations must be thread-safe and have a public no-argument constructor.
 */
public interface RecognizerFactory {
  /** System property naming the factory to use by its class name. */
  String OVERRIDE_PROPERTY = "tingxin.recognizerFactory";

  /** Preference among factories; higher wins. sentiment-core's ranks 0. */
  default int rank() {
    return 0;
  }

  /**
   * Builds a recognizer from validated settings.
   *
   * @throws io.github.tingxin.api.TingxinException as {@link EmotionRecognizer.Builder#build()}
   */
  EmotionRecognizer create(RecognizerConfig config);
}
