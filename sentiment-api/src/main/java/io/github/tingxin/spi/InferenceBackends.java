package io.github.tingxin.spi;

import io.github.tingxin.api.Device;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Chooses an {@link InferenceBackend} through {@link Providers#BACKENDS}: a name given by the caller, else by
 * the system property {@value InferenceBackend#OVERRIDE_PROPERTY}, picks one; otherwise the highest-ranked
 * backend that supports the device wins.
 *
 * <p>Stateless and thread-safe.
 */
public final class InferenceBackends {
  private InferenceBackends() {}

  /**
   * Selects a backend.
   *
   * @param device where the model will run
   * @param name the backend to use, or empty for the system property, else the best ranked
   * @return the backend
   * @throws NullPointerException if an argument is null
   * @throws TingxinException {@link ErrorCode#BACKEND_UNAVAILABLE} if no backend is on the class path, or the
   *     named one is not; {@link ErrorCode#DEVICE_UNAVAILABLE} if the chosen or every backend cannot run on
   *     {@code device}
   */
  public static InferenceBackend select(Device device, Optional<String> name) {
    Objects.requireNonNull(device, "device");
    return Providers.BACKENDS.select(name, b -> b.supports(device), ErrorCode.DEVICE_UNAVAILABLE,
        "run on " + device + " on this machine");
  }

  /** Every backend on the class path, highest rank first. */
  public static List<InferenceBackend> available() {
    return Providers.BACKENDS.all();
  }
}
