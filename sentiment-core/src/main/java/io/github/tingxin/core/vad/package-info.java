/**
 * Voice activity detection: {@link io.github.tingxin.core.vad.EnergyVoiceActivityDetector} (the default,
 * no model), the pass-through detector behind {@code Segmentation.Vad.NONE}, and
 * {@link io.github.tingxin.core.vad.SpeechRegionTracker}, which turns any detector's per-frame speech
 * probabilities into speech regions (hysteresis, minimum speech and silence durations, padding).
 *
 * <p>Detectors are found by name with {@link io.github.tingxin.core.vad.VoiceActivityDetectors}, through the
 * {@link io.github.tingxin.spi.VoiceActivityDetectorProvider} service; sentiment-onnx adds Silero VAD.
 * Everything here works on streams: state carries from chunk to chunk, and chunking never changes a result.
 */
package io.github.tingxin.core.vad;
