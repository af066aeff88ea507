package io.github.tingxin.core.features;

/**
 * Options of Whisper's log-mel spectrogram (openai-whisper {@code log_mel_spectrogram}, Hugging Face
 * {@code WhisperFeatureExtractor}). The recipe keyword is in brackets.
 *
 * <p>Immutable and thread-safe.
 *
 * @param sampleRate sample rate in hertz, default 16000 (Whisper's; the filterbank is computed for
 *     whatever rate is given)
 * @param nMels mel bins, 80 or 128 [{@code n_mels}], default 80
 * @param nFft FFT and periodic Hann window length [{@code n_fft}], default 400
 * @param hopLength hop in samples [{@code hop_length}], default 160
 * @param padToSeconds pad with zeros or trim the audio to this many seconds first, as Whisper's
 *     {@code pad_or_trim} (30 s gives 3000 frames); 0 keeps the audio's length [{@code pad_to_seconds}],
 *     default 30
 */
public record WhisperOptions(int sampleRate, int nMels, int nFft, int hopLength, double padToSeconds) {
  private static final WhisperOptions DEFAULTS = new WhisperOptions(16000, 80, 400, 160, 30);

  /**
   * @throws io.github.tingxin.api.TingxinException {@link io.github.tingxin.api.ErrorCode#INVALID_OPTION}
   *     naming the option whose value is invalid
   */
  public WhisperOptions {
    if (sampleRate < 1) {
      throw Checks.invalid("sample_frequency", "must be > 0, got " + sampleRate);
    }
    if (nMels != 80 && nMels != 128) {
      throw Checks.invalid("n_mels", "must be 80 or 128 (Whisper's filterbanks), got " + nMels);
    }
    if (nFft < 2 || nFft % 2 != 0) {
      throw Checks.invalid("n_fft", "must be an even number >= 2, got " + nFft);
    }
    if (hopLength < 1) {
      throw Checks.invalid("hop_length", "must be >= 1, got " + hopLength);
    }
    Checks.nonNegative(padToSeconds, "pad_to_seconds");
    if (padToSeconds * sampleRate > Integer.MAX_VALUE / 2) {
      throw Checks.invalid("pad_to_seconds", padToSeconds + " s is too long");
    }
  }

  /** Whisper's defaults (80 bins, 30 s). */
  public static WhisperOptions defaults() {
    return DEFAULTS;
  }

  /** A copy with {@code sampleRate} changed. */
  public WhisperOptions withSampleRate(int v) {
    return new WhisperOptions(v, nMels, nFft, hopLength, padToSeconds);
  }

  /** A copy with {@code nMels} changed. */
  public WhisperOptions withNMels(int v) {
    return new WhisperOptions(sampleRate, v, nFft, hopLength, padToSeconds);
  }

  /** A copy with {@code nFft} changed. */
  public WhisperOptions withNFft(int v) {
    return new WhisperOptions(sampleRate, nMels, v, hopLength, padToSeconds);
  }

  /** A copy with {@code hopLength} changed. */
  public WhisperOptions withHopLength(int v) {
    return new WhisperOptions(sampleRate, nMels, nFft, v, padToSeconds);
  }

  /** A copy with {@code padToSeconds} changed. */
  public WhisperOptions withPadToSeconds(double v) {
    return new WhisperOptions(sampleRate, nMels, nFft, hopLength, v);
  }

  /** Samples after padding or trimming, or -1 when the audio keeps its length. */
  int paddedSamples() {
    return padToSeconds == 0 ? -1 : (int) Math.round(padToSeconds * sampleRate);
  }
}
