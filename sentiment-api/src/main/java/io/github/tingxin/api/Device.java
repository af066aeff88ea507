package io.github.tingxin.api;

/**
 * Where inference runs.
 *
 * <p>Immutable, thread-safe and serialisable.
 *
 * @param type CPU or CUDA
 * @param index the GPU ordinal for CUDA, 0 for CPU
 * @param fallbackToCpu for CUDA: run on the CPU (and say so in the log) where CUDA is absent, instead of
 *     failing with {@link ErrorCode#DEVICE_UNAVAILABLE}
 */
public record Device(Type type, int index, boolean fallbackToCpu) implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** Kinds of device. */
  public enum Type {
    /** The host CPU. */
    CPU,
    /** An NVIDIA GPU through CUDA (needs the {@code onnxruntime_gpu} build). */
    CUDA
  }

  /** The host CPU. */
  public static final Device CPU = new Device(Type.CPU, 0, false);

  /**
   * @throws NullPointerException if {@code type} is null
   * @throws IllegalArgumentException if {@code index} is negative, or non-zero for CPU
   */
  public Device {
    java.util.Objects.requireNonNull(type, "type");
    if (index < 0 || (type == Type.CPU && index != 0)) {
      throw new IllegalArgumentException("invalid device index " + index + " for " + type);
    }
    if (type == Type.CPU && fallbackToCpu) {
      throw new IllegalArgumentException("fallbackToCpu applies to CUDA only");
    }
  }

  /** CUDA GPU {@code index}; fails when it is absent. */
  public static Device cuda(int index) {
    return new Device(Type.CUDA, index, false);
  }

  /** CUDA GPU {@code index} where present, else the CPU. */
  public static Device cudaIfAvailable(int index) {
    return new Device(Type.CUDA, index, true);
  }

  /**
   * Parses {@code cpu}, {@code cuda}, {@code cuda:N}, or either CUDA form followed by {@code ?} for
   * "if available" (as the CLI's {@code --device} takes).
   *
   * @throws TingxinException {@link ErrorCode#INVALID_OPTION} for any other text
   */
  public static Device parse(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    if (t.equals("cpu")) {
      return CPU;
    }
    boolean optional = t.endsWith("?");
    if (optional) {
      t = t.substring(0, t.length() - 1);
    }
    if (t.equals("cuda") || t.startsWith("cuda:")) {
      int idx = 0;
      if (t.startsWith("cuda:")) {
        try {
          idx = Integer.parseInt(t.substring(5));
        } catch (NumberFormatException e) {
          idx = -1;
        }
      }
      if (idx >= 0) {
        return new Device(Type.CUDA, idx, optional);
      }
    }
    throw new TingxinException(ErrorCode.INVALID_OPTION,
        "Device '" + text + "' is not one of cpu, cuda, cuda:N, cuda? or cuda:N?.");
  }

  @Override
  public String toString() {
    return type == Type.CPU ? "cpu" : "cuda:" + index + (fallbackToCpu ? "?" : "");
  }
}
