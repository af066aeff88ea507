package io.github.tingxin.core.recognizer;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.TingxinException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;

/**
 * Scores the closed segments of all the live streams and offline analyses of one recognizer, on the
 * recognizer's own scoring threads: a stream's {@code accept} cuts segments but never waits for the model,
 * segments of many live calls that close at about the same time share one inference call, and an analysis
 * reads and segments its audio while its earlier batches are scored, on as many threads as the cores hold.
 *
 * <p><b>Batching.</b> A stream hands over each group of segments it closes as one {@link Request}. A
 * scoring thread that becomes free takes the requests waiting, oldest first, until they hold
 * {@code batchSize} segments (a request larger than that is taken alone; the scorer splits it into batches
 * of {@code batchSize}; a request marked {@code alone}, offline analysis's, is always a batch of its own, so
 * that an analysis gives the same answer whatever runs beside it), and scores them in one call of the
 * scoring function (the recognizer's one scoring path: sorted by length, padded to the longest of each
 * batch). It never waits for more segments to
 * arrive: an idle recognizer scores a segment as soon as it closes, a busy one batches what piled up
 * meanwhile. If a batch of several requests fails, each request is scored alone, so that one stream's
 * failure does not fail the others.
 *
 * <p><b>Bounded queue, back-pressure.</b> At most {@code capacity} segments wait (a request larger than the
 * capacity is let in when the queue is empty). {@link #submit} blocks while the queue is full until a
 * scoring thread takes a batch: streams fed faster than the model can score slow their callers down rather
 * than grow memory. A thread interrupted while it waits gets {@link ErrorCode#INTERRUPTED} (flag left set)
 * and nothing was queued. Memory: at most {@code capacity} segments' audio (each at most the model's
 * longest segment) besides the batches being scored.
 *
 * <p><b>Latency bound.</b> A request waits for at most the batches queued ahead of it: with the queue full,
 * {@code ceil(capacity / batchSize / threads)} batch times, then its own batch.
 *
 * <p>Threads are started on the first {@link #submit} and run until {@link #shutdown()}. Thread-safe.
 */
final class StreamBatcher {
  /** One stream's closed segments, scored together; {@link #result} completes once. */
  static final class Request {
    final List<float[]> clips;
    final List<DefaultEmotionRecognizer.Span> spans;
    /** The scored segments in the order of {@link #clips}; completes exceptionally if scoring failed. */
    final CompletableFuture<List<SegmentResult>> result = new CompletableFuture<>();
    /** Scored as a batch of its own, never with other requests (so its results never depend on theirs). */
    final boolean alone;
    private volatile boolean cancelled;

    Request(List<float[]> clips, List<DefaultEmotionRecognizer.Span> spans, boolean alone) {
      this.clips = List.copyOf(clips);
      this.spans = List.copyOf(spans);
      this.alone = alone;
    }

    int size() {
      return clips.size();
    }

    /**
     * The results, waiting for them.
     *
     * @throws InterruptedException if the thread is interrupted while it waits
     * @throws RuntimeException what the scoring threw, as thrown; {@link IllegalStateException} if the
     *     request was dropped because the recognizer was closed
     */
    List<SegmentResult> await() throws InterruptedException {
      try {
        return result.get();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException re) {
          throw re;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException(cause);
      } catch (CancellationException e) {
        throw new IllegalStateException("The recognizer was closed; build a new one.", e);
      }
    }

    /** The stream no longer wants the result: skipped if still waiting. */
    void cancel() {
      cancelled = true;
    }
  }

  private final BiFunction<List<float[]>, List<DefaultEmotionRecognizer.Span>, List<SegmentResult>> scoring;
  private final int batchSize;
  private final int capacity;
  private final int threadCount;
  private final String threadName;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private final ArrayDeque<Request> queue = new ArrayDeque<>();
  private final List<Thread> threads = new ArrayList<>();
  private int queuedSegments;
  private boolean shutdown;

  /**
   * @param scoring scores clips into results for their spans, in order (thread-safe)
   * @param batchSize most segments per batch, at least 1
   * @param capacity most segments waiting, at least 1
   * @param threadCount scoring threads, at least 1
   * @param threadName prefix of the scoring threads' names
   */
  StreamBatcher(BiFunction<List<float[]>, List<DefaultEmotionRecognizer.Span>, List<SegmentResult>> scoring,
      int batchSize, int capacity, int threadCount, String threadName) {
    if (batchSize < 1 || capacity < 1 || threadCount < 1) {
      throw new IllegalArgumentException("batchSize, capacity and threads must be >= 1");
    }
    this.scoring = scoring;
    this.batchSize = batchSize;
    this.capacity = capacity;
    this.threadCount = threadCount;
    this.threadName = threadName;
  }

