package io.github.tingxin.core.vad;

import io.github.tingxin.spi.VoiceActivityDetector;
import io.github.tingxin.spi.VoiceActivityDetectorProvider;

/** Provides {@link EnergyVoiceActivityDetector} with its default options as {@code energy}. Thread-safe. */
public final class EnergyVadProvider implements VoiceActivityDetectorProvider {
  /** For {@link java.util.ServiceLoader}. */
  public EnergyVadProvider() {}

  @Override
  public String name() {
    return EnergyVoiceActivityDetector.NAME;
  }

  @Override
  public VoiceActivityDetector open(int sampleRate) {
    return new EnergyVoiceActivityDetector(sampleRate);
  }
}
