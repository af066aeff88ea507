package io.github.tingxin.core.vad;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.Segmentation;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.spi.VoiceActivityDetector;
import io.github.tingxin.spi.VoiceActivityDetectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/** Finds voice activity detectors by name through {@link VoiceActivityDetectorProvider}. Thread-safe. */
public final class VoiceActivityDetectors {
  private VoiceActivityDetectors() {}

  /** The provider name for a {@link Segmentation.Vad} ({@code energy}, {@code silero}, {@code none}). */
  public static String providerName(Segmentation.Vad vad) {
    return vad.name().toLowerCase(Locale.ROOT);
  }

  /**
   * Opens the detector named {@code name} for audio at {@code sampleRate}.
   *
   * @return the detector, which the caller owns and closes
   * @throws TingxinException {@link ErrorCode#BACKEND_UNAVAILABLE} if no provider has that name (Silero needs
   *     sentiment-onnx on the class path), or as {@link VoiceActivityDetectorProvider#open(int)}
   */
  public static VoiceActivityDetector open(String name, int sampleRate) {
    List<String> seen = new ArrayList<>();
    for (ClassLoader loader : loaders()) {
      for (VoiceActivityDetectorProvider p : ServiceLoader.load(VoiceActivityDetectorProvider.class, loader)) {
        if (p.name().equals(name)) {
          return p.open(sampleRate);
        }
        seen.add(p.name());
      }
    }
    String hint = name.equals("silero") ? " Silero VAD is in io.github.tingxin:sentiment-onnx; add it to the "
        + "class path." : "";
    throw new TingxinException(ErrorCode.BACKEND_UNAVAILABLE, "No voice activity detector named '" + name
        + "' (found: " + seen.stream().distinct().toList() + ")." + hint);
  }

  /** Region settings advised for the detector: tuned ones for the built-in detectors, else from its threshold. */
  public static SpeechRegionTracker.Options regionOptions(VoiceActivityDetector detector) {
    return switch (detector.name()) {
      case EnergyVoiceActivityDetector.NAME -> EnergyVoiceActivityDetector.DEFAULT_REGIONS;
      case AllSpeechDetector.NAME -> AllSpeechDetector.REGIONS;
      default -> {
        // Silero's own defaults (threshold, threshold - 0.15, 250 ms speech, 100 ms silence, 30 ms pad).
        double onset = detector.speechThreshold();
        yield new SpeechRegionTracker.Options(onset, Math.max(0.01, onset - 0.15), 0.25, 0.1, 0.03);
      }
    };
  }

  private static List<ClassLoader> loaders() {
    List<ClassLoader> loaders = new ArrayList<>();
    loaders.add(VoiceActivityDetectors.class.getClassLoader());
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (context != null && context != loaders.get(0)) {
      loaders.add(context);
    }
    return loaders;
  }
}
