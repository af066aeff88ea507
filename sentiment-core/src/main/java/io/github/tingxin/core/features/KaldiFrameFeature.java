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
 * What Kaldi filterbank and MFCC share: framing, FFT, mel banks, energy. Immutable and thread-safe:
 * scratch buffers live in a per-thread {@link Scratch}.
 */
abstract class KaldiFrameFeature implements FeatureExtractor {
  private static final Logger LOG = LoggerFactory.getLogger(KaldiFrameFeature.class);

  /** {@code torch.finfo(torch.float).eps}, the floor of every logged energy. */
  static final float FLT_EPSILON = 1.1920928955078125e-07f;

  final FrameExtractor frames;
  final MelBanks banks;
  private final int sampleRate;
  private final int energyMode;
  private final double logEnergyFloor;
  private final boolean usePower;
  private final boolean useLog;
  private final ThreadLocal<Scratch> scratch;

  KaldiFrameFeature(FrameOptions frameOpts, MelOptions melOpts, boolean useEnergy, boolean rawEnergy,
      double energyFloor, boolean usePower, boolean useLog) {
    this.frames = new FrameExtractor(frameOpts);
    this.banks = MelBanks.kaldi(melOpts, frameOpts.sampFreq(), frames.paddedSize());
    double rate = frameOpts.sampFreq();
    if (rate != Math.rint(rate)) {
      throw Checks.invalid("sample_frequency", rate + " Hz is not a whole number of hertz");
    }
    this.sampleRate = (int) rate;
    this.energyMode = useEnergy ? (rawEnergy ? 1 : 2) : 0;
    this.logEnergyFloor = energyFloor > 0 ? Math.log(energyFloor) : Double.NEGATIVE_INFINITY;
    this.usePower = usePower;
    this.useLog = useLog;
    int padded = frames.paddedSize();
    int bins = banks.numBins();
    this.scratch = ThreadLocal.withInitial(() -> new Scratch(padded, bins));
  }

  /** Per-thread (or per-stream) buffers; not thread-safe. */
  static final class Scratch {
    final float[] raw;
    final double[] frame;
    final double[] spectrum;
    final double[] mel;
    final DoubleFFT_1D fft;

    Scratch(int padded, int bins) {
      raw = new float[padded];
      frame = new double[padded];
      spectrum = new double[padded / 2];
      mel = new double[bins];
      fft = new DoubleFFT_1D(padded);
    }
  }

  Scratch newScratch() {
    return new Scratch(frames.paddedSize(), banks.numBins());
  }

  @Override
  public int sampleRate() {
    return sampleRate;
  }

  /**
   * Frames for {@code numSamples} samples: 0 where the audio is shorter than one frame with
   * {@code snip_edges} (as Kaldi; torchaudio raises an error there instead).
   */
  @Override
  public int numFrames(int numSamples) {
    return frames.numFrames(numSamples, true);
  }

  /** Whether the features need the whole utterance (subtract_mean), so cannot be streamed. */
  abstract boolean subtractMean();

  /** Writes frame {@code frame}'s {@link #dim()} values to {@code out[outOffset...]}. */
  abstract void computeFrame(FloatBuffer src, long srcStart, long numSamples, int frame, Scratch s, float[] out,
      int outOffset);

  /**
   * Computes {@code s.mel} (log or linear) for one frame, in double precision.
   *
   * @return the floored log energy when energy is on, else 0
   */
  final double melFrame(FloatBuffer src, long srcStart, long numSamples, int frame, Scratch s) {
    double[] buf = s.frame;
    double energy = frames.extract(src, srcStart, numSamples, frame, s.raw, buf, energyMode);
    s.fft.realForward(buf);
    double[] spec = s.spectrum;
    int half = spec.length;
    if (usePower) {
      spec[0] = buf[0] * buf[0];
      for (int k = 1; k < half; k++) {
        double re = buf[2 * k];
        double im = buf[2 * k + 1];
        spec[k] = re * re + im * im;
      }
    } else {
      spec[0] = Math.abs(buf[0]);
      for (int k = 1; k < half; k++) {
        double re = buf[2 * k];
        double im = buf[2 * k + 1];
        spec[k] = Math.sqrt(re * re + im * im);
      }
    }
    double[] mel = s.mel;
    banks.apply(spec, mel);
    if (useLog) {
      for (int b = 0; b < mel.length; b++) {
        mel[b] = Math.log(Math.max(mel[b], FLT_EPSILON));
      }
    }
    if (energyMode == 0) {
      return 0;
    }
    return Math.max(Math.log(Math.max(energy, FLT_EPSILON)), logEnergyFloor);
  }

  /**
   * Computes the features of the audio.
   *
   * @throws TingxinException {@link ErrorCode#UNSUPPORTED_SAMPLE_RATE} if the audio is not at
   *     {@link #sampleRate()}
   */
  @Override
  public Features extract(Audio audio) {
    Objects.requireNonNull(audio, "audio");
    if (audio.sampleRate() != sampleRate) {
      throw new TingxinException(ErrorCode.UNSUPPORTED_SAMPLE_RATE, "The audio is at " + audio.sampleRate()
          + " Hz but these features are computed at " + sampleRate + " Hz; resample the audio first.");
    }
    int n = numFrames(audio.length());
    if (n == 0 && audio.length() > 0) {
      LOG.debug("{} samples are shorter than one frame of {} samples: zero frames (as Kaldi)", audio.length(),
          frames.windowSize());
    }
    return new Features(compute(audio.samples(), audio.length()), n, dim());
  }

  /**
   * Computes the features of {@code samples} (full scale 1.0, at {@link #sampleRate()}) into a new
   * row-major array of {@code numFrames(samples.length) * dim()} values.
   */
  public float[] compute(float[] samples) {
    Objects.requireNonNull(samples, "samples");
    return compute(FloatBuffer.wrap(samples), samples.length);
  }

  private float[] compute(FloatBuffer src, int numSamples) {
    int n = numFrames(numSamples);
    int dim = dim();
    float[] out = new float[n * dim];
    Scratch s = scratch.get();
    for (int f = 0; f < n; f++) {
      computeFrame(src, 0, numSamples, f, s, out, f * dim);
    }
    if (subtractMean() && n > 0) {
      subtractColumnMeans(out, n, dim);
    }
    return out;
  }

  static void subtractColumnMeans(float[] data, int rows, int dim) {
    double[] mean = new double[dim];
    for (int r = 0; r < rows; r++) {
      for (int d = 0; d < dim; d++) {
        mean[d] += data[r * dim + d];
      }
    }
    for (int d = 0; d < dim; d++) {
      mean[d] /= rows;
    }
    for (int r = 0; r < rows; r++) {
      for (int d = 0; d < dim; d++) {
        data[r * dim + d] = (float) (data[r * dim + d] - mean[d]);
      }
    }
  }

  /**
   * A streaming extractor with these options, for one stream on one thread.
   *
   * @throws TingxinException {@link ErrorCode#UNSUPPORTED_OPTION} if {@code subtract_mean} is on (it needs
   *     the whole utterance)
   */
  public OnlineFeature online() {
    if (subtractMean()) {
      throw Checks.unsupported("subtract_mean", "needs the whole utterance, so the online extractor cannot"
          + " honour it; subtract means after the stream ends or use the one-shot extractor");
    }
    return new OnlineFeature(this);
  }
}
