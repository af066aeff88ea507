package io.github.tingxin.core.features;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.spi.FeatureExtractor;
import io.github.tingxin.spi.Features;
import java.nio.FloatBuffer;
import java.util.Objects;
import org.jtransforms.fft.DoubleFFT_1D;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whisper's log-mel spectrogram, equal to openai-whisper's {@code log_mel_spectrogram} (after
 * {@code pad_or_trim} when {@code pad_to_seconds} is set) and Hugging Face's
 * {@code WhisperFeatureExtractor}: periodic Hann window of {@code n_fft}, hop {@code hop_length}, centred
 * frames with reflect padding, power spectrum, last frame dropped, Slaney mel filterbank, log10 clamped at
 * 1e-10, dynamic range limited to 8 below the maximum, then {@code (x + 4) / 4}.
 *
 * <p>Rows are frames ({@code L / hop_length} of them for {@code L} samples after padding; 3000 for 30 s at
 * 16 kHz) and columns mel bins; Whisper encoders take the transpose ({@code batch-feature-time}).
 * Without padding, audio shorter than one hop gives zero frames.
 *
 * <p>Immutable and thread-safe: one instance may serve many threads; scratch buffers are per thread.
 * JTransforms' mixed-radix FFT (for {@code n_fft} 400) allocates one work array per call internally, so
 * a call allocates about 6.4 KB per two frames besides its output.
 */
public final class WhisperLogMel implements FeatureExtractor {
  private static final Logger LOG = LoggerFactory.getLogger(WhisperLogMel.class);

  private final WhisperOptions opts;
  private final MelBanks banks;
  private final double[] window;
  private final ThreadLocal<Scratch> scratch;

  private static final class Scratch {
    final float[] raw;
    final double[] pair;
    final double[] spectrumA;
    final double[] spectrumB;
    final double[] mel;
    final DoubleFFT_1D fft;

    Scratch(int nFft, int nMels) {
      raw = new float[nFft];
      pair = new double[2 * nFft];
      spectrumA = new double[nFft / 2 + 1];
      spectrumB = new double[nFft / 2 + 1];
      mel = new double[nMels];
      fft = new DoubleFFT_1D(nFft);
    }
  }

