package io.github.tingxin.core.features;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Kaldi filterbank and MFCC share: framing, FFT, mel banks, energy, in double precision. Frames are
 * computed in blocks of up to {@link #LANES}, one frame per lane of a {@link LaneFft}, so that the
 * per-sample arithmetic runs as SIMD loops; each frame's arithmetic is that of a frame-at-a-time Kaldi, so
 * frames do not depend on the blocking (one-shot and the tests' streaming {@code OnlineFeature} agree
 * exactly).
 *
 * <p>Immutable and thread-safe: work buffers ({@link Scratch}) are lent to one call at a time, so a call allocates
 * nothing but what it returns (and nothing at all with the {@code extract(..., out, outOffset)} form).
 */
abstract class KaldiFrameFeature extends BlockExtractor<KaldiFrameFeature.Scratch> {
  private static final Logger LOG = LoggerFactory.getLogger(KaldiFrameFeature.class);

  /** {@code torch.finfo(torch.float).eps}, the floor of every logged energy. */
  static final float FLT_EPSILON = 1.1920928955078125e-07f;

  /**
   * Most frames per block in one-shot extraction: 128 frames of 512 (a block of 512 KB) took 3-7% less time
   * than 64 on 60 s ({@code FeatureBenchmark}, JDK 17): each kernel's fixed cost is spread over more frames.
   */
  static final int LANES = 128;
  /** Per-thread work of a block, in FFT values and in samples, whatever the frame size. */
  private static final int MAX_BLOCK_VALUES = 1 << 16;
  private static final int MAX_BLOCK_SAMPLES = 1 << 18;

  final FrameExtractor frames;
  final MelBanks banks;
  final LanePowerSpectrum spectrum;
  private final int sampleRate;
  private final int energyMode;
  private final double logEnergyFloor;
  private final boolean usePower;
  private final boolean useLog;

  KaldiFrameFeature(FrameOptions frameOpts, MelOptions melOpts, boolean useEnergy, boolean rawEnergy,
      double energyFloor, boolean usePower, boolean useLog) {
    this.frames = new FrameExtractor(frameOpts);
    this.banks = MelBanks.kaldi(melOpts, frameOpts.sampFreq(), frames.paddedSize());
    this.spectrum = new LanePowerSpectrum(frames.paddedSize());
    double rate = frameOpts.sampFreq();
    if (rate != Math.rint(rate)) {
      throw Checks.invalid("sample_frequency", rate + " Hz is not a whole number of hertz");
    }
    this.sampleRate = (int) rate;
    this.energyMode = useEnergy ? (rawEnergy ? 1 : 2) : 0;
    this.logEnergyFloor = energyFloor > 0 ? Math.log(energyFloor) : Double.NEGATIVE_INFINITY;
    this.usePower = usePower;
    this.useLog = useLog;
  }

  /**
   * Frames per block: {@link #LANES}, fewer for long frames or shifts, so that a thread's work rows stay
   * within a few MB whatever the options.
   */
  final int lanes() {
    int byFft = MAX_BLOCK_VALUES / frames.paddedSize();
    int bySamples = 1 + (MAX_BLOCK_SAMPLES - frames.windowSize()) / frames.windowShift();
    return Math.max(1, Math.min(LANES, Math.min(byFft, bySamples)));
  }

  /** Per-thread (or per-stream) work rows for blocks of up to {@code lanes} frames; not thread-safe. */
  static class Scratch extends BlockExtractor.Work {
    final int lanes;
    final float[] chunk;
    final LaneFft.Rows rows;
    final double[][] frame;
    final double[][] spectrum;
    final double[][] mel;
    final double[] mean;
    final double[] energy;
    /** Rows a subclass computes from the mel rows (MFCC's cepstra), or none. */
    final double[][] extra;
    /** One value per output dimension, for {@code subtract_mean}. */
    final double[] columns;

    Scratch(KaldiFrameFeature fe, int lanes, int extraRows) {
      this.lanes = lanes;
      chunk = new float[fe.frames.span(lanes)];
      rows = fe.spectrum.newRows(lanes);
      frame = new double[fe.frames.paddedSize()][];
      spectrum = new double[fe.spectrum.bins()][];
      mel = new double[fe.banks.numBins()][lanes];
      mean = new double[lanes];
      energy = new double[lanes];
      extra = new double[extraRows][lanes];
      columns = new double[fe.dim()];
    }
  }

  Scratch newScratch(int lanes) {
    return new Scratch(this, lanes, extraRows());
  }

  @Override
  Scratch newWork() {
    return newScratch(lanes());
  }

  /** Rows {@link Scratch#extra} needs. */
  int extraRows() {
    return 0;
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

  /**
   * Writes the {@link #dim()} values of lanes {@code [0, lanes)} to {@code out[outOffset...]}, frame after
   * frame, from {@link Scratch#mel} (log mel energies, or linear without {@code use_log_fbank}) and
   * {@link Scratch#energy} (each frame's floored log energy, when energy is used).
   */
  abstract void writeBlock(Scratch s, int lanes, float[] out, int outOffset);

  /**
   * Computes frames {@code [first, first + count)} of the signal {@code s.source} of {@code numSamples}
   * samples into {@code out[outOffset...]}, {@link #dim()} values per frame.
   *
   * @throws TingxinException {@link ErrorCode#NON_FINITE_SAMPLE} if a sample these frames cover is NaN or
   *     infinite
   */
  final void computeFrames(Scratch s, long numSamples, int first, int count, float[] out, int outOffset) {
    int dim = dim();
    for (int done = 0; done < count; done += s.lanes) {
      int lanes = Math.min(s.lanes, count - done);
      int frame = first + done;
      spectrum.inputRows(s.rows, s.frame);
      frames.extract(s.source, numSamples, frame, lanes, s.chunk, s.frame, s.mean, s.energy, energyMode);
      spectrum.compute(s.rows, lanes, s.spectrum, !usePower);
      checkFinite(s, numSamples, frame, lanes);
      banks.apply(s.spectrum, s.mel, lanes);
      if (useLog) {
        for (double[] row : s.mel) {
          logOfFloored(row, lanes);
        }
      }
      if (energyMode != 0) {
        double[] e = s.energy;
        for (int f = 0; f < lanes; f++) {
          e[f] = Math.max(Math.log(Math.max(e[f], FLT_EPSILON)), logEnergyFloor);
        }
      }
      writeBlock(s, lanes, out, outOffset + done * dim);
    }
  }

  // A NaN or infinite sample makes its frame's DC power non-finite (finite samples cannot overflow it),
  // so one test per frame finds every bad sample a frame covers.
  private void checkFinite(Scratch s, long numSamples, int first, int lanes) {
    double[] dc = s.spectrum[0];
    for (int f = 0; f < lanes; f++) {
      if (!Double.isFinite(dc[f])) {
        long start = frames.firstSampleOfFrame(first + f);
        s.source.checkFinite(start, Math.min(numSamples, start + frames.windowSize()));
        s.source.checkFinite(0, numSamples); // a reflected sample
      }
    }
  }

  /** {@code x = log(max(x, FLT_EPSILON))}. */
  static void logOfFloored(double[] x, int lanes) {
    for (int f = 0; f < lanes; f++) {
      x[f] = FastLog.log(Math.max(x[f], FLT_EPSILON));
    }
  }

  /**
   * Computes the features of {@code samples} (full scale 1.0, at {@link #sampleRate()}) into a new
   * row-major array of {@code numFrames(samples.length) * dim()} values.
   */
  public float[] compute(float[] samples) {
    Objects.requireNonNull(samples, "samples");
    return extract(samples, 0, samples.length).data();
  }

  @Override
  final void compute(Scratch s, int numSamples, float[] out, int outOffset) {
    int n = numFrames(numSamples);
    if (n == 0 && numSamples > 0) {
      LOG.debug("{} samples are shorter than one frame of {} samples: zero frames (as Kaldi)", numSamples,
          frames.windowSize());
    }
    computeFrames(s, numSamples, 0, n, out, outOffset);
    if (subtractMean() && n > 0) {
      subtractColumnMeans(out, outOffset, n, dim(), s.columns);
    }
  }

  static void subtractColumnMeans(float[] data, int offset, int rows, int dim, double[] mean) {
    Arrays.fill(mean, 0, dim, 0.0);
    for (int r = 0; r < rows; r++) {
      for (int d = 0; d < dim; d++) {
        mean[d] += data[offset + r * dim + d];
      }
    }
    for (int d = 0; d < dim; d++) {
      mean[d] /= rows;
    }
    for (int r = 0; r < rows; r++) {
      for (int d = 0; d < dim; d++) {
        int i = offset + r * dim + d;
        data[i] = (float) (data[i] - mean[d]);
      }
    }
  }
}
