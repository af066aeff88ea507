package io.github.tingxin.core.vad;

import io.github.tingxin.spi.VoiceActivityDetector;
import io.github.tingxin.spi.VoiceActivityDetectorProvider;

/** Provides {@link AllSpeechDetector} as {@code none}. Thread-safe. */
public final class AllSpeechVadProvider implements VoiceActivityDetectorProvider {
  /** For {@link java.util.ServiceLoader}. */
  public AllSpeechVadProvider() {}

  @Override
  public String name() {
    return AllSpeechDetector.NAME;
  }

  @Override
  public VoiceActivityDetector open(int sampleRate) {
    return new AllSpeechDetector(sampleRate);
  }
}
