package io.github.tingxin.core.recognizer;

import io.github.tingxin.api.Alert;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.ChannelSelection;
import io.github.tingxin.api.EmotionStream;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.StreamListener;
import io.github.tingxin.api.TingxinException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A live call: the caller's audio (mono, channel -1) through the same {@link CallRun} that offline analysis
 * uses, so it gives the offline timeline by construction. Each segment is scored as soon as the segmenter
 * closes it and reaches the listener, with any {@link Alert} it raises, from within {@link #accept}. Memory:
 * the pipeline's ring, the alert window and the list of scored segments for {@link #finish()}.
 *
 * <p>If the listener throws, the remaining results of that call are still delivered, then the first
 * exception propagates; the stream stays usable. If scoring fails or the thread is interrupted
 * ({@link ErrorCode#INTERRUPTED}, flag left set), the closed segments stay queued and are scored by the next
 * {@link #accept} or {@link #finish()}. Not thread-safe: one thread at a time.
 */
final class RecognizerStream implements EmotionStream {
  private final DefaultEmotionRecognizer recognizer;
  private final int sampleRate;
  private final StreamListener listener;
  private final CallRun run;
  private final float[][] chunk = new float[1][];
  private final AlertTracker alerts;
  private final List<SegmentResult> segments = new ArrayList<>();
  private boolean done;

  RecognizerStream(DefaultEmotionRecognizer recognizer, int sampleRate, StreamListener listener) {
    this.recognizer = recognizer;
    this.sampleRate = sampleRate;
    this.listener = listener;
    this.run = new CallRun(recognizer, sampleRate, 1, ChannelSelection.DOWNMIX, 1, this::deliver);
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
      chunk[0] = samples;
      try {
        run.accept(chunk, offset, length);
      } finally {
        chunk[0] = null; // the caller's array is not kept
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
      done = true;
      return recognizer.analysis(run.frames() / (double) sampleRate, segments, false);
    } finally {
      recognizer.exit();
    }
  }

  @Override
  public void close() {
    done = true;
  }

  private void checkOpen() {
    if (done) {
      throw new TingxinException(ErrorCode.STREAM_FINISHED, "This stream was finished or closed; open a new "
          + "stream for a new call.");
    }
  }

  private void deliver(List<SegmentResult> scored) {
    RuntimeException first = null;
    for (SegmentResult s : scored) {
      segments.add(s);
      Alert alert = alerts.onSegment(s);
      try {
        listener.onSegment(s);
        if (alert != null) {
          listener.onAlert(alert);
        }
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
