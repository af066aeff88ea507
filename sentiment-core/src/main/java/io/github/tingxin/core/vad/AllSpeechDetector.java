package io.github.tingxin.core.vad;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.spi.RegionTuning;
import io.github.tingxin.spi.VoiceActivityDetector;
import java.util.Arrays;
import java.util.Objects;

/**
 * The detector named {@code none} ({@code Segmentation.Vad.NONE}): every 10 ms frame is speech (probability
 * 1), so the segmenter sees the whole recording as one region. Thread-safe; nothing to free.
 */
final class AllSpeechDetector implements VoiceActivityDetector {

  /** Name of this detector, as its provider registers it. */
  public static final String NAME = "none";

  /** One region from the first sample: onset at once, no minimum, no padding. */
  public static final RegionTuning REGIONS = new RegionTuning(0.5, 0.5, 0, 0, 0);

  private final int sampleRate;
  private final int frameSamples;

  /**
   * @throws TingxinException {@link ErrorCode#UNSUPPORTED_SAMPLE_RATE} for rates under 100 Hz
   */
  public AllSpeechDetector(int sampleRate) {
    if (sampleRate < 100 || sampleRate > 384_000) {
      throw new TingxinException(ErrorCode.UNSUPPORTED_SAMPLE_RATE,
          "Sample rate " + sampleRate + " Hz is outside 100..384000 Hz.");
    }
    this.sampleRate = sampleRate;
    this.frameSamples = sampleRate / 100;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int sampleRate() {
    return sampleRate;
  }

  @Override
  public int frameSamples() {
    return frameSamples;
  }

  /** {@link #REGIONS}. */
  @Override
  public RegionTuning regionTuning() {
    return REGIONS;
  }

  @Override
  public Stream newStream() {
    return new Stream() {
      private long pending;
      private long framesDone;

      @Override
      public int framesCompletedBy(int length) {
        return (int) ((pending + length) / frameSamples);
      }

      @Override
      public int accept(float[] samples, int offset, int length, float[] probabilities, int outOffset) {
        Objects.checkFromIndexSize(offset, length, samples.length);
        int n = framesCompletedBy(length);
        Objects.checkFromIndexSize(outOffset, n, probabilities.length);
        Arrays.fill(probabilities, outOffset, outOffset + n, 1f);
        pending = (pending + length) % frameSamples;
        framesDone += n;
        return n;
      }

      @Override
      public long framesDone() {
        return framesDone;
      }
    };
  }

  @Override
  public void close() {}
}
