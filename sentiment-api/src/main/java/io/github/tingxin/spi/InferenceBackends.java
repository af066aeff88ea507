package io.github.tingxin.spi;

import io.github.tingxin.api.Device;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Chooses an {@link InferenceBackend} the way DJL chooses engines: every backend on the class path is found
 * with {@link ServiceLoader}; a name given by the caller, else by the system property
 * {@value InferenceBackend#OVERRIDE_PROPERTY}, picks one; otherwise the highest-ranked backend that supports
 * the device wins.
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
    Objects.requireNonNull(name, "name");
    Optional<String> wanted = name.or(() -> Optional.ofNullable(System.getProperty(InferenceBackend.OVERRIDE_PROPERTY))
        .map(String::trim).filter(s -> !s.isEmpty()));
    List<InferenceBackend> all = available();
    if (all.isEmpty()) {
      throw new TingxinException(ErrorCode.BACKEND_UNAVAILABLE, "No inference backend is on the class path; add "
          + "io.github.tingxin:sentiment-onnx.");
    }
    if (wanted.isPresent()) {
      InferenceBackend b = all.stream().filter(x -> x.name().equals(wanted.get())).findFirst()
          .orElseThrow(() -> new TingxinException(ErrorCode.BACKEND_UNAVAILABLE, "The inference backend '"
              + wanted.get() + "' (named " + (name.isPresent() ? "by the caller" : "by -D"
              + InferenceBackend.OVERRIDE_PROPERTY) + ") is not on the class path; available: " + names(all) + "."));
      if (!b.supports(device)) {
        throw new TingxinException(ErrorCode.DEVICE_UNAVAILABLE, "The inference backend '" + b.name()
            + "' cannot run on " + device + " on this machine.");
      }
      return b;
    }
    return all.stream().filter(b -> b.supports(device)).max(Comparator.comparingInt(InferenceBackend::rank))
        .orElseThrow(() -> new TingxinException(ErrorCode.DEVICE_UNAVAILABLE, "No inference backend can run on "
            + device + " on this machine (available: " + names(all) + ")."));
  }

  /** Every backend on the class path, one per name (the first found wins), in discovery order. */
  public static List<InferenceBackend> available() {
    Map<String, InferenceBackend> byName = new LinkedHashMap<>();
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    for (ServiceLoader<InferenceBackend> loader : List.of(
        ServiceLoader.load(InferenceBackend.class, InferenceBackends.class.getClassLoader()),
        context == null ? ServiceLoader.load(InferenceBackend.class) : ServiceLoader.load(InferenceBackend.class, context))) {
      for (InferenceBackend b : loader) {
        byName.putIfAbsent(b.name(), b);
      }
    }
    return new ArrayList<>(byName.values());
  }

  private static String names(List<InferenceBackend> all) {
    return all.stream().map(InferenceBackend::name).toList().toString();
  }
}
