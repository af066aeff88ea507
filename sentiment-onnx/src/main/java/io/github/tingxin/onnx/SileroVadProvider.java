package io.github.tingxin.onnx;

import io.github.tingxin.spi.VoiceActivityDetector;
import io.github.tingxin.spi.VoiceActivityDetectorProvider;

/**
 * Provides Silero VAD (v6, run with ONNX Runtime, the model read from this jar) as the detector named
 * {@value #NAME}, for 8 and 16 kHz audio, tuned as Silero's own {@code get_speech_timestamps} defaults:
 * threshold 0.5, silence under 0.35, 250 ms minimum speech, 100 ms minimum silence, 30 ms padding
 * ({@link VoiceActivityDetector#regionTuning()}).
 *
 * <p>Each detector owns one ONNX Runtime session (one intra-op thread: the graph is tiny) shared by its
 * streams; {@link VoiceActivityDetector#close()} waits for the frames being computed, then frees it, and
 * streams fail with {@link IllegalStateException} afterwards.
 *
 * <p>Stateless and thread-safe; the detectors it opens are thread-safe, each of their streams single-threaded.
 */
public final class SileroVadProvider implements VoiceActivityDetectorProvider {
  /** The detector's name, for {@code Segmentation.Vad.SILERO} and {@code --vad silero}. */
  public static final String NAME = "silero";

  /** For {@link java.util.ServiceLoader}. */
  public SileroVadProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  /**
   * {@inheritDoc}
   *
   * @throws io.github.tingxin.api.TingxinException {@link io.github.tingxin.api.ErrorCode#UNSUPPORTED_SAMPLE_RATE}
   *     for rates other than 8000 and 16000 Hz, {@link io.github.tingxin.api.ErrorCode#BACKEND_UNAVAILABLE} if
   *     ONNX Runtime cannot load the model
   */
  @Override
  public VoiceActivityDetector open(int sampleRate) {
    return SileroVoiceActivityDetector.open(sampleRate);
  }
}
