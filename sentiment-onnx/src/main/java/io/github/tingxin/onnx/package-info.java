/**
 * The ONNX Runtime inference backend: {@link io.github.tingxin.onnx.OnnxBackend}, registered as the
 * {@code io.github.tingxin.spi.InferenceBackend} service named {@code onnxruntime}.
 *
 * <p>Native memory: every ONNX Runtime object (session, tensor, result) is created and closed inside this
 * package; no ONNX Runtime handle is public. The shared {@code OrtEnvironment} is a process-wide singleton
 * owned by ONNX Runtime and is never closed here.
 */
package io.github.tingxin.onnx;
