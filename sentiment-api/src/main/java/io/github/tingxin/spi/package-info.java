/**
 * Service-provider interfaces: what implementations plug into. Every lookup goes through
 * {@link io.github.tingxin.spi.Providers}, which finds providers with {@link java.util.ServiceLoader}, ranks
 * them and honours the override properties ({@code docs/plugins.md} shows how to add one).
 *
 * <ul>
 *   <li>{@link io.github.tingxin.spi.InferenceBackend}: runs models (sentiment-onnx provides ONNX Runtime).
 *   Backends are ranked; the system property {@value io.github.tingxin.spi.InferenceBackend#OVERRIDE_PROPERTY}
 *   picks one by name.</li>
 *   <li>{@link io.github.tingxin.spi.VoiceActivityDetectorProvider}: finds speech, named by the segmentation
 *   (sentiment-core provides {@code energy} and {@code none}, sentiment-onnx {@code silero}); each detector
 *   brings its {@link io.github.tingxin.spi.RegionTuning}.</li>
 *   <li>{@link io.github.tingxin.spi.FeatureExtractorProvider}: computes a model's input from audio, named by
 *   the manifest's recipe type (sentiment-core provides waveform, Kaldi fbank, MFCC and Whisper log-mel).</li>
 *   <li>{@link io.github.tingxin.spi.ModelPackageReader} and {@link io.github.tingxin.spi.RecognizerFactory}:
 *   the implementation behind {@link io.github.tingxin.api.ModelPackage} and
 *   {@link io.github.tingxin.api.EmotionRecognizer} (sentiment-core).</li>
 * </ul>
 */
package io.github.tingxin.spi;
