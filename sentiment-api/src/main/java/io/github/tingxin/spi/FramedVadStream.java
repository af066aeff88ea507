package io.github.tingxin.spi;

import java.util.Objects;

/**
 * The chunk-to-frame bookkeeping of a {@link VoiceActivityDetector.Stream}: gathers the samples of any chunk
 * sizes into a frame buffer and asks the subclass for one probability per completed frame, so every detector
 * gives chunk-size-independent answers in the same way.
 *
 * <p>Not thread-safe, as every stream.
 */
public abstract class FramedVadStream implements VoiceActivityDetector.Stream {
  private final float[] frame;
  private final int frameOffset;
  private final int frameSamples;
  private int pending;
  private long framesDone;

  /**
   * @param frame the buffer a frame's samples are gathered in, owned by the subclass
   * @param frameOffset where in {@code frame} the frame's samples start (before it, e.g., a model's context)
   * @param frameSamples samples per frame, at least 1
   * @throws NullPointerException if {@code frame} is null
   * @throws IllegalArgumentException if the frame does not fit in the buffer
   */
  protected FramedVadStream(float[] frame, int frameOffset, int frameSamples) {
    this.frame = Objects.requireNonNull(frame, "frame");
    if (frameSamples < 1 || frameOffset < 0 || frameOffset + (long) frameSamples > frame.length) {
      throw new IllegalArgumentException("a frame of " + frameSamples + " samples at " + frameOffset
          + " does not fit a buffer of " + frame.length);
    }
    this.frameOffset = frameOffset;
    this.frameSamples = frameSamples;
  }

  /**
   * The speech probability of the frame now complete in the buffer. {@link #framesDone()} still counts the
   * frames before it.
   */
  protected abstract float frameProbability();

  @Override
  public final int framesCompletedBy(int length) {
    return (int) ((pending + (long) length) / frameSamples);
  }

  @Override
  public final long framesDone() {
    return framesDone;
  }

  @Override
  public final int accept(float[] samples, int offset, int length, float[] probabilities, int outOffset) {
    Objects.checkFromIndexSize(offset, length, samples.length);
    Objects.checkFromIndexSize(outOffset, framesCompletedBy(length), probabilities.length);
    int written = 0;
    int i = offset;
    int end = offset + length;
    while (i < end) {
      int take = Math.min(frameSamples - pending, end - i);
      System.arraycopy(samples, i, frame, frameOffset + pending, take);
      pending += take;
      i += take;
      if (pending == frameSamples) {
        probabilities[outOffset + written++] = frameProbability();
        pending = 0;
        framesDone++;
      }
    }
    return written;
  }
}
