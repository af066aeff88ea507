package io.github.tingxin.spi;

import io.github.tingxin.api.ModelManifest;
import java.util.Map;

/**
 * A model loaded into a backend, holding native memory until {@link #close()}.
 *
 * <p>Thread-safe: {@link #run} may be called from many threads at once on one session. {@link #close()}
 * is idempotent; {@link #run} after close throws {@link IllegalStateException}. The caller that opened
 * the session owns it and must close it.
 */
public interface InferenceSession extends AutoCloseable {
  /** The manifest the session was opened with. */
  ModelManifest manifest();

  /**
   * Runs the model.
   *
   * @param batch the padded features, lengths included
   * @return raw output per head name: {@code [batchSize][head.rawSize()]}, before activation; a fresh map
   *     and arrays the caller owns
   * @throws IllegalStateException if closed
   * @throws io.github.tingxin.api.TingxinException {@link io.github.tingxin.api.ErrorCode#INFERENCE_FAILED},
   *     {@link io.github.tingxin.api.ErrorCode#MODEL_OUTPUT_INVALID} for outputs of the wrong shape
   */
  Map<String, float[][]> run(FeatureBatch batch);

  /** Frees native memory. Idempotent. */
  @Override
  void close();
}