  /**
   * @param opts the options
   * @throws NullPointerException if {@code opts} is null
   */
  public WhisperLogMel(WhisperOptions opts) {
    this.opts = Objects.requireNonNull(opts, "opts");
    this.banks = MelBanks.slaney(opts.nMels(), opts.nFft(), opts.sampleRate());
    int n = opts.nFft();
    window = new double[n];
    for (int i = 0; i < n; i++) {
      window[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / n)); // torch.hann_window(periodic=True)
    }
    int mels = opts.nMels();
    scratch = ThreadLocal.withInitial(() -> new Scratch(n, mels));
  }

  /** The options. */
  public WhisperOptions options() {
    return opts;
  }

  @Override
  public int sampleRate() {
    return opts.sampleRate();
  }

  @Override
  public int dim() {
    return opts.nMels();
  }

  @Override
  public int numFrames(int numSamples) {
    int padded = opts.paddedSamples();
    int length = padded >= 0 ? padded : numSamples;
    return length / opts.hopLength();
  }

  /**
   * @throws TingxinException {@link ErrorCode#UNSUPPORTED_SAMPLE_RATE} if the audio is not at
   *     {@link #sampleRate()}
   */
  @Override
  public Features extract(Audio audio) {
    Objects.requireNonNull(audio, "audio");
    if (audio.sampleRate() != opts.sampleRate()) {
      throw new TingxinException(ErrorCode.UNSUPPORTED_SAMPLE_RATE, "The audio is at " + audio.sampleRate()
          + " Hz but Whisper features are computed at " + opts.sampleRate() + " Hz; resample the audio first.");
    }
    int frames = numFrames(audio.length());
    if (frames == 0 && audio.length() > 0) {
      LOG.debug("{} samples are shorter than one hop of {} samples: zero frames", audio.length(), opts.hopLength());
    }
    return new Features(compute(audio.samples(), audio.length()), frames, dim());
  }

  /** The features of {@code samples} as a new row-major {@code frames x n_mels} array. */
  public float[] compute(float[] samples) {
    Objects.requireNonNull(samples, "samples");
    return compute(FloatBuffer.wrap(samples), samples.length);
  }

  private float[] compute(FloatBuffer src, int numSamples) {
    int padded = opts.paddedSamples();
    int length = padded >= 0 ? padded : numSamples; // the signal after pad_or_trim
    int available = Math.min(numSamples, length); // real samples; the rest are zeros
    int frames = length / opts.hopLength();
    int nMels = opts.nMels();
    float[] out = new float[frames * nMels];
    if (frames == 0) {
      return out;
    }
    Scratch s = scratch.get();
    double[] pair = s.pair;
    int nFft = opts.nFft();
    int half = nFft / 2;
    float max = Float.NEGATIVE_INFINITY;
    // Two frames per complex FFT (one as the real part, one as the imaginary part), in double precision
    // so neither frame's rounding leaks into the other's quiet bins: a quarter faster than two real
    // mixed-radix FFTs of 400.
    for (int f = 0; f < frames; f += 2) {
      boolean second = f + 1 < frames;
      readFrame(src, f, length, available, s.raw);
      for (int i = 0; i < nFft; i++) {
        pair[2 * i] = s.raw[i] * window[i];
      }
      if (second) {
        readFrame(src, f + 1, length, available, s.raw);
        for (int i = 0; i < nFft; i++) {
          pair[2 * i + 1] = s.raw[i] * window[i];
        }
      } else {
        for (int i = 0; i < nFft; i++) {
          pair[2 * i + 1] = 0;
        }
      }
      s.fft.complexForward(pair);
      double[] pa = s.spectrumA;
      double[] pb = s.spectrumB;
      for (int k = 0; k <= half; k++) {
        int j = k == 0 ? 0 : nFft - k;
        double zr = pair[2 * k];
        double zi = pair[2 * k + 1];
        double yr = pair[2 * j];
        double yi = pair[2 * j + 1];
        // A = (Z[k] + conj Z[N-k]) / 2, B = (Z[k] - conj Z[N-k]) / 2i
        double ar = zr + yr;
        double ai = zi - yi;
        double br = zi + yi;
        double bi = zr - yr;
        pa[k] = 0.25 * (ar * ar + ai * ai);
        pb[k] = 0.25 * (br * br + bi * bi);
      }
      max = Math.max(max, logMelRow(pa, s.mel, out, f * nMels));
      if (second) {
        max = Math.max(max, logMelRow(pb, s.mel, out, (f + 1) * nMels));
      }
    }
    float floor = max - 8f;
    for (int i = 0; i < out.length; i++) {
      out[i] = (Math.max(out[i], floor) + 4f) / 4f;
    }
    return out;
  }

  private float logMelRow(double[] power, double[] mel, float[] out, int offset) {
    banks.apply(power, mel);
    float max = Float.NEGATIVE_INFINITY;
    for (int b = 0; b < mel.length; b++) {
      float v = (float) Math.log10(Math.max(mel[b], 1e-10));
      out[offset + b] = v;
      max = Math.max(max, v);
    }
    return max;
  }

  private void readFrame(FloatBuffer src, int frame, int length, int available, float[] raw) {
    int nFft = raw.length;
    int start = frame * opts.hopLength() - nFft / 2;
    if (start >= 0 && start + nFft <= available) {
      src.get(start, raw, 0, nFft);
    } else {
      for (int i = 0; i < nFft; i++) {
        int t = reflect(start + i, length);
        raw[i] = t < available ? src.get(t) : 0f;
      }
    }
  }

  // numpy/torch 'reflect' padding (the edge sample is not repeated), repeated for very short signals.
  private static int reflect(int t, int length) {
    if (length == 1) {
      return 0;
    }
    int period = 2 * (length - 1);
    t = Math.floorMod(t, period);
    return t < length ? t : period - t;
  }

  @Override
  public String toString() {
    return "WhisperLogMel" + opts;
  }
}
