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
 * precision.
 *
 * <p>Immutable and thread-safe.
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
     * @throws TingxinException {@link ErrorCode#INVALID_OPTION} for an unknown name
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
   * @throws TingxinException {@link ErrorCode#INVALID_OPTION} if the rate is not positive
   */
  public WaveformNormalizer(int sampleRate, Mode mode) {
    if (sampleRate < 1) {
      throw Checks.invalid("sample_frequency", "must be > 0, got " + sampleRate);
    }
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
    normalizeInPlace(x, mode);
    return new Features(x, x.length, 1);
  }

  /** Normalises {@code x} in place as {@code mode} says. */
  public static void normalizeInPlace(float[] x, Mode mode) {
    if (mode == Mode.NONE || x.length == 0) {
      return;
    }
    double sum = 0;
    for (float v : x) {
      sum += v;
    }
    double mean = sum / x.length;
    double sq = 0;
    for (float v : x) {
      double d = v - mean;
      sq += d * d;
    }
    double inv = 1.0 / Math.sqrt(sq / x.length + mode.eps);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) ((x[i] - mean) * inv);
    }
  }

  @Override
  public String toString() {
    return "WaveformNormalizer[" + sampleRate + " Hz, " + mode.recipeName + "]";
  }
}
