package io.github.tingxin.spi;

/**
 * Makes voice activity detectors, found through {@link Providers#VOICE_ACTIVITY_DETECTORS} by the name a
 * {@link io.github.tingxin.api.Segmentation} gives: among the providers of that {@link #name()}, the highest
 * {@link #rank()} wins. sentiment-core provides {@code energy} (the default) and {@code none}; sentiment-onnx
 * provides {@code silero}. A detector brings its own tuning ({@link VoiceActivityDetector#regionTuning()}).
 *
 * <p>Implementations must be thread-safe and have a public no-argument constructor.
 */
public interface VoiceActivityDetectorProvider {

  /** Short stable name, e.g. {@code energy} or {@code silero} (lower case). */
  String name();

  /** Preference among providers of the same name; higher wins. Tingxin's own rank 0. */
  default int rank() {
    return 0;
  }

  /**
   * Opens a detector for audio at {@code sampleRate}.
   *
   * @param sampleRate the rate of the audio that will be fed, in hertz
   * @return the detector, which the caller owns and must close
   * @throws io.github.tingxin.api.TingxinException
   *     {@link io.github.tingxin.api.ErrorCode#UNSUPPORTED_SAMPLE_RATE} if the detector cannot work at that
   *     rate (Silero takes 8 and 16 kHz), {@link io.github.tingxin.api.ErrorCode#BACKEND_UNAVAILABLE} if
   *     what it needs (e.g. ONNX Runtime) cannot be loaded
   */
  VoiceActivityDetector open(int sampleRate);
}
