/**
 * Service-provider interfaces: what implementations plug into, found with {@link java.util.ServiceLoader}.
 *
 * <ul>
 *   <li>{@link io.github.tingxin.spi.InferenceBackend}: runs models (sentiment-onnx provides ONNX Runtime).
 *   Backends are ranked; the system property {@value io.github.tingxin.spi.InferenceBackend#OVERRIDE_PROPERTY}
 *   picks one by name.</li>
 *   <li>{@link io.github.tingxin.spi.FeatureExtractorProvider}: computes a model's input from audio
 *   (sentiment-core provides waveform, Kaldi fbank, MFCC and Whisper log-mel).</li>
 *   <li>{@link io.github.tingxin.spi.ModelPackageReader} and {@link io.github.tingxin.spi.RecognizerFactory}:
 *   the implementation behind {@link io.github.tingxin.api.ModelPackage} and
 *   {@link io.github.tingxin.api.EmotionRecognizer} (sentiment-core).</li>
 * </ul>
 */
package io.github.tingxin.spi;
