package io.github.tingxin.core.features;

import java.util.Arrays;

/**
 * A mel filterbank stored sparsely: each bin's weights cover one contiguous run of FFT bins. Immutable
 * and thread-safe.
 */
final class MelBanks {
  private final int[] first;
  private final int[] offset;
  private final int[] length;
  private final float[] weights;

  /** The weight of FFT bin {@code k} in mel bin {@code b}. */
  private interface Weight {
    float of(int b, int k);
  }

  // Each bin's weights are computed into one reused row and only the non-zero run is kept, so a large
  // filterbank never needs a dense bins x FFT-bins matrix.
  private MelBanks(int bins, int fftBins, Weight weight) {
    first = new int[bins];
    offset = new int[bins];
    length = new int[bins];
    float[] row = new float[fftBins];
    float[] kept = new float[fftBins];
    int total = 0;
    for (int b = 0; b < bins; b++) {
      for (int k = 0; k < fftBins; k++) {
        row[k] = weight.of(b, k);
      }
      int lo = 0;
      int hi = fftBins;
      while (lo < hi && row[lo] == 0f) {
        lo++;
      }
      while (hi > lo && row[hi - 1] == 0f) {
        hi--;
      }
      first[b] = lo;
      length[b] = hi - lo;
      offset[b] = total;
      if (total + (hi - lo) > kept.length) {
        kept = Arrays.copyOf(kept, Math.max(2 * kept.length, total + hi - lo));
      }
      System.arraycopy(row, lo, kept, total, hi - lo);
      total += hi - lo;
    }
    weights = Arrays.copyOf(kept, total);
  }

  int numBins() {
    return first.length;
  }

  /**
   * Kaldi's mel banks as {@code torchaudio.compliance.kaldi.get_mel_banks} computes them (without VTLN),
   * over FFT bins {@code [0, paddedSize / 2)} (the Nyquist bin gets no weight). The arithmetic is single
   * precision, step by step as torchaudio (and Kaldi's {@code BaseFloat}) does it: a weight near a
   * triangle's edge is the difference of two close mel values, so its rounding matters for a bin whose
   * energy comes mostly from that edge.
   */
  static MelBanks kaldi(MelOptions mel, double sampFreq, int paddedSize) {
    int numFftBins = paddedSize / 2;
    double high = mel.resolvedHighFreq(sampFreq);
    float binWidth = (float) (sampFreq / paddedSize);
    double melLowD = kaldiMel(mel.lowFreq());
    double melHighD = kaldiMel(high);
    float melLow = (float) melLowD;
    float delta = (float) ((melHighD - melLowD) / (mel.numBins() + 1));
    float[] fftMel = new float[numFftBins];
    for (int k = 0; k < numFftBins; k++) {
      float freq = binWidth * (float) k;
      fftMel[k] = 1127.0f * (float) Math.log(1.0f + freq / 700.0f);
    }
    return new MelBanks(mel.numBins(), numFftBins, (b, k) -> {
      float left = melLow + (float) b * delta;
      float center = melLow + ((float) b + 1.0f) * delta;
      float right = melLow + ((float) b + 2.0f) * delta;
      float m = fftMel[k];
      float up = (m - left) / (center - left);
      float down = (right - m) / (right - center);
      return Math.max(0f, Math.min(up, down));
    });
  }

  static double kaldiMel(double hz) {
    return 1127.0 * Math.log(1.0 + hz / 700.0);
  }

  /**
   * Slaney-style mel filterbank with Slaney area normalisation over FFT bins {@code [0, nFft / 2]}, as
   * {@code librosa.filters.mel(sr, n_fft, n_mels)} (fmin 0, fmax sr/2) and therefore Whisper's
   * {@code mel_filters.npz}; equal to {@code torchaudio.functional.melscale_fbanks(..., norm='slaney',
   * mel_scale='slaney')}.
   */
  static MelBanks slaney(int nMels, int nFft, int sampleRate) {
    int numFreqs = nFft / 2 + 1;
    double fmax = sampleRate / 2.0;
    double melMin = slaneyMel(0);
    double melMax = slaneyMel(fmax);
    double[] melF = new double[nMels + 2];
    for (int i = 0; i < nMels + 2; i++) {
      melF[i] = slaneyHz(melMin + (melMax - melMin) * i / (nMels + 1));
    }
    return new MelBanks(nMels, numFreqs, (b, k) -> {
      double lowerDiff = melF[b + 1] - melF[b];
      double upperDiff = melF[b + 2] - melF[b + 1];
      double enorm = 2.0 / (melF[b + 2] - melF[b]);
      double f = fmax * k / (numFreqs - 1);
      double lower = (f - melF[b]) / lowerDiff;
      double upper = (melF[b + 2] - f) / upperDiff;
      return (float) (Math.max(0, Math.min(lower, upper)) * enorm);
    });
  }

  private static final double F_SP = 200.0 / 3;
  private static final double MIN_LOG_HZ = 1000.0;
  private static final double MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
  private static final double LOGSTEP = Math.log(6.4) / 27.0;

  static double slaneyMel(double hz) {
    return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOGSTEP : hz / F_SP;
  }

  static double slaneyHz(double mel) {
    return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOGSTEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
  }

  /**
   * {@code out[b][f] = sum_k w[b][k] spectrum[k][f]} for lanes {@code f < lanes}, in double precision,
   * summing over each bin's non-zero weights in order of {@code k}.
   */
  void apply(double[][] spectrum, double[][] out, int lanes) {
    float[] w = weights;
    for (int b = 0; b < first.length; b++) {
      double[] acc = out[b];
      Arrays.fill(acc, 0, lanes, 0.0);
      int k0 = first[b];
      int o = offset[b];
      for (int j = 0; j < length[b]; j++) {
        Lanes.addScaled(acc, spectrum[k0 + j], w[o + j], lanes);
      }
    }
  }

  /** {@link #apply(double[][], double[][], int)} in single precision. */
  void apply(float[][] spectrum, float[][] out, int lanes) {
    float[] w = weights;
    for (int b = 0; b < first.length; b++) {
      float[] acc = out[b];
      Arrays.fill(acc, 0, lanes, 0f);
      int k0 = first[b];
      int o = offset[b];
      for (int j = 0; j < length[b]; j++) {
        FloatLanes.addScaled(acc, spectrum[k0 + j], w[o + j], lanes);
      }
    }
  }
}
