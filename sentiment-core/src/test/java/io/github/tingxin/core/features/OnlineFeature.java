package io.github.tingxin.core.features;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.util.Objects;

/**
 * The streaming form of {@link KaldiFbank} and {@link KaldiMfcc}, after Kaldi's
 * {@code OnlineGenericBaseFeature}: accept waveform in chunks of any size, then
 * {@link #inputFinished()}; frames become ready as soon as the samples they cover have arrived, and every
 * frame equals the frame of the one-shot extractor over the whole audio (with {@code snip_edges} false
 * the last frames, which reflect the audio's end, are ready only after {@link #inputFinished()}).
 *
 * <p>Memory stays bounded by the frames kept: samples no frame still needs are dropped, and
 * {@link #discardFramesBefore(int)} drops frames the caller has consumed.
 *
 * <p>Not thread-safe: one stream, one thread (or external synchronisation). Make one per stream with
 * {@link #of(KaldiFrameFeature)}.
 *
 * <p>A test fixture, not part of the product (no product code streams features: the recognizer extracts
 * each segment whole): it proves that {@link KaldiFrameFeature}'s frames do not depend on how the audio
 * is blocked, which the recognizer's streamed-equals-offline results rely on.
 */
public final class OnlineFeature {
  /** Frames per block: a stream computes a few frames per chunk, so its work rows stay small. */
  private static final int STREAM_LANES = 8;

  private final KaldiFrameFeature extractor;
  private final FrameExtractor framing;
  private final KaldiFrameFeature.Scratch scratch;
  private final int dim;

  private float[] samples = new float[4096];
  private long samplesStart; // global index of samples[0]
  private int samplesLength;
  private long numSamples;

  private float[] features = new float[0];
  private int firstStoredFrame;
  private int numFramesReady;
  private boolean finished;

  /**
   * A streaming extractor with the options of {@code extractor}, for one stream on one thread.
   *
   * @throws TingxinException {@link ErrorCode#UNSUPPORTED_OPTION} if {@code subtract_mean} is on (it needs
   *     the whole utterance)
   */
  static OnlineFeature of(KaldiFrameFeature extractor) {
    if (extractor.subtractMean()) {
      throw Checks.unsupported("subtract_mean", "needs the whole utterance, so the online extractor cannot"
          + " honour it; subtract means after the stream ends or use the one-shot extractor");
    }
    return new OnlineFeature(extractor);
  }

  private OnlineFeature(KaldiFrameFeature extractor) {
    this.extractor = extractor;
    this.framing = extractor.frames;
    this.scratch = extractor.newScratch(Math.min(STREAM_LANES, extractor.lanes()));
    this.dim = extractor.dim();
  }

  /** Values per frame. */
  public int dim() {
    return dim;
  }

  /** The sample rate the samples must have, in hertz. */
  public int sampleRate() {
    return extractor.sampleRate();
  }

  /**
   * Appends samples (full scale 1.0) and computes every frame they complete.
   *
   * @param waveform samples; the array is read, not kept
   * @param offset first sample to take
   * @param length number of samples
   * @throws IllegalStateException after {@link #inputFinished()}
   * @throws IndexOutOfBoundsException if the range is outside the array
   */
  public void acceptWaveform(float[] waveform, int offset, int length) {
    Objects.requireNonNull(waveform, "waveform");
    Objects.checkFromIndexSize(offset, length, waveform.length);
    if (finished) {
      throw new IllegalStateException("acceptWaveform after inputFinished");
    }
    for (int i = offset; i < offset + length; i++) {
      if (!Float.isFinite(waveform[i])) {
        throw new io.github.tingxin.api.TingxinException(io.github.tingxin.api.ErrorCode.NON_FINITE_SAMPLE,
            "Sample " + (numSamples + i - offset) + " of the stream is NaN or infinite; the audio is corrupt.");
      }
    }
    ensureSampleCapacity(samplesLength + length);
    System.arraycopy(waveform, offset, samples, samplesLength, length);
    samplesLength += length;
    numSamples += length;
    computeFrames(false);
  }

  /** Appends all of {@code waveform}; see {@link #acceptWaveform(float[], int, int)}. */
  public void acceptWaveform(float[] waveform) {
    acceptWaveform(waveform, 0, waveform.length);
  }

  /** Says no more samples come, and computes the last frames. Calling it again does nothing. */
  public void inputFinished() {
    if (!finished) {
      finished = true;
      computeFrames(true);
    }
  }

  /** Whether {@code frame} is the last frame; known only once {@link #inputFinished()} was called. */
  public boolean isLastFrame(int frame) {
    return finished && frame == numFramesReady - 1;
  }

  /** Frames computed so far (including any discarded). */
  public int numFramesReady() {
    return numFramesReady;
  }

  /**
   * Copies frame {@code frame} into {@code dst[offset, offset + dim())}.
   *
   * @throws IndexOutOfBoundsException if the frame is not ready or was discarded, or {@code dst} is too small
   */
  public void getFrame(int frame, float[] dst, int offset) {
    if (frame < firstStoredFrame || frame >= numFramesReady) {
      throw new IndexOutOfBoundsException("frame " + frame + " is not stored; stored frames are ["
          + firstStoredFrame + ", " + numFramesReady + ")");
    }
    System.arraycopy(features, (frame - firstStoredFrame) * dim, dst, offset, dim);
  }

  /** A copy of frame {@code frame}; see {@link #getFrame(int, float[], int)}. */
  public float[] getFrame(int frame) {
    float[] out = new float[dim];
    getFrame(frame, out, 0);
    return out;
  }

  /** Drops stored frames before {@code frame}, which then can no longer be read. */
  public void discardFramesBefore(int frame) {
    int drop = Math.min(frame, numFramesReady) - firstStoredFrame;
    if (drop <= 0) {
      return;
    }
    int keep = numFramesReady - firstStoredFrame - drop;
    System.arraycopy(features, drop * dim, features, 0, keep * dim);
    firstStoredFrame += drop;
  }

  private void computeFrames(boolean flush) {
    int target = framing.numFrames(numSamples, flush);
    if (target <= numFramesReady) {
      return;
    }
    int stored = numFramesReady - firstStoredFrame;
    int needed = (stored + target - numFramesReady) * dim;
    if (needed > features.length) {
      float[] grown = new float[Math.max(needed, features.length * 2)];
      System.arraycopy(features, 0, grown, 0, stored * dim);
      features = grown;
    }
    try {
      scratch.source.of(samples, -samplesStart);
      extractor.computeFrames(scratch, numSamples, numFramesReady, target - numFramesReady, features,
          (numFramesReady - firstStoredFrame) * dim);
    } finally {
      scratch.source.clear();
    }
    numFramesReady = target;
    dropConsumedSamples();
  }

  // Keep one frame length before the next frame's first sample: reflection at the end reads back that far.
  private void dropConsumedSamples() {
    long keepFrom = Math.max(0, framing.firstSampleOfFrame(numFramesReady) - framing.windowSize());
    int drop = (int) Math.min(samplesLength, keepFrom - samplesStart);
    if (drop > 0 && drop >= samplesLength / 2) {
      System.arraycopy(samples, drop, samples, 0, samplesLength - drop);
      samplesLength -= drop;
      samplesStart += drop;
    }
  }

  private void ensureSampleCapacity(int capacity) {
    if (capacity > samples.length) {
      float[] grown = new float[Math.max(capacity, samples.length * 2)];
      System.arraycopy(samples, 0, grown, 0, samplesLength);
      samples = grown;
    }
  }
}
