/**
 * Voice activity detection: {@link io.github.tingxin.core.vad.EnergyVoiceActivityDetector} (the default,
 * no model), the pass-through detector named {@code none}, and
 * {@link io.github.tingxin.core.vad.SpeechRegionTracker}, which turns any detector's per-frame speech
 * probabilities into speech regions (hysteresis, minimum speech and silence durations, padding) with the
 * detector's own {@link io.github.tingxin.spi.RegionTuning}.
 *
 * <p>Detectors are found by name through {@link io.github.tingxin.spi.Providers#VOICE_ACTIVITY_DETECTORS};
 * sentiment-onnx adds Silero VAD, and any jar can add more ({@code docs/plugins.md}).
 * Everything here works on streams: state carries from chunk to chunk, and chunking never changes a result.
 *
 * <p><b>Internal</b> to sentiment-core: not part of its API, may change in any release (README.md, "What
 * sentiment-core exports").
 */
package io.github.tingxin.core.vad;
