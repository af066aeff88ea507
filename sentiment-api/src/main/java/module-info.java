/**
 * Tingxin's public API: {@link io.github.tingxin.api.EmotionRecognizer}, the value types it takes and
 * returns, the model manifest, and the service-provider interfaces that implementations plug into.
 *
 * <p>This module has no dependencies. Implementations (audio decoding, features, inference) live in
 * {@code sentiment-core} and {@code sentiment-onnx} and are found with {@link java.util.ServiceLoader}, through
 * {@link io.github.tingxin.spi.Providers}.
 */
module io.github.tingxin.api {
  exports io.github.tingxin.api;
  exports io.github.tingxin.spi;

  uses io.github.tingxin.spi.RecognizerFactory;
  uses io.github.tingxin.spi.ModelPackageReader;
  uses io.github.tingxin.spi.InferenceBackend;
  uses io.github.tingxin.spi.FeatureExtractorProvider;
  uses io.github.tingxin.spi.VoiceActivityDetectorProvider;
}
