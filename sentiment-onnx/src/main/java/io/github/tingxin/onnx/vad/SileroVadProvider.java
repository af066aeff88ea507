package io.github.tingxin.onnx.vad;

import io.github.tingxin.spi.VoiceActivityDetector;
import io.github.tingxin.spi.VoiceActivityDetectorProvider;

/** Provides {@link SileroVoiceActivityDetector} as {@code silero}. Thread-safe. */
public final class SileroVadProvider implements VoiceActivityDetectorProvider {
  /** For {@link java.util.ServiceLoader}. */
  public SileroVadProvider() {}

  @Override
  public String name() {
    return SileroVoiceActivityDetector.NAME;
  }

  @Override
  public VoiceActivityDetector open(int sampleRate) {
    return SileroVoiceActivityDetector.open(sampleRate);
  }
}
