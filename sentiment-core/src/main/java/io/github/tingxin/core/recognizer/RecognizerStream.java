package io.github.tingxin.core.recognizer;

import io.github.tingxin.api.Alert;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.ChannelSelection;
import io.github.tingxin.api.EmotionStream;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.StreamListener;
import io.github.tingxin.api.TingxinException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A live call: the caller's audio (mono, channel -1) through the same {@link CallRun} that offline analysis
 * uses, so it gives the offline timeline by construction. Each segment is handed to the recognizer's
 * {@link StreamBatcher} as soon as the segmenter closes it, scored there on the recognizer's scoring threads
 * (in batches with other streams' segments), and reaches the listener, with any {@link Alert} it raises, in
 * order, on the thread feeding the stream: from within the {@link #accept} that closed it if it is scored
 * before that call returns, else from within the next {@code accept} (which first waits for the segments
 * earlier calls closed) or {@link #finish()} (which waits for all). So a segment reaches the listener at the
 * latest one chunk after the one that closed it, and {@code accept} waits for the model only when the
 * scoring threads are behind (per-stream back-pressure) or for room in the scoring queue when it is full.
 * Memory: the pipeline's ring, at most one chunk's segments waiting to be scored, the alert window and the
 * list of scored segments for {@link #finish()}.
 *
 * <p>If the listener throws, the remaining results of that call are still delivered, then the first
 * exception propagates; the stream stays usable. If scoring fails, the failed segments are queued again, in
 * their place, and the failure propagates from the call that found it; if the thread is interrupted
 * ({@link ErrorCode#INTERRUPTED}, flag left set), nothing is lost: closed segments stay with the stream and are
 * handed over or delivered by the next {@link #accept} or {@link #finish()}. Not thread-safe: one thread at
 * a time.
 */
final class RecognizerStream implements EmotionStream {
  private final DefaultEmotionRecognizer recognizer;
  private final int sampleRate;
  private final StreamListener listener;
  private final CallRun run;
  private final float[][] chunk = new float[1][];
  private final AlertTracker alerts;
  private final List<SegmentResult> segments = new ArrayList<>();
  /** Segments handed to the batcher, oldest first, until delivered. */
  private final ArrayDeque<StreamBatcher.Request> scoring = new ArrayDeque<>();
  private boolean done;

  RecognizerStream(DefaultEmotionRecognizer recognizer, int sampleRate, StreamListener listener) {
    this.recognizer = recognizer;
    this.sampleRate = sampleRate;
    this.listener = listener;
    this.run = new CallRun(recognizer, sampleRate, 1, ChannelSelection.DOWNMIX, 1,
        (clips, spans) -> scoring.add(recognizer.batcher().submit(clips, spans, false)));
    this.alerts = new AlertTracker(recognizer.config().alertRule());
  }

  @Override
  public int sampleRate() {
    return sampleRate;
  }

  @Override
  public void accept(float[] samples, int offset, int length) {
    Objects.requireNonNull(samples, "samples");
    Objects.checkFromIndexSize(offset, length, samples.length);
    checkOpen();
    for (int i = offset; i < offset + length; i++) {
      if (!Float.isFinite(samples[i])) {
        throw new TingxinException(ErrorCode.NON_FINITE_SAMPLE, "Sample " + (i - offset) + " of the chunk is "
            + (Float.isNaN(samples[i]) ? "NaN" : "infinite") + "; nothing of the chunk was taken. Check the audio "
            + "source or filter.");
      }
    }
    recognizer.enter();
    try {
      DefaultEmotionRecognizer.checkInterrupted();
      // The segments earlier chunks closed first (scored by now, unless the scoring threads are behind:
      // then this waits, which is the per-stream back-pressure), so each reaches the listener at the latest
      // in the call after the one that closed it.
      RuntimeException failure = deliver(scoring.size());
      chunk[0] = samples;
      try {
        run.accept(chunk, offset, length);
      } finally {
        chunk[0] = null; // the caller's array is not kept
      }
      failure = add(failure, deliver(0));
      if (failure != null) {
        throw failure;
      }
    } finally {
      recognizer.exit();
    }
  }

  @Override
  public CallAnalysis finish() {
    checkOpen();
    recognizer.enter();
    try {
      run.finish();
      RuntimeException failure = deliver(scoring.size());
      if (failure != null) {
        throw failure;
      }
      done = true;
      return recognizer.analysis(run.frames() / (double) sampleRate, segments, false);
    } finally {
      recognizer.exit();
    }
  }

  /** Discards the stream; segments still waiting to be scored are skipped by the batcher. */
  @Override
  public void close() {
    done = true;
    for (StreamBatcher.Request r : scoring) {
      r.cancel();
    }
    scoring.clear();
  }

  private void checkOpen() {
    if (done) {
      throw new TingxinException(ErrorCode.STREAM_FINISHED, "This stream was finished or closed; open a new "
          + "stream for a new call.");
    }
  }

  /**
   * Delivers scored segments in order: waits for the first {@code waitFor} requests, then delivers those
   * after them that are already scored. A request whose scoring failed is queued again in its place and
   * delivery stops there.
   *
   * @return what the listener or the scoring threw (the first, the others suppressed), or null
   * @throws TingxinException {@link ErrorCode#INTERRUPTED} if interrupted while waiting (flag left set); what
   *     was not delivered stays for the next call
   */
  private RuntimeException deliver(int waitFor) {
    RuntimeException first = null;
    for (int k = 0; !scoring.isEmpty(); k++) {
      StreamBatcher.Request head = scoring.peek();
      if (k >= waitFor && !head.result.isDone()) {
        break;
      }
      List<SegmentResult> scored;
      try {
        scored = await(head);
      } catch (RuntimeException e) {
        return add(first, again(head, e));
      }
      if (scored == null) {
        TingxinException e = new TingxinException(ErrorCode.INTERRUPTED, "Interrupted while waiting for the "
            + "stream's segments to be scored (the thread's interrupt flag is set and stays set); nothing is lost: "
            + "they reach the listener in the next call.");
        if (first != null) {
          e.addSuppressed(first);
        }
        throw e;
      }
      scoring.poll();
      for (SegmentResult s : scored) {
        segments.add(s);
        Alert alert = alerts.onSegment(s);
        try {
          listener.onSegment(s);
          if (alert != null) {
            listener.onAlert(alert);
          }
        } catch (RuntimeException e) {
          first = add(first, e);
        }
      }
    }
    return first;
  }

  /**
   * Queues the segments of a request whose scoring failed again, in its place, and returns the failure. If
   * they cannot be queued now (interrupted, queue full), the failed request stays and the next call tries.
   */
  private RuntimeException again(StreamBatcher.Request failed, RuntimeException failure) {
    try {
      StreamBatcher.Request retry = recognizer.batcher().submit(failed.clips, failed.spans, false);
      scoring.poll();
      scoring.addFirst(retry);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
    return failure;
  }

  /** The request's results, waiting for them; null if the thread is interrupted while it waits (flag set again). */
  private static List<SegmentResult> await(StreamBatcher.Request r) {
    try {
      return r.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** {@code first} with {@code e} suppressed; either may be null. */
  private static RuntimeException add(RuntimeException first, RuntimeException e) {
    if (first == null || e == null) {
      return first == null ? e : first;
    }
    first.addSuppressed(e);
    return first;
  }
}
