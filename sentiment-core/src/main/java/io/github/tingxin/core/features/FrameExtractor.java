package io.github.tingxin.core.features;

import java.util.Arrays;

/**
 * Kaldi's frame extraction ({@code feature-window.cc}) as {@code torchaudio.compliance.kaldi._get_window}
 * does it: cut, dither, remove DC, raw energy, pre-emphasis, window, zero-pad. Immutable and
 * thread-safe; the caller supplies the rows.
 */
final class FrameExtractor {
  private final int windowSize;
  private final int windowShift;
  private final int paddedSize;
  private final double[] window;
  private final double scale;
  private final double preemph;
  private final double dither;
  private final long ditherSeed;
  private final boolean removeDc;
  private final boolean snipEdges;

  FrameExtractor(FrameOptions opts) {
    windowSize = opts.windowSize();
    windowShift = opts.windowShift();
    paddedSize = opts.paddedWindowSize();
    window = opts.windowType().coefficients(windowSize, opts.blackmanCoeff());
    scale = opts.waveformScale();
    preemph = opts.preemphCoeff();
    dither = opts.dither();
    ditherSeed = opts.ditherSeed();
    removeDc = opts.removeDcOffset();
    snipEdges = opts.snipEdges();
  }

  int windowSize() {
    return windowSize;
  }

  int windowShift() {
    return windowShift;
  }

  int paddedSize() {
    return paddedSize;
  }

  boolean snipEdges() {
    return snipEdges;
  }

  /**
   * Kaldi's {@code NumFrames}: frames that {@code numSamples} samples give; without {@code flush} only
   * frames that do not reach past the last sample (more samples may still come).
   */
  int numFrames(long numSamples, boolean flush) {
    if (snipEdges) {
      return numSamples < windowSize ? 0 : (int) (1 + (numSamples - windowSize) / windowShift);
    }
    int frames = (int) ((numSamples + windowShift / 2) / windowShift);
    if (flush) {
      return frames;
    }
    while (frames > 0 && firstSampleOfFrame(frames - 1) + windowSize > numSamples) {
      frames--;
    }
    return frames;
  }

  /** Kaldi's {@code FirstSampleOfFrame}; negative for the first frames when not snipping edges. */
  long firstSampleOfFrame(int frame) {
    if (snipEdges) {
      return (long) frame * windowShift;
    }
    return (long) frame * windowShift + windowShift / 2 - windowSize / 2;
  }

  /** Samples that frames {@code [first, first + lanes)} span, from the first frame's first sample. */
  int span(int lanes) {
    return (lanes - 1) * windowShift + windowSize;
  }

  /**
   * Writes frames {@code [first, first + lanes)} of a signal of {@code numSamples} samples, conditioned
   * for the FFT, into rows {@code frame[0, paddedSize)} (lane {@code f} holding frame {@code first + f},
   * zero padded), every step in double precision: cut (reflecting the signal at its ends where frames
   * reach past them), dither, remove DC, raw energy, pre-emphasis ({@code x[i] - c x[i-1]}, and
   * {@code x[0] - c x[0]} as torchaudio's replicate padding), window. Each lane's arithmetic is that of a
   * frame-at-a-time Kaldi in the same order, so the frames do not depend on how they are grouped. Double
   * precision because in single precision the rounding noise of a frame with a strong tone swamps its
   * quiet mel bins (torchaudio's own float32 output is off by 0.01 in such bins).
   *
   * @param chunk scratch of at least {@link #span(int) span(lanes)} floats
   * @param mean scratch of at least {@code lanes} doubles
   * @param energy receives each frame's energy (sum of squares) as {@code energyMode} asks: 0 none,
   *     1 raw energy (before pre-emphasis), 2 energy of the windowed frame
   */
  void extract(SampleSource src, long numSamples, int first, int lanes, float[] chunk, double[][] frame,
      double[] mean, double[] energy, int energyMode) {
    long start = firstSampleOfFrame(first);
    int span = span(lanes);
    if (start >= 0 && start + span <= numSamples) {
      src.copy(start, chunk, 0, span);
    } else {
      for (int i = 0; i < span; i++) {
        long s = start + i;
        while (s < 0 || s >= numSamples) {
          s = s < 0 ? -s - 1 : 2 * numSamples - 1 - s;
        }
        chunk[i] = src.get(s);
      }
    }
    int size = windowSize;
    int shift = windowShift;
    for (int i = 0; i < size; i++) {
      double[] row = frame[i];
      for (int f = 0, j = i; f < lanes; f++, j += shift) {
        row[f] = chunk[j];
      }
    }
    for (int i = size; i < paddedSize; i++) {
      Arrays.fill(frame[i], 0, lanes, 0.0);
    }
    if (dither != 0) {
      conditionDithered(frame, first, lanes, mean, energy, energyMode);
    } else {
      condition(frame, lanes, mean, energy, energyMode);
    }
    if (energyMode == 2) {
      Arrays.fill(energy, 0, lanes, 0.0);
      for (int i = 0; i < size; i++) {
        Lanes.addSquares(energy, frame[i], lanes);
      }
    }
  }

