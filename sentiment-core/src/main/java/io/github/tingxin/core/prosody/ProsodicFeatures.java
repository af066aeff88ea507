package io.github.tingxin.core.prosody;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.ProsodicCues;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.core.audio.Resampler;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Interpretable prosodic and voice-quality features of one utterance: pitch level, spread, range and slope
 * (semitones re 100 Hz), energy dynamics, jitter and shimmer, voicing strength, speaking rate and pauses,
 * alpha ratio and spectral centroid. The same computation as {@code tools/reference/prosody/prosody.py} (the
 * reference the tests compare with; it was the former EmoDB CNN recipe's prosodic baseline). The
 * recognizer reports a readable subset per segment as {@link ProsodicCues} ({@link #cues}), where
 * {@code RecognizerSettings.prosody()} asks for them.
 *
 * <p>Method: 40 ms frames every 10 ms; pitch by the autocorrelation of the Hann-windowed frame divided by
 * the window's own autocorrelation (Boersma 1993), searched over 60-500 Hz with Praat's octave cost and parabolic interpolation,
 * voiced where that peak exceeds {@value #VOICING_THRESHOLD} within 35 dB of the loudest frame, smoothed by
 * a 5-frame median over voiced frames. Jitter and shimmer are frame-level approximations of Praat's local
 * jitter and shimmer (period and peak-amplitude differences of consecutive voiced frames). Syllable nuclei
 * are energy peaks in voiced frames (de Jong and Wempe 2009 style: 2 dB above the preceding dip, within
 * 25 dB of the maximum, 100 ms apart). Pauses are runs of at least 100 ms more than 30 dB below the
 * loudest frame, between the first and last speech frame.
 *
 * <p>These are descriptive measurements of a voice, not a diagnosis of anything. Stateless and thread-safe.
 */
public final class ProsodicFeatures {
  /** The rate the frame sizes are defined at; resample other audio first. */
  public static final int SAMPLE_RATE = 16000;
  /** Voicing threshold on the normalised autocorrelation peak. */
  public static final double VOICING_THRESHOLD = 0.45;

  /** Feature names, in the order of {@link Values#values()}. */
  public static final List<String> NAMES = List.of(
      "f0_mean_st", "f0_std_st", "f0_p5_st", "f0_p95_st", "f0_range_st", "f0_slope_st_per_s", "f0_delta_abs_st",
      "voiced_fraction", "energy_mean_rel_db", "energy_std_db", "energy_range_db", "energy_slope_db_per_s",
      "energy_delta_abs_db", "jitter_local", "shimmer_local", "shimmer_db", "voicing_strength",
      "syllable_rate_per_s", "articulation_rate_per_s", "pause_count_per_s", "pause_fraction",
      "mean_pause_s", "alpha_ratio_db", "spectral_centroid_hz", "duration_s");

  /**
   * Praat's octave cost: the pitch search prefers shorter lags by this much per octave, against subharmonic
   * picks at long lags where the window's autocorrelation is small.
   */
  public static final double OCTAVE_COST = 0.01;

  private static final double F0_MIN = 60.0;
  private static final int FRAME = 640;
  private static final int HOP = 160;
  /** The spectra of the voice-quality measures (alpha ratio, spectral centroid), as prosody.py takes them. */
  private static final int NFFT = 2048;
  /**
   * The autocorrelation's transform: at least {@code FRAME + LAG_MAX + 1}, so that the circular
   * autocorrelation equals the linear one over the pitch search. Its spectrum is every second bin of the
   * zero-padded frame's {@code NFFT}-point one, so both give the same autocorrelation.
   */
  private static final int NACF = 1024;
  private static final int LAG_MIN = (int) (SAMPLE_RATE / 500.0);
  private static final int LAG_MAX = (int) (SAMPLE_RATE / 60.0);
  private static final double[] WINDOW = hann(FRAME);
  /** The window's autocorrelation over its value at lag 0, per lag: what each frame's is divided by. */
  private static final double[] WINDOW_AC_RATIO = windowAcRatio();
  /** Praat's octave cost per lag of the search. */
  private static final double[] OCTAVE_PENALTY = octavePenalty();

  private ProsodicFeatures() {}

  /**
   * The features of an utterance, named as in {@link #NAMES}.
   *
   * @param values one value per name, in order
   */
  public record Values(double[] values) {
    /** @throws IllegalArgumentException if there is not one value per name */
    public Values {
      Objects.requireNonNull(values, "values");
      if (values.length != NAMES.size()) {
        throw new IllegalArgumentException("need " + NAMES.size() + " values, got " + values.length);
      }
      values = values.clone();
    }

    /** A copy of the values, in {@link #NAMES} order. */
    @Override
    public double[] values() {
      return values.clone();
    }

    /**
     * The value of one feature.
     *
     * @throws IllegalArgumentException for a name not in {@link #NAMES}
     */
    public double get(String name) {
      int i = NAMES.indexOf(name);
      if (i < 0) {
        throw new IllegalArgumentException("no prosodic feature named '" + name + "'; known: " + NAMES);
      }
      return values[i];
    }

    /** Name to value, in {@link #NAMES} order. */
    public Map<String, Double> asMap() {
      Map<String, Double> m = new LinkedHashMap<>();
      for (int i = 0; i < values.length; i++) {
        m.put(NAMES.get(i), values[i]);
      }
      return m;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Values v && Arrays.equals(values, v.values);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return "ProsodicFeatures.Values" + asMap();
    }
  }

  /**
   * Computes the features of one utterance (typically one speech segment).
   *
   * @param audio mono speech at {@value #SAMPLE_RATE} Hz, full scale 1.0
   * @return the features
   * @throws NullPointerException if {@code audio} is null
   * @throws TingxinException {@link ErrorCode#UNSUPPORTED_SAMPLE_RATE} if the audio is not at 16 kHz
   *     (resample it first), {@link ErrorCode#EMPTY_AUDIO} if it has no samples
   */
  public static Values compute(Audio audio) {
    Objects.requireNonNull(audio, "audio");
    if (audio.sampleRate() != SAMPLE_RATE) {
      throw new TingxinException(ErrorCode.UNSUPPORTED_SAMPLE_RATE, "Prosodic features need 16000 Hz audio, got "
          + audio.sampleRate() + " Hz; resample it first.");
    }
    if (audio.isEmpty()) {
      throw new TingxinException(ErrorCode.EMPTY_AUDIO, "Prosodic features need at least one sample.");
    }
    FloatBuffer buf = audio.samples();
    int len = audio.length();
    double[] x = new double[Math.max(len, FRAME)];
    for (int i = 0; i < len; i++) {
      x[i] = buf.get(i);
    }
    return new Values(measure(x, len, true).values);
  }

  /**
   * The {@link ProsodicCues} of one segment's audio: the features a clinician reads (pitch level and range,
   * loudness and its range, syllable rate, pauses, jitter, shimmer), from the same measurement as
   * {@link #compute}. Audio at another rate is resampled to {@value #SAMPLE_RATE} Hz first.
   *
   * <p>Cost: two 1024-point real FFTs per 10 ms frame plus linear work (about 2 ms of one core per second
   * of audio), and memory linear in the segment's length (its samples as doubles and a few values per
   * frame). The alpha ratio and spectral centroid of {@link #compute}, not among the cues, are skipped.
   *
   * @param samples mono samples, full scale 1.0; read, not kept
   * @param offset the segment's first sample
   * @param length the segment's samples, at least 1
   * @param sampleRate their rate
   * @return the cues, or empty where the segment has no two consecutive voiced frames (unvoiced or
   *     whispered speech, noise), where pitch, jitter and shimmer mean nothing
   * @throws IndexOutOfBoundsException if the range is outside the array
   * @throws IllegalArgumentException if {@code length} is 0
   * @throws TingxinException {@link ErrorCode#UNSUPPORTED_SAMPLE_RATE} if the rate cannot be resampled
   */
  public static Optional<ProsodicCues> cues(float[] samples, int offset, int length, int sampleRate) {
    Objects.checkFromIndexSize(offset, length, samples.length);
    if (length == 0) {
      throw new IllegalArgumentException("a segment has at least one sample");
    }
    double[] x;
    int len;
    if (sampleRate == SAMPLE_RATE) {
      len = length;
      x = new double[Math.max(len, FRAME)];
      for (int i = 0; i < len; i++) {
        x[i] = samples[offset + i];
      }
    } else {
      Audio at16k = Resampler.resample(Audio.of(samples, offset, length, sampleRate), SAMPLE_RATE);
      len = at16k.length();
      x = new double[Math.max(len, FRAME)];
      FloatBuffer buf = at16k.samples();
      for (int i = 0; i < len; i++) {
        x[i] = buf.get(i);
      }
    }
    Measurement m = measure(x, len, false);
    if (!m.voicedPairs) {
      return Optional.empty();
    }
    double[] v = m.values;
    return Optional.of(new ProsodicCues(100 * Math.pow(2, v[0] / 12), v[4], m.loudMeanDb, v[10], v[17],
        m.pauseCount, m.pauseSeconds, v[13], v[14], v[7]));
  }

  /**
   * One utterance measured.
   *
   * @param values the {@link #NAMES} features
   * @param voicedPairs whether two consecutive frames are voiced (else the pitch, jitter and shimmer
   *     features are placeholders, 0)
   * @param loudMeanDb the mean level of the frames within 35 dB of the loudest, dB re full scale
   * @param pauseCount pauses found
   * @param pauseSeconds their total length
   */
  private record Measurement(double[] values, boolean voicedPairs, double loudMeanDb, int pauseCount,
      double pauseSeconds) {}

  /**
   * Measures {@code x}: {@code len} samples at 16 kHz, zero-padded to at least one frame.
   *
   * <p>Two passes over the frames: the first finds each frame's level and peak (and so the loudest frame,
   * which decides which frames count), the second, over the loud frames only, the pitch and the summed
   * power spectrum; so no per-frame spectrum is kept. Frame by frame as {@code prosody.py} does: the
   * autocorrelation is the inverse FFT of the zero-padded frame's power spectrum.
   *
   * @param spectral whether to measure the alpha ratio and spectral centroid, which need each frame's
   *     {@code NFFT}-point spectrum (without them, values 22 and 23 stay 0 and a frame costs two
   *     {@code NACF}-point transforms instead of one of each)
   */
  private static Measurement measure(double[] x, int len, boolean spectral) {
    double dur = len / (double) SAMPLE_RATE;
    int n = 1 + Math.max(0, (x.length - FRAME) / HOP);
    double[] f0 = new double[n];
    double[] strength = new double[n];
    double[] edb = new double[n];
    double[] peak = new double[n];
    double[] means = new double[n];
    double maxDb = Double.NEGATIVE_INFINITY;
    for (int t = 0; t < n; t++) {
      double mean = 0;
      for (int i = 0; i < FRAME; i++) {
        mean += x[t * HOP + i];
      }
      mean /= FRAME;
      double energy = 0;
      double pk = 0;
      for (int i = 0; i < FRAME; i++) {
        double v = x[t * HOP + i] - mean;
        energy += v * v;
        pk = Math.max(pk, Math.abs(v));
      }
      means[t] = mean;
      edb[t] = 10 * Math.log10(energy / FRAME + 1e-10);
      maxDb = Math.max(maxDb, edb[t]);
      peak[t] = pk;
    }
    boolean[] loud = new boolean[n];
    for (int t = 0; t < n; t++) {
      loud[t] = edb[t] > maxDb - 35.0;
    }
    double[] ac = new double[NACF];
    double[] frame = new double[spectral ? NFFT : NACF];
    double[] pw = new double[NFFT / 2 + 1];
    DoubleFFT_1D acFft = new DoubleFFT_1D(NACF);
    DoubleFFT_1D spectrumFft = spectral ? new DoubleFFT_1D(NFFT) : null;
    for (int t = 0; t < n; t++) {
      if (!loud[t]) {
        continue; // a frame 35 dB below the loudest is never voiced: its pitch and strength stay 0
      }
      Arrays.fill(frame, FRAME, frame.length, 0.0);
      for (int i = 0; i < FRAME; i++) {
        frame[i] = (x[t * HOP + i] - means[t]) * WINDOW[i];
      }
      if (spectral) {
        spectrumFft.realForward(frame);
        addPowerSpectrum(frame, pw);
        evenBinPower(frame, ac);
      } else {
        acFft.realForward(frame);
        powerSpectrum(frame, ac);
      }
      // Normalised autocorrelation over the search range, and one lag either side for the parabola.
      acFft.realInverse(ac, true);
      double ac0 = Math.max(ac[0], 1e-12);
      for (int k = LAG_MIN - 1; k <= LAG_MAX + 1; k++) {
        ac[k] = ac[k] / ac0 / WINDOW_AC_RATIO[k];
      }
      int best = LAG_MIN;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int k = LAG_MIN; k <= LAG_MAX; k++) {
        double score = ac[k] - OCTAVE_PENALTY[k];
        if (score > bestScore) {
          best = k;
          bestScore = score;
        }
      }
      strength[t] = ac[best];
      int kk = Math.min(Math.max(best, LAG_MIN + 1), LAG_MAX - 1);
      double a = ac[kk - 1];
      double b = ac[kk];
      double c = ac[kk + 1];
      double den = a - 2 * b + c;
      double shift = Math.abs(den) > 1e-12 ? 0.5 * (a - c) / den : 0.0;
      f0[t] = SAMPLE_RATE / (kk + Math.max(-0.5, Math.min(0.5, shift)));
    }
    boolean[] voiced = new boolean[n];
    double[] raw = new double[n];
    for (int t = 0; t < n; t++) {
      voiced[t] = strength[t] > VOICING_THRESHOLD && loud[t];
      raw[t] = voiced[t] ? f0[t] : 0.0;
      if (!voiced[t]) {
        strength[t] = 0.0;
      }
    }
    double[] win = new double[5];
    for (int t = 0; t < n; t++) {
      if (raw[t] > 0) {
        int m = 0;
        for (int j = Math.max(0, t - 2); j < Math.min(n, t + 3); j++) {
          if (raw[j] > 0) {
            win[m++] = raw[j];
          }
        }
        f0[t] = median(win, m);
      } else {
        f0[t] = 0.0;
      }
    }
    double[] out = new double[NAMES.size()];
    int voicedCount = 0;
    for (boolean v : voiced) {
      voicedCount += v ? 1 : 0;
    }
    int pairs = 0;
    if (voicedCount >= 2) {
      double[] st = new double[voicedCount];
      double[] tv = new double[voicedCount];
      double sumPeriod = 0;
      double sumPeak = 0;
      double sumStrength = 0;
      for (int t = 0, j = 0; t < n; t++) {
        if (voiced[t]) {
          st[j] = 12 * log2(f0[t] / 100.0);
          tv[j++] = t * (double) HOP / SAMPLE_RATE;
          sumPeriod += 1.0 / Math.max(f0[t], 1e-6);
          sumPeak += peak[t];
          sumStrength += strength[t];
        }
      }
      out[0] = mean(st, voicedCount);
      out[1] = std(st, voicedCount);
      double[] sorted = st.clone();
      Arrays.sort(sorted);
      out[2] = percentile(sorted, 5);
      out[3] = percentile(sorted, 95);
      out[4] = out[3] - out[2];
      out[5] = slope(tv, st, voicedCount);
      double dSt = 0;
      double dPeriod = 0;
      double dPeak = 0;
      double dPeakDb = 0;
      for (int t = 1; t < n; t++) {
        if (voiced[t] && voiced[t - 1]) {
          dSt += Math.abs(12 * log2(f0[t] / 100.0) - 12 * log2(f0[t - 1] / 100.0));
          dPeriod += Math.abs(1.0 / Math.max(f0[t], 1e-6) - 1.0 / Math.max(f0[t - 1], 1e-6));
          dPeak += Math.abs(peak[t] - peak[t - 1]);
          dPeakDb += Math.abs(20 * Math.log10(peak[t] + 1e-9) - 20 * Math.log10(peak[t - 1] + 1e-9));
          pairs++;
        }
      }
      out[6] = pairs > 0 ? dSt / pairs : 0.0;
      out[13] = pairs > 0 ? (dPeriod / pairs) / (sumPeriod / voicedCount) : 0.0;
      out[14] = pairs > 0 ? (dPeak / pairs) / Math.max(sumPeak / voicedCount, 1e-9) : 0.0;
      out[15] = pairs > 0 ? dPeakDb / pairs : 0.0;
      out[16] = sumStrength / voicedCount;
    }
    out[7] = voicedCount / (double) n;
    int loudCount = 0;
    for (boolean l : loud) {
      loudCount += l ? 1 : 0;
    }
    double[] e = new double[loudCount];
    double[] te = new double[loudCount];
    for (int t = 0, j = 0; t < n; t++) {
      if (loud[t]) {
        e[j] = edb[t];
        te[j++] = t * (double) HOP / SAMPLE_RATE;
      }
    }
    double loudMeanDb = mean(e, loudCount);
    out[8] = loudMeanDb - maxDb;
    out[9] = std(e, loudCount);
    double[] es = e.clone();
    Arrays.sort(es);
    out[10] = percentile(es, 95) - percentile(es, 5);
    out[11] = slope(te, e, loudCount);
    double dE = 0;
    for (int t = 1; t < n; t++) {
      dE += Math.abs(edb[t] - edb[t - 1]);
    }
    out[12] = n > 1 ? dE / (n - 1) : 0.0;
    // Syllable nuclei on the 5-frame moving average of the energy (zero beyond the ends, like numpy's
    // convolve(mode="same")).
    double[] sm = new double[n];
    for (int t = 0; t < n; t++) {
      double s = 0;
      for (int j = t - 2; j <= t + 2; j++) {
        if (j >= 0 && j < n) {
          s += edb[j];
        }
      }
      sm[t] = s / 5;
    }
    int peaks = 0;
    int last = -100;
    double dip = n > 0 ? sm[0] : 0.0;
    for (int t = 1; t < n - 1; t++) {
      dip = Math.min(dip, sm[t]);
      if (sm[t] >= sm[t - 1] && sm[t] > sm[t + 1] && voiced[t] && sm[t] > maxDb - 25 && sm[t] - dip >= 2.0
          && t - last >= 10) {
        peaks++;
        last = t;
        dip = sm[t];
      }
    }
    int speechFrames = 0;
    int first = -1;
    int lastSpeech = -1;
    boolean[] speech = new boolean[n];
    for (int t = 0; t < n; t++) {
      speech[t] = edb[t] > maxDb - 30.0;
      if (speech[t]) {
        speechFrames++;
        lastSpeech = t;
        if (first < 0) {
          first = t;
        }
      }
    }
    out[17] = peaks / Math.max(dur, 1e-3);
    out[18] = peaks / Math.max(speechFrames * (double) HOP / SAMPLE_RATE, 1e-3);
    int pauseCount = 0;
    double pauseSeconds = 0;
    if (first >= 0) {
      int run = 0;
      for (int t = first; t <= lastSpeech + 1; t++) {
        boolean silent = t <= lastSpeech && !speech[t];
        if (silent) {
          run++;
        } else {
          if (run >= 10) {
            pauseCount++;
            pauseSeconds += run * (double) HOP / SAMPLE_RATE;
          }
          run = 0;
        }
      }
    }
    out[19] = pauseCount / Math.max(dur, 1e-3);
    out[20] = pauseSeconds / Math.max(dur, 1e-3);
    out[21] = pauseCount > 0 ? pauseSeconds / pauseCount : 0.0;
    double low = 0;
    double high = 0;
    double total = 0;
    double weighted = 0;
    for (int k = 0; k < pw.length; k++) {
      double f = k * (double) SAMPLE_RATE / NFFT;
      if (f >= 50 && f < 1000) {
        low += pw[k];
      } else if (f >= 1000 && f < 5000) {
        high += pw[k];
      }
      total += pw[k];
      weighted += pw[k] * f;
    }
    out[22] = 10 * Math.log10((high + 1e-12) / (low + 1e-12));
    out[23] = weighted / Math.max(total, 1e-12);
    out[24] = dur;
    return new Measurement(out, pairs > 0, loudMeanDb, pauseCount, pauseSeconds);
  }

  /**
   * The power spectrum of {@code packed} ({@code NACF} points in JTransforms' real-FFT layout) into
   * {@code power} in the same layout with zero imaginary parts: what {@link DoubleFFT_1D#realInverse} turns
   * into the autocorrelation.
   */
  private static void powerSpectrum(double[] packed, double[] power) {
    power[0] = packed[0] * packed[0];
    power[1] = packed[1] * packed[1];
    for (int k = 1; k < NACF / 2; k++) {
      power[2 * k] = packed[2 * k] * packed[2 * k] + packed[2 * k + 1] * packed[2 * k + 1];
      power[2 * k + 1] = 0.0;
    }
  }

  /**
   * The {@code NACF}-point power spectrum (layout as {@link #powerSpectrum}) from an {@code NFFT}-point
   * transform of the same zero-padded frame: its even bins.
   */
  private static void evenBinPower(double[] packed, double[] power) {
    power[0] = packed[0] * packed[0];
    power[1] = packed[1] * packed[1]; // bin NACF / 2 is the NFFT-point transform's Nyquist bin
    for (int k = 1; k < NACF / 2; k++) {
      power[2 * k] = packed[4 * k] * packed[4 * k] + packed[4 * k + 1] * packed[4 * k + 1];
      power[2 * k + 1] = 0.0;
    }
  }

  /** Adds the power spectrum of an {@code NFFT}-point transform ({@code NFFT / 2 + 1} bins) to {@code sum}. */
  private static void addPowerSpectrum(double[] packed, double[] sum) {
    sum[0] += packed[0] * packed[0];
    sum[NFFT / 2] += packed[1] * packed[1];
    for (int k = 1; k < NFFT / 2; k++) {
      sum[k] += packed[2 * k] * packed[2 * k] + packed[2 * k + 1] * packed[2 * k + 1];
    }
  }

  private static double[] hann(int n) {
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (n - 1));
    }
    return w;
  }

  /** The autocorrelation of the window (zero-padded as the frames are) over its value at lag 0. */
  private static double[] windowAcRatio() {
    double[] buf = Arrays.copyOf(WINDOW, NACF);
    DoubleFFT_1D fft = new DoubleFFT_1D(NACF);
    fft.realForward(buf);
    double[] r = new double[NACF];
    powerSpectrum(buf, r);
    fft.realInverse(r, true);
    double[] ratio = new double[LAG_MAX + 2];
    for (int k = 0; k < ratio.length; k++) {
      ratio[k] = r[k] / r[0];
    }
    return ratio;
  }

  private static double[] octavePenalty() {
    double[] penalty = new double[LAG_MAX + 1];
    for (int k = LAG_MIN; k <= LAG_MAX; k++) {
      penalty[k] = OCTAVE_COST * log2(F0_MIN * k / SAMPLE_RATE);
    }
    return penalty;
  }

  private static double log2(double v) {
    return Math.log(v) / Math.log(2);
  }

  private static double median(double[] v, int m) {
    double[] s = Arrays.copyOf(v, m);
    Arrays.sort(s);
    return m % 2 == 1 ? s[m / 2] : 0.5 * (s[m / 2 - 1] + s[m / 2]);
  }

  private static double mean(double[] v, int m) {
    double s = 0;
    for (int i = 0; i < m; i++) {
      s += v[i];
    }
    return m > 0 ? s / m : Double.NaN;
  }

  private static double std(double[] v, int m) {
    double mu = mean(v, m);
    double s = 0;
    for (int i = 0; i < m; i++) {
      s += (v[i] - mu) * (v[i] - mu);
    }
    return m > 0 ? Math.sqrt(s / m) : Double.NaN;
  }

  /** numpy's default (linear) percentile of sorted values. */
  private static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double pos = p / 100.0 * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }

  private static double slope(double[] t, double[] v, int m) {
    if (m < 3) {
      return 0.0;
    }
    double tm = mean(t, m);
    double vm = mean(v, m);
    double num = 0;
    double den = 0;
    for (int i = 0; i < m; i++) {
      num += (t[i] - tm) * (v[i] - vm);
      den += (t[i] - tm) * (t[i] - tm);
    }
    return num / Math.max(den, 1e-12);
  }
}
