package io.github.tingxin.core.features;

/**
 * Options of Whisper's log-mel spectrogram (openai-whisper {@code log_mel_spectrogram}, Hugging Face
 * {@code WhisperFeatureExtractor}). The recipe keyword is in brackets.
 *
 * <p>Immutable and thread-safe.
 *
 * @param sampleRate sample rate in hertz, from 1 to {@value FrameOptions#MAX_SAMPLE_FREQUENCY}, default 16000
 *     (Whisper's; the filterbank is computed for whatever rate is given)
 * @param nMels mel bins, 80 or 128 [{@code n_mels}], default 80
 * @param nFft FFT and periodic Hann window length, even, from 2 to {@value FrameOptions#MAX_WINDOW_SAMPLES}
 *     [{@code n_fft}], default 400
 * @param hopLength hop in samples, from 1 to {@value FrameOptions#MAX_WINDOW_SAMPLES} [{@code hop_length}],
 *     default 160
 * @param padToSeconds pad with zeros or trim the audio to this many seconds first, as Whisper's
 *     {@code pad_or_trim} (30 s gives 3000 frames); 0 keeps the audio's length; at most
 *     {@value #MAX_PAD_SECONDS} [{@code pad_to_seconds}], default 30
 */
public record WhisperOptions(int sampleRate, int nMels, int nFft, int hopLength, double padToSeconds) {
  /** Longest {@code pad_to_seconds}. */
  public static final double MAX_PAD_SECONDS = 600;

  private static final WhisperOptions DEFAULTS = new WhisperOptions(16000, 80, 400, 160, 30);

  /**
   * @throws IllegalArgumentException naming the option whose value is outside its range
   */
  public WhisperOptions {
    Checks.inRange(sampleRate, 1, FrameOptions.MAX_SAMPLE_FREQUENCY, "sample_frequency");
    if (nMels != 80 && nMels != 128) {
      throw Checks.invalid("n_mels", "must be 80 or 128 (Whisper's filterbanks), got " + nMels);
    }
    Checks.inRange(nFft, 2, FrameOptions.MAX_WINDOW_SAMPLES, "n_fft");
    if (nFft % 2 != 0) {
      throw Checks.invalid("n_fft", "must be an even number, got " + nFft);
    }
    Checks.inRange(hopLength, 1, FrameOptions.MAX_WINDOW_SAMPLES, "hop_length");
    Checks.inRange(padToSeconds, 0, MAX_PAD_SECONDS, "pad_to_seconds");
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