  int capacity() {
    return capacity;
  }

  /**
   * Queues segments for scoring, waiting while the queue is full.
   *
   * @param alone score them as a batch of their own (offline analysis: its results must not depend on what
   *     other calls run at the same time); else they may share a batch with other requests
   * @return the request, whose result completes once they are scored
   * @throws TingxinException {@link ErrorCode#INTERRUPTED} if the thread is interrupted while it waits (the
   *     flag stays set; nothing was queued)
   * @throws IllegalStateException after {@link #shutdown()}
   */
  Request submit(List<float[]> clips, List<DefaultEmotionRecognizer.Span> spans, boolean alone) {
    Request r = new Request(clips, spans, alone);
    lock.lock();
    try {
      checkOpen();
      startThreads();
      while (queuedSegments > 0 && queuedSegments + r.size() > capacity) {
        try {
          notFull.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new TingxinException(ErrorCode.INTERRUPTED, "Interrupted while waiting for room in the scoring "
              + "queue (the thread's interrupt flag is set and stays set); the segments stay with the stream and "
              + "are handed over by its next accept or finish.");
        }
        checkOpen();
      }
      queue.add(r);
      queuedSegments += r.size();
      notEmpty.signal();
      return r;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops taking requests: those still waiting complete with {@link CancellationException}, batches being
   * scored finish, and the scoring threads end before this returns. Idempotent.
   */
  void shutdown() {
    List<Thread> running;
    lock.lock();
    try {
      shutdown = true;
      for (Request r : queue) {
        r.result.completeExceptionally(new CancellationException("the recognizer was closed"));
      }
      queue.clear();
      queuedSegments = 0;
      notEmpty.signalAll();
      notFull.signalAll();
      running = List.copyOf(threads);
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    for (Thread t : running) {
      while (t.isAlive()) {
        try {
          t.join();
        } catch (InterruptedException e) {
          interrupted = true; // finish waiting: the session must not close under a running batch
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void checkOpen() {
    if (shutdown) {
      throw new IllegalStateException("The recognizer is closed; build a new one.");
    }
  }

  private void startThreads() {
    if (!threads.isEmpty()) {
      return;
    }
    for (int i = 0; i < threadCount; i++) {
      Thread t = new Thread(this::work, threadName + "-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** A scoring thread: takes batches until shutdown. */
  private void work() {
    List<Request> batch = new ArrayList<>();
    while (true) {
      batch.clear();
      lock.lock();
      try {
        while (queue.isEmpty() && !shutdown) {
          notEmpty.awaitUninterruptibly();
        }
        if (shutdown) {
          return;
        }
        int segments = 0;
        while (!queue.isEmpty() && (batch.isEmpty() || fits(batch, segments, queue.peek()))) {
          Request r = queue.poll();
          queuedSegments -= r.size();
          if (r.cancelled) {
            r.result.completeExceptionally(new CancellationException("the stream was closed"));
            continue;
          }
          batch.add(r);
          segments += r.size();
        }
        notFull.signalAll();
      } finally {
        lock.unlock();
      }
      if (!batch.isEmpty()) {
        score(batch);
      }
    }
  }

  /** Whether {@code next} may join a batch already holding {@code segments} segments of {@code batch}. */
  private boolean fits(List<Request> batch, int segments, Request next) {
    return !next.alone && !batch.get(0).alone && segments + next.size() <= batchSize;
  }

  private void score(List<Request> batch) {
    if (batch.size() == 1) {
      scoreAlone(batch.get(0));
      return;
    }
    List<float[]> clips = new ArrayList<>();
    List<DefaultEmotionRecognizer.Span> spans = new ArrayList<>();
    for (Request r : batch) {
      clips.addAll(r.clips);
      spans.addAll(r.spans);
    }
    List<SegmentResult> scored;
    try {
      scored = scoring.apply(clips, spans);
    } catch (Throwable e) {
      for (Request r : batch) {
        scoreAlone(r); // find whose segments fail; the others still get their results
      }
      return;
    }
    int from = 0;
    for (Request r : batch) {
      r.result.complete(List.copyOf(scored.subList(from, from + r.size())));
      from += r.size();
    }
  }

  private void scoreAlone(Request r) {
    try {
      r.result.complete(scoring.apply(r.clips, r.spans));
    } catch (Throwable e) {
      r.result.completeExceptionally(e);
    }
  }
}
