package io.github.tingxin.spi;

import io.github.tingxin.api.Device;
import io.github.tingxin.api.ModelPackage;

/**
 * An engine that runs model packages, found through {@link Providers#BACKENDS}. Among the backends that
 * support the requested device, the highest {@link #rank()} wins, unless the system property
 * {@value #OVERRIDE_PROPERTY} or {@code EmotionRecognizer.Builder.backend(name)} names one.
 *
 * <p>Implementations must be thread-safe and have a public no-argument constructor.
 */
public interface InferenceBackend {
  /** System property naming the backend to use, e.g. {@code -Dtingxin.backend=onnxruntime}. */
  String OVERRIDE_PROPERTY = "tingxin.backend";

  /** Short stable name, e.g. {@code onnxruntime}. */
  String name();

  /** Preference among available backends; higher wins. */
  int rank();

  /** Whether this backend can run on {@code device} on this machine now. */
  boolean supports(Device device);

  /**
   * Opens a model.
   *
   * @param model the package
   * @param options device and threads
   * @return a session the caller owns and must close
   * @throws io.github.tingxin.api.TingxinException {@link io.github.tingxin.api.ErrorCode#MODEL_FILE_INVALID},
   *     {@link io.github.tingxin.api.ErrorCode#MODEL_MANIFEST_MISMATCH},
   *     {@link io.github.tingxin.api.ErrorCode#DEVICE_UNAVAILABLE}
   */
  InferenceSession open(ModelPackage model, SessionOptions options);
}
