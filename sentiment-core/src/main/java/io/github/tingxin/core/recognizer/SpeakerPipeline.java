package io.github.tingxin.core.recognizer;

import io.github.tingxin.core.audio.Resampler;
import io.github.tingxin.core.segment.StreamingSegmenter;
import io.github.tingxin.spi.RegionTuning;
import io.github.tingxin.spi.VoiceActivityDetector;
import java.util.ArrayList;
import java.util.List;

/**
 * One speaker's audio on its way to segments: streaming resampler (input rate to the model's), then the
 * {@link StreamingSegmenter}. Closed segments wait in {@link #peek()} until scored and discarded. Offline analysis and
 * live streams both feed audio through this class (by way of {@link CallRun}), which is why they agree. Not thread-safe.
 */
final class SpeakerPipeline {
  /**
   * A closed segment at the model's rate, waiting to be scored.
   *
   * @param startSample first sample of its span
   * @param endSample end of its span (exclusive)
   * @param samples the audio to score: the span, preceded by context for the short last piece of a split turn
   */
  record PendingSegment(long startSample, long endSample, float[] samples) {}

  private static final int BLOCK = 8192;

  private final Resampler.Stream resampler;
  private final StreamingSegmenter segmenter;
  private float[] resampled;
  private final List<PendingSegment> pending = new ArrayList<>();
  private int scored;
  private boolean finished;

  SpeakerPipeline(int inputRate, int modelRate, VoiceActivityDetector vad, RegionTuning regions,
      StreamingSegmenter.Options options) {
    this.resampler = inputRate == modelRate ? null : Resampler.of(inputRate, modelRate).newStream();
    this.resampled = resampler == null ? null : new float[resampler.maxOutput(BLOCK) + 16];
    this.segmenter = new StreamingSegmenter(options, vad, regions,
        (start, end, samples) -> pending.add(new PendingSegment(start, end, samples)));
  }

  void accept(float[] samples, int offset, int length) {
    if (resampler == null) {
      segmenter.accept(samples, offset, length);
      return;
    }
    for (int i = offset; i < offset + length; i += BLOCK) {
      int n = Math.min(BLOCK, offset + length - i);
      int room = resampler.maxOutput(n);
      if (room > resampled.length) {
        resampled = new float[room];
      }
      int out = resampler.accept(samples, i, n, resampled, 0);
      segmenter.accept(resampled, 0, out);
    }
  }

  /** Whether {@link #finish()} was called. */
  boolean finished() {
    return finished;
  }

  void finish() {
    finished = true;
    if (resampler != null) {
      float[] tail = new float[resampler.pendingOutput()];
      int n = resampler.flush(tail, 0);
      segmenter.accept(tail, 0, n);
    }
    segmenter.finish();
  }

  /** Number of segments waiting. */
  int pendingCount() {
    return pending.size();
  }

  /** The segments waiting, in time order (a copy); they stay until {@link #discard(int)}. */
  List<PendingSegment> peek() {
    return new ArrayList<>(pending);
  }

  /** Forgets the first {@code count} waiting segments, once scored. */
  void discard(int count) {
    pending.subList(0, count).clear();
    scored += count;
  }

  /** Segments scored and discarded so far: the index of the first waiting one (0, 1, 2, ...). */
  int scored() {
    return scored;
  }
}
