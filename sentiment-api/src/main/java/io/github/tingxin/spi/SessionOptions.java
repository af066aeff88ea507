package io.github.tingxin.spi;

import io.github.tingxin.api.Device;
import java.util.Objects;

/**
 * How a backend opens a model.
 *
 * <p>Immutable and thread-safe.
 *
 * @param device where to run
 * @param intraOpThreads threads within one operator; 0 lets the backend choose
 * @param interOpThreads threads across operators; 0 lets the backend choose
 * @param optimization graph optimisation level
 */
public record SessionOptions(Device device, int intraOpThreads, int interOpThreads, Optimization optimization) {

  /** Graph optimisation levels (ONNX Runtime's names). */
  public enum Optimization {
    /** No graph rewriting. */
    NONE,
    /** Constant folding and redundant node removal. */
    BASIC,
    /** Basic plus node fusions. */
    EXTENDED,
    /** Everything, including layout changes (the default). */
    ALL
  }

  /** CPU, backend-chosen threads, all optimisations. */
  public static final SessionOptions DEFAULT = new SessionOptions(Device.CPU, 0, 0, Optimization.ALL);

  /** @throws IllegalArgumentException for negative thread counts */
  public SessionOptions {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(optimization, "optimization");
    if (intraOpThreads < 0 || interOpThreads < 0) {
      throw new IllegalArgumentException("thread counts must be >= 0");
    }
  }
}
