package io.github.tingxin.core.features;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.spi.FeatureExtractor;
import io.github.tingxin.spi.Features;
import java.util.Objects;

/**
 * Raw waveform features for wav2vec 2.0 / HuBERT / emotion2vec style models: one row per sample,
 * {@code dim() == 1}, optionally normalised over the whole (unpadded) audio with statistics in double
 * precision (the normalised samples are then computed in float, within a few units in the last place).
 *
 * <p>Immutable and thread-safe; {@link #extract(float[], int, int, float[], int)} allocates nothing.
 */
public final class WaveformNormalizer implements FeatureExtractor {
  /** The normalisation. */
  public enum Mode {
    /** The samples as they are. */
    NONE("none", 0),
    /**
     * {@code (x - mean) / sqrt(var + 1e-7)}, population variance: Hugging Face's
     * {@code Wav2Vec2FeatureExtractor} with {@code do_normalize}.
     */
    WAV2VEC2("wav2vec2", 1e-7),
    /** {@code F.layer_norm(x, x.shape)} with eps 1e-5, as emotion2vec / fairseq {@code normalize: true}. */
    LAYER_NORM("layer-norm", 1e-5);

    private final String recipeName;
    private final double eps;

    Mode(String recipeName, double eps) {
      this.recipeName = recipeName;
      this.eps = eps;
    }

    /** The name in a recipe's {@code normalize} option. */
    public String recipeName() {
      return recipeName;
    }

    /**
     * The mode named {@code name} in a recipe.
     *
     * @throws IllegalArgumentException naming {@code normalize} for an unknown name
     */
    public static Mode fromRecipeName(String name) {
      for (Mode m : values()) {
        if (m.recipeName.equals(name)) {
          return m;
        }
      }
      throw Checks.invalid("normalize", "'" + name + "' is not a normalisation; use none, wav2vec2 or layer-norm");
    }
  }

  private final int sampleRate;
  private final Mode mode;

  /**
   * @param sampleRate the model's sample rate in hertz
   * @param mode the normalisation
   * @throws IllegalArgumentException if the rate is not from 1 to {@value FrameOptions#MAX_SAMPLE_FREQUENCY}
   */
  public WaveformNormalizer(int sampleRate, Mode mode) {
    Checks.inRange(sampleRate, 1, FrameOptions.MAX_SAMPLE_FREQUENCY, "sample_frequency");
    this.sampleRate = sampleRate;
    this.mode = Objects.requireNonNull(mode, "mode");
  }

  /** The normalisation. */
  public Mode mode() {
    return mode;
  }

  @Override
  public int sampleRate() {
    return sampleRate;
  }

  @Override
  public int dim() {
    return 1;
  }

  @Override
  public int numFrames(int numSamples) {
    return numSamples;
  }

  @Override
  public Features extract(Audio audio) {
    Objects.requireNonNull(audio, "audio");
    if (audio.sampleRate() != sampleRate) {
      throw new TingxinException(ErrorCode.UNSUPPORTED_SAMPLE_RATE, "The audio is at " + audio.sampleRate()
          + " Hz but the model takes " + sampleRate + " Hz; resample the audio first.");
    }
    float[] x = audio.toArray();
    normalize(x, 0, x.length, mode);
    return new Features(x, x.length, 1);
  }

  /**
   * Normalises {@code samples[offset, offset + length)} into {@code out[outOffset, outOffset + length)}.
   * Allocates nothing.
   *
   * @return {@code length}, the number of frames (one per sample)
   * @throws IndexOutOfBoundsException if a range is outside its array
   * @throws TingxinException {@link ErrorCode#NON_FINITE_SAMPLE} if a sample is NaN or infinite ({@code out}
   *     then holds a copy of the samples)
   */
  @Override
  public int extract(float[] samples, int offset, int length, float[] out, int outOffset) {
    Extraction.checkRange(samples, offset, length);
    Extraction.checkOutput(out, outOffset, length, 1);
    System.arraycopy(samples, offset, out, outOffset, length);
    normalize(out, outOffset, length, mode);
    return length;
  }

  @Override
  public Features extract(float[] samples, int offset, int length) {
    float[] out = new float[Extraction.checkRange(samples, offset, length)];
    extract(samples, offset, length, out, 0);
    return new Features(out, length, 1);
  }

  /**
   * Normalises {@code x} in place as {@code mode} says.
   *
   * @throws TingxinException {@link ErrorCode#NON_FINITE_SAMPLE} if a sample is NaN or infinite
   */
  public static void normalizeInPlace(float[] x, Mode mode) {
    Objects.requireNonNull(x, "x");
    normalize(x, 0, x.length, Objects.requireNonNull(mode, "mode"));
  }

  // Mean and variance in double precision in one pass, from sums of the samples less a shift K near the
  // mean (Welford's concern without its division per sample: var = (S2 - S1^2 / n) / n loses nothing when
  // S1 is small), in four interleaved sums so that the additions do not wait on each other. Then
  // (x - mean) / sqrt(var + eps) in float with the mean split into two floats, so that a large DC offset
  // is subtracted exactly, in a loop C2 vectorises.
  private static void normalize(float[] x, int offset, int length, Mode mode) {
    if (length == 0) {
      return;
    }
    int head = Math.min(length, 64);
    double shift = 0;
    for (int i = 0; i < head; i++) {
      shift += x[offset + i];
    }
    shift /= head;
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    double q0 = 0;
    double q1 = 0;
    double q2 = 0;
    double q3 = 0;
    int end = offset + length;
    int i = offset;
    for (; i + 3 < end; i += 4) {
      double a = x[i] - shift;
      double b = x[i + 1] - shift;
      double c = x[i + 2] - shift;
      double d = x[i + 3] - shift;
      s0 += a;
      s1 += b;
      s2 += c;
      s3 += d;
      q0 += a * a;
      q1 += b * b;
      q2 += c * c;
      q3 += d * d;
    }
    for (; i < end; i++) {
      double a = x[i] - shift;
      s0 += a;
      q0 += a * a;
    }
    double sum = (s0 + s1) + (s2 + s3);
    double squares = (q0 + q1) + (q2 + q3);
    if (!Double.isFinite(sum + squares)) {
      for (int t = offset; t < end; t++) {
        if (!Float.isFinite(x[t])) {
          throw new TingxinException(ErrorCode.NON_FINITE_SAMPLE, "Sample " + (t - offset) + " of the input is "
              + (Float.isNaN(x[t]) ? "NaN" : "infinite") + "; the audio is corrupt or was produced by a broken filter.");
        }
      }
    }
    if (mode == Mode.NONE) {
      return;
    }
    double mean = shift + sum / length;
    double variance = Math.max(0, (squares - sum * sum / length) / length);
    float meanHigh = (float) mean;
    float meanLow = (float) (mean - meanHigh);
    float inv = (float) (1.0 / Math.sqrt(variance + mode.eps));
    for (int t = offset; t < end; t++) {
      x[t] = ((x[t] - meanHigh) - meanLow) * inv;
    }
  }

  @Override
  public String toString() {
    return "WaveformNormalizer[" + sampleRate + " Hz, " + mode.recipeName + "]";
  }
}
