package io.github.tingxin.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.github.tingxin.api.Device;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.spi.InferenceBackend;
import io.github.tingxin.spi.InferenceSession;
import io.github.tingxin.spi.SessionOptions;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs model packages with ONNX Runtime 1.23, on the CPU and, with the {@code onnxruntime_gpu} build on
 * the class path (Maven profile {@code -Pcuda}), on CUDA GPUs.
 *
 * <p>{@link #open} makes one ONNX Runtime session per model; the session it returns is meant to be shared
 * by all threads that use the model (see {@link InferenceSession}), and owns the ONNX Runtime options it was
 * made with until it is closed. Opening checks the manifest against
 * the graph: the feature input and the optional lengths input exist with the right element type and rank,
 * no other input is needed, and each head's output exists with a size that fits its labels
 * ({@link ErrorCode#MODEL_MANIFEST_MISMATCH} otherwise). A missing, truncated or non-ONNX graph is
 * {@link ErrorCode#MODEL_FILE_INVALID}.
 *
 * <p>Devices: {@link Device#CPU} always; {@link Device#cuda(int)} where the CUDA execution provider is
 * present and starts, else {@link ErrorCode#DEVICE_UNAVAILABLE}; {@link Device#cudaIfAvailable(int)} falls
 * back to the CPU and says so once in the log. {@link SessionOptions}: intra-op threads, inter-op threads
 * (more than one switches ONNX Runtime to its parallel execution mode, without which they would be
 * unused), and the graph optimisation level; 0 threads leaves the choice to ONNX Runtime.
 *
 * <p>Thread-safe and stateless; has the public no-argument constructor {@link java.util.ServiceLoader}
 * needs.
 */
public final class OnnxBackend implements InferenceBackend {
  /** This backend's {@link #name()}, for {@code -Dtingxin.backend=onnxruntime}. */
  public static final String NAME = "onnxruntime";
  /** This backend's {@link #rank()}. */
  public static final int RANK = 100;

  private static final Logger LOG = LoggerFactory.getLogger(OnnxBackend.class);
  private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

  /** For {@link java.util.ServiceLoader}. */
  public OnnxBackend() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int rank() {
    return RANK;
  }

  @Override
  public boolean supports(Device device) {
    Objects.requireNonNull(device, "device");
    try {
      environment();
    } catch (TingxinException e) {
      return false;
    }
    return device.type() == Device.Type.CPU || cudaProviderPresent() || device.fallbackToCpu();
  }

  /**
   * {@inheritDoc}
   *
   * @throws TingxinException {@link ErrorCode#BACKEND_UNAVAILABLE} if ONNX Runtime's native library cannot be
   *     loaded on this machine
   */
  @Override
  public InferenceSession open(ModelPackage model, SessionOptions options) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(options, "options");
    OrtEnvironment env = environment();
    try {
      return SessionHandle.open("The session of " + model.manifest().name(), handle -> {
        OrtSession.SessionOptions ortOptions = handle.options();
        ortOptions.setOptimizationLevel(switch (options.optimization()) {
          case NONE -> OrtSession.SessionOptions.OptLevel.NO_OPT;
          case BASIC -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
          case EXTENDED -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
          case ALL -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
        });
        if (options.intraOpThreads() > 0) {
          ortOptions.setIntraOpNumThreads(options.intraOpThreads());
        }
        if (options.interOpThreads() > 0) {
          ortOptions.setInterOpNumThreads(options.interOpThreads());
          if (options.interOpThreads() > 1) {
            ortOptions.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.PARALLEL);
          }
        }
        Device device = options.device();
        Device used = device.type() == Device.Type.CUDA ? addCuda(ortOptions, device, model) : Device.CPU;
        return OnnxSession.open(env, model, handle, used);
      });
    } catch (OrtException e) {
      // loading maps its own errors; what is left comes from setting the options
      throw new TingxinException(ErrorCode.INVALID_OPTION, "ONNX Runtime refused the session options " + options
          + " (" + e.getMessage() + ").", e);
    }
  }

  private static Device addCuda(OrtSession.SessionOptions ortOptions, Device device, ModelPackage model) {
    String why;
    if (!cudaProviderPresent()) {
      why = "the CUDA execution provider is not in this ONNX Runtime build (put ONNX Runtime's GPU "
          + "build com.microsoft.onnxruntime:onnxruntime_gpu on the class path, e.g. Tingxin's Maven profile -Pcuda, "
          + "with CUDA 12 and cuDNN 9 installed)";
    } else {
      try {
        ortOptions.addCUDA(device.index());
        return device;
      } catch (OrtException | RuntimeException e) {
        why = "the CUDA execution provider did not start on GPU " + device.index() + " (" + e.getMessage()
            + "); check the driver, CUDA 12 and cuDNN 9";
      }
    }
    if (!device.fallbackToCpu()) {
      throw new TingxinException(ErrorCode.DEVICE_UNAVAILABLE, "Cannot run " + model.manifest().name() + " on "
          + device + ": " + why + ". Ask for Device.cudaIfAvailable(" + device.index() + ") to fall back to the CPU.");
    }
    if (FALLBACK_LOGGED.compareAndSet(false, true)) {
      LOG.warn("CUDA requested with fallback but unavailable ({}); running on the CPU.", why);
    }
    return Device.CPU;
  }

  static boolean cudaProviderPresent() {
    try {
      return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  static OrtEnvironment environment() {
    try {
      return OrtEnvironment.getEnvironment();
    } catch (RuntimeException | LinkageError e) {
      throw new TingxinException(ErrorCode.BACKEND_UNAVAILABLE, "ONNX Runtime cannot start on this machine ("
          + e + "); it ships native libraries for Linux, macOS and Windows on x64 and arm64.", e);
    }
  }
}
