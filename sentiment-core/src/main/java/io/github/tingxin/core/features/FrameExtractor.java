package io.github.tingxin.core.features;

import java.nio.FloatBuffer;

/**
 * Kaldi's frame extraction ({@code feature-window.cc}) as {@code torchaudio.compliance.kaldi._get_window}
 * does it: cut, dither, remove DC, raw energy, pre-emphasis, window, zero-pad. Immutable and
 * thread-safe; the caller supplies the frame buffer.
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

  /**
   * Fills {@code buf[0, paddedSize)} with frame {@code frame}, ready for the FFT. The conditioning runs in
   * double precision: in single precision the rounding noise of a frame with a strong tone swamps its
   * quiet mel bins (torchaudio's own float32 output is off by 0.01 in such bins).
   *
   * @param raw scratch of at least {@code windowSize} floats
   * @param src samples; {@code src.get(i)} is sample {@code srcStart + i}
   * @param numSamples samples in the whole signal so far (reflection at the end uses it)
   * @param energyMode 0: no energy; 1: raw energy (before pre-emphasis); 2: energy of the windowed frame
   * @return the energy (sum of squares) asked for, or 0
   */
  double extract(FloatBuffer src, long srcStart, long numSamples, int frame, float[] raw, double[] buf,
      int energyMode) {
    long start = firstSampleOfFrame(frame);
    int size = windowSize;
    if (start >= 0 && start + size <= numSamples) {
      src.get((int) (start - srcStart), raw, 0, size);
    } else {
      for (int i = 0; i < size; i++) {
        long s = start + i;
        while (s < 0 || s >= numSamples) {
          s = s < 0 ? -s - 1 : 2 * numSamples - 1 - s;
        }
        raw[i] = src.get((int) (s - srcStart));
      }
    }
    double energy = dither != 0 ? conditionDithered(raw, buf, frame, energyMode) : condition(raw, buf, energyMode);
    for (int i = size; i < paddedSize; i++) {
      buf[i] = 0;
    }
    if (energyMode == 2) {
      energy = sumOfSquares(buf, size);
    }
    return energy;
  }

  // The common path in one pass per step, reading the float samples: scale, DC removal, raw energy,
  // pre-emphasis (x[i] - c x[i-1], and x[0] - c x[0] as torchaudio's replicate padding) and window.
  private double condition(float[] raw, double[] buf, int energyMode) {
    int size = windowSize;
    double sc = scale;
    double mean = 0;
    if (removeDc) {
      double sum = 0;
      for (int i = 0; i < size; i++) {
        sum += raw[i];
      }
      mean = sum * sc / size;
    }
    double energy = 0;
    if (energyMode == 1) {
      for (int i = 0; i < size; i++) {
        double d = raw[i] * sc - mean;
        energy += d * d;
      }
    }
    double c = preemph;
    double[] w = window;
    double prev = raw[0] * sc - mean;
    buf[0] = (prev - c * prev) * w[0];
    for (int i = 1; i < size; i++) {
      double cur = raw[i] * sc - mean;
      buf[i] = (cur - c * prev) * w[i];
      prev = cur;
    }
    return energy;
  }

  private double conditionDithered(float[] raw, double[] buf, int frame, int energyMode) {
    int size = windowSize;
    for (int i = 0; i < size; i++) {
      buf[i] = raw[i] * scale;
    }
    addDither(buf, size, frame);
    if (removeDc) {
      double sum = 0;
      for (int i = 0; i < size; i++) {
        sum += buf[i];
      }
      double mean = sum / size;
      for (int i = 0; i < size; i++) {
        buf[i] -= mean;
      }
    }
    double energy = energyMode == 1 ? sumOfSquares(buf, size) : 0;
    double c = preemph;
    double[] w = window;
    for (int i = size - 1; i > 0; i--) {
      buf[i] = (buf[i] - c * buf[i - 1]) * w[i];
    }
    buf[0] = (buf[0] - c * buf[0]) * w[0];
    return energy;
  }

  private static double sumOfSquares(double[] buf, int size) {
    double e = 0;
    for (int i = 0; i < size; i++) {
      e += buf[i] * buf[i];
    }
    return e;
  }

  // Gaussian noise from SplitMix64 seeded by (seed, frame): reproducible, and the same whether frames
  // are computed in one call, in a stream, or on several threads.
  private void addDither(double[] buf, int size, int frame) {
    long state = ditherSeed * 0x9E3779B97F4A7C15L ^ (frame + 1L) * 0xD1B54A32D192ED03L;
    for (int i = 0; i < size; i += 2) {
      state += 0x9E3779B97F4A7C15L;
      double u1 = ((mix(state) >>> 11) + 1) * 0x1.0p-53; // (0, 1]
      state += 0x9E3779B97F4A7C15L;
      double u2 = (mix(state) >>> 11) * 0x1.0p-53;
      double r = Math.sqrt(-2 * Math.log(u1)) * dither;
      double theta = 2 * Math.PI * u2;
      buf[i] += r * Math.cos(theta);
      if (i + 1 < size) {
        buf[i + 1] += r * Math.sin(theta);
      }
    }
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
