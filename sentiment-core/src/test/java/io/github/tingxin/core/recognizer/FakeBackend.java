package io.github.tingxin.core.recognizer;

import io.github.tingxin.api.Device;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.spi.FeatureBatch;
import io.github.tingxin.spi.InferenceBackend;
import io.github.tingxin.spi.InferenceSession;
import io.github.tingxin.spi.SessionOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend for the recognizer's tests (registered in test resources as {@code fake}): a "model" whose logits
 * are simple functions of the masked mean of each item's features, so scores vary with the audio and never
 * depend on padding. Tests can make {@link #run} wait on a latch, and it checks the batching contract: a
 * manifest without a lengths input must never see items of different lengths in one batch.
 */
public final class FakeBackend implements InferenceBackend {
  static final AtomicInteger OPEN_SESSIONS = new AtomicInteger();
  static final AtomicInteger RUNS = new AtomicInteger();
  /** Runs attempted on a closed session: a recognizer must never do that. */
  static final AtomicInteger RUNS_ON_CLOSED = new AtomicInteger();
  /** The largest batch run so far. */
  static final AtomicInteger MAX_BATCH = new AtomicInteger();
  /** Every run's tensor shape, in run order: the padded frame count, then each item's length. */
  static final java.util.Queue<long[]> SHAPES = new java.util.concurrent.ConcurrentLinkedQueue<>();
  static volatile CountDownLatch runGate;
  static volatile CountDownLatch runStarted;

  public FakeBackend() {}

  /** Lets runs go again after a test that held them; clears the calling thread's interrupt flag. */
  static void release() {
    runGate = null;
    runStarted = null;
    Thread.interrupted();
  }

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public int rank() {
    return -100;
  }

  @Override
  public boolean supports(Device device) {
    return device.type() == Device.Type.CPU;
  }

  @Override
  public InferenceSession open(ModelPackage model, SessionOptions options) {
    OPEN_SESSIONS.incrementAndGet();
    return new Session(model.manifest());
  }

  static final class Session implements InferenceSession {
    private final ModelManifest manifest;
    private volatile boolean closed;

    Session(ModelManifest manifest) {
      this.manifest = manifest;
    }

    @Override
    public ModelManifest manifest() {
      return manifest;
    }

    @Override
    public Map<String, float[][]> run(FeatureBatch batch) {
      if (closed) {
        RUNS_ON_CLOSED.incrementAndGet();
        throw new IllegalStateException("closed");
      }
      MAX_BATCH.accumulateAndGet(batch.batchSize(), Math::max);
      CountDownLatch started = runStarted;
      if (started != null) {
        started.countDown();
      }
      CountDownLatch gate = runGate;
      if (gate != null) {
        try {
          gate.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      RUNS.incrementAndGet();
      long[] shape = new long[1 + batch.batchSize()];
      shape[0] = batch.frames();
      System.arraycopy(batch.lengths(), 0, shape, 1, batch.batchSize());
      SHAPES.add(shape);
      if (manifest.input().lengths().isEmpty()) {
        for (long l : batch.lengths()) {
          if (l != batch.frames()) {
            throw new AssertionError("padded batch for a model without a lengths input");
          }
        }
      }
      int b = batch.batchSize();
      float[][] negative = new float[b][2];
      float[][] emotion = new float[b][3];
      for (int i = 0; i < b; i++) {
        double level = 0;
        double zcr = 0;
        int n = (int) batch.lengths()[i];
        for (int t = 0; t < n; t++) {
          int base = (i * batch.frames() + t) * batch.dim();
          level += batch.data()[base];
          zcr += batch.data()[base + 1];
        }
        level /= n;
        zcr /= n;
        negative[i][0] = 0;
        negative[i][1] = (float) (level + 4); // louder speech "more negative"
        emotion[i][0] = (float) (10 * zcr);
        emotion[i][1] = (float) level;
        emotion[i][2] = (float) (n / 100.0);
      }
      Map<String, float[][]> out = new HashMap<>();
      out.put("negative", negative); // keyed by head name, as InferenceSession.run says
      out.put("emotion", emotion);
      return out;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        OPEN_SESSIONS.decrementAndGet();
      }
    }
  }
}
