package io.github.tingxin.spi;

/**
 * Makes voice activity detectors, found with {@link java.util.ServiceLoader} by {@link #name()}:
 * sentiment-core provides {@code energy} (the default) and {@code none}; sentiment-onnx provides
 * {@code silero}.
 *
 * <p>Implementations must be thread-safe and have a public no-argument constructor.
 */
public interface VoiceActivityDetectorProvider {

  /** Short stable name, e.g. {@code energy} or {@code silero} (lower case). */
  String name();

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