  // The common path, reading the samples: scale, DC removal, raw energy, then pre-emphasis and window in
  // place from the last sample down, so that each step still sees the previous raw sample.
  private void condition(double[][] frame, int lanes, double[] mean, double[] energy, int energyMode) {
    int size = windowSize;
    double sc = scale;
    Arrays.fill(mean, 0, lanes, 0.0);
    if (removeDc) {
      for (int i = 0; i < size; i++) {
        Lanes.add(mean, frame[i], lanes);
      }
      scaleMean(mean, sc, size, lanes);
    }
    if (energyMode == 1) {
      Arrays.fill(energy, 0, lanes, 0.0);
      for (int i = 0; i < size; i++) {
        addCentredSquares(energy, frame[i], sc, mean, lanes);
      }
    }
    double c = preemph;
    double[] w = window;
    for (int i = size - 1; i > 0; i--) {
      preemphasize(frame[i], frame[i - 1], sc, mean, c, w[i], lanes);
    }
    preemphasize(frame[0], frame[0], sc, mean, c, w[0], lanes);
  }

  private void conditionDithered(double[][] frame, int first, int lanes, double[] mean, double[] energy,
      int energyMode) {
    int size = windowSize;
    for (int i = 0; i < size; i++) {
      Lanes.scale(frame[i], scale, lanes);
    }
    for (int f = 0; f < lanes; f++) {
      addDither(frame, size, first + f, f);
    }
    if (removeDc) {
      Arrays.fill(mean, 0, lanes, 0.0);
      for (int i = 0; i < size; i++) {
        Lanes.add(mean, frame[i], lanes);
      }
      scaleMean(mean, 1.0, size, lanes);
      for (int i = 0; i < size; i++) {
        Lanes.subtract(frame[i], mean, lanes);
      }
    }
    if (energyMode == 1) {
      Arrays.fill(energy, 0, lanes, 0.0);
      for (int i = 0; i < size; i++) {
        Lanes.addSquares(energy, frame[i], lanes);
      }
    }
    double c = preemph;
    double[] w = window;
    for (int i = size - 1; i > 0; i--) {
      preemphasizeConditioned(frame[i], frame[i - 1], c, w[i], lanes);
    }
    preemphasizeConditioned(frame[0], frame[0], c, w[0], lanes);
  }

  // Kernels over the lanes, each small enough for C2 to vectorise (see LaneFft).



  /** {@code acc += (x sc - mean)^2}. */
  private static void addCentredSquares(double[] acc, double[] x, double sc, double[] mean, int lanes) {
    for (int f = 0; f < lanes; f++) {
      double d = x[f] * sc - mean[f];
      acc[f] += d * d;
    }
  }

  /** {@code sum -> sum sc / size}. */
  private static void scaleMean(double[] sum, double sc, int size, int lanes) {
    for (int f = 0; f < lanes; f++) {
      sum[f] = sum[f] * sc / size;
    }
  }


  /** {@code cur = ((cur sc - mean) - c (prev sc - mean)) w}. */
  private static void preemphasize(double[] cur, double[] prev, double sc, double[] mean, double c, double w,
      int lanes) {
    for (int f = 0; f < lanes; f++) {
      double m = mean[f];
      cur[f] = ((cur[f] * sc - m) - c * (prev[f] * sc - m)) * w;
    }
  }

  /** {@code cur = (cur - c prev) w}. */
  private static void preemphasizeConditioned(double[] cur, double[] prev, double c, double w, int lanes) {
    for (int f = 0; f < lanes; f++) {
      cur[f] = (cur[f] - c * prev[f]) * w;
    }
  }

  // Gaussian noise from SplitMix64 seeded by (seed, frame): reproducible, and the same whether frames
  // are computed in one call, in a stream, or on several threads.
  private void addDither(double[][] frame, int size, int frameIndex, int lane) {
    long state = ditherSeed * 0x9E3779B97F4A7C15L ^ (frameIndex + 1L) * 0xD1B54A32D192ED03L;
    for (int i = 0; i < size; i += 2) {
      state += 0x9E3779B97F4A7C15L;
      double u1 = ((mix(state) >>> 11) + 1) * 0x1.0p-53; // (0, 1]
      state += 0x9E3779B97F4A7C15L;
      double u2 = (mix(state) >>> 11) * 0x1.0p-53;
      double r = Math.sqrt(-2 * Math.log(u1)) * dither;
      double theta = 2 * Math.PI * u2;
      frame[i][lane] += r * Math.cos(theta);
      if (i + 1 < size) {
        frame[i + 1][lane] += r * Math.sin(theta);
      }
    }
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
