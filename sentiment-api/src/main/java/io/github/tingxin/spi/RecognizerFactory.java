package io.github.tingxin.spi;

import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.EmotionRecognizer.RecognizerConfig;

/**
 * Makes recognizers; provided by sentiment-core. Implementations must be thread-safe and have a public
 * no-argument constructor.
 */
public interface RecognizerFactory {
  /**
   * Builds a recognizer from validated settings.
   *
   * @throws io.github.tingxin.api.TingxinException as {@link EmotionRecognizer.Builder#build()}
   */
  EmotionRecognizer create(RecognizerConfig config);
}
