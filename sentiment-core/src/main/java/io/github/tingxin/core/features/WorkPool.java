package io.github.tingxin.core.features;

import java.util.function.Supplier;

/**
 * Work buffers lent to one call at a time and taken back, so that calls in steady state allocate nothing.
 * Thread-safe. It keeps at most {@code capacity} idle buffers (a call that finds none builds one; a buffer
 * given back to a full pool is dropped), and they belong to the pool: when its owner is no longer reachable
 * they go with it. A {@code ThreadLocal} in each extractor instance did not: the work of every extractor a
 * long-lived thread had used stayed in that thread's map until the map happened to expunge it (2.7 KB per
 * recognizer built and closed on one thread, measured by {@code LongRunTest}'s long run).
 *
 * @param <W> the work type
 */
final class WorkPool<W> {
  private final Supplier<W> factory;
  private final Object[] idle;
  private int size;

  /**
   * A pool that keeps as many idle buffers as there are processors (at least 2): more calls than that cannot
   * compute at once for long, and a buffer is large (Whisper's about 0.8 MB).
   */
  WorkPool(Supplier<W> factory) {
    this(factory, Math.max(2, Runtime.getRuntime().availableProcessors()));
  }

  WorkPool(Supplier<W> factory, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    this.factory = factory;
    this.idle = new Object[capacity];
  }

  /** An idle buffer, or a new one; give it back with {@link #give} when the call is done. */
  W take() {
    synchronized (this) {
      if (size > 0) {
        @SuppressWarnings("unchecked")
        W w = (W) idle[--size];
        idle[size] = null;
        return w;
      }
    }
    return factory.get();
  }

  /** Takes back a buffer from {@link #take}; the caller must not use it afterwards. */
  void give(W w) {
    synchronized (this) {
      if (size < idle.length) {
        idle[size++] = w;
      }
    }
  }

  /** Idle buffers held now. */
  synchronized int idle() {
    return size;
  }
}
