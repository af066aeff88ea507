package io.github.tingxin.core.features;

import java.util.Arrays;
import java.util.Objects;
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
 * <p>Immutable and thread-safe: one instance may serve many threads. Work buffers are lent to one call at a time, so
 * {@link #extract(float[], int, int, float[], int)} allocates nothing and the other methods only their
 * output.
 *
 * <p>Precision: single (float32) throughout, as the reference (openai-whisper's float32 recipe): the frames
 * are computed 256 at a time by a lane-parallel float FFT, twice as many per SIMD instruction as in double.
 * Whisper's floor (8 decades below the maximum) keeps float rounding far below the 1e-3 tolerance.
 */
public final class WhisperLogMel extends BlockExtractor<WhisperLogMel.Scratch> {
  private static final Logger LOG = LoggerFactory.getLogger(WhisperLogMel.class);

  /**
   * Most frames per block (see {@link LaneFft}): 256 floats per row, which C2 computes 8 at a time. Longer
   * rows spread each kernel's fixed cost over more frames: 256 lanes took 13% less time than 128 on 60 s
   * ({@code FeatureBenchmark}, JDK 17), 384 no less than 256; the block (400 rows for n_fft 400) is 400 KB.
   */
  private static final int LANES = 256;
  /** One call's work of a block, in FFT values and in samples, whatever the frame size. */
  private static final int MAX_BLOCK_VALUES = 1 << 17;
  private static final int MAX_BLOCK_SAMPLES = 1 << 18;
  /** Whisper's floor under the mel energies before the logarithm. */
  private static final float MIN_ENERGY = 1e-10f;

  private final WhisperOptions opts;
  private final MelBanks banks;
  private final FloatLanePowerSpectrum spectrum;
  private final float[] window;

  /** Work rows for one block of frames, one call at a time; not thread-safe. */
  static final class Scratch extends BlockExtractor.Work {
    final int lanes;
    final float[] chunk;
    /** {@code phase[r * phaseColumns + c]} is sample {@code c * hop + r} of a block (see {@link #readFrames}). */
    final float[] phase;
    final int phaseColumns;
    final FloatLaneFft.Rows rows;
    final float[][] frame;
    final float[][] spectrum;
    final float[][] mel;
    /** Per lane, the largest floored mel energy so far; and the work rows of {@link FastLog#log10}. */
    final float[] maxEnergy;
    final float[] exponents;
    final float[] quotients;

    Scratch(WhisperLogMel w) {
      int nFft = w.opts.nFft();
      int hop = w.opts.hopLength();
      // Fewer frames per block for long frames or hops, so that the work stays within a few MB.
      lanes = Math.max(1, Math.min(LANES, Math.min(MAX_BLOCK_VALUES / nFft, 1 + (MAX_BLOCK_SAMPLES - nFft) / hop)));
      chunk = new float[(lanes - 1) * hop + nFft];
      phaseColumns = lanes + (nFft - 1) / hop;
      phase = new float[Math.min(hop, nFft) * phaseColumns];
      rows = w.spectrum.newRows(lanes);
      frame = new float[nFft][];
      spectrum = new float[w.spectrum.bins()][];
      mel = new float[w.opts.nMels()][lanes];
      maxEnergy = new float[lanes];
      exponents = new float[lanes];
      quotients = new float[lanes];
    }
  }

  /**
   * @param opts the options
   * @throws NullPointerException if {@code opts} is null
   */
  public WhisperLogMel(WhisperOptions opts) {
    this.opts = Objects.requireNonNull(opts, "opts");
    this.banks = MelBanks.slaney(opts.nMels(), opts.nFft(), opts.sampleRate());
    this.spectrum = new FloatLanePowerSpectrum(opts.nFft());
    int n = opts.nFft();
    window = new float[n];
    for (int i = 0; i < n; i++) {
      window[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / n)); // torch.hann_window(periodic=True)
    }
  }

  @Override
  Scratch newWork() {
    return new Scratch(this);
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

  /** The features of {@code samples} as a new row-major {@code frames x n_mels} array. */
  public float[] compute(float[] samples) {
    Objects.requireNonNull(samples, "samples");
    return extract(samples, 0, samples.length).data();
  }

  @Override
  void compute(Scratch s, int numSamples, float[] out, int outOffset) {
    int padded = opts.paddedSamples();
    int length = padded >= 0 ? padded : numSamples; // the signal after pad_or_trim
    int available = Math.min(numSamples, length); // real samples; the rest are zeros
    int frames = length / opts.hopLength();
    if (frames == 0 && numSamples > 0) {
      LOG.debug("{} samples are shorter than one hop of {} samples: zero frames", numSamples, opts.hopLength());
    }
    int nMels = opts.nMels();
    Arrays.fill(s.maxEnergy, MIN_ENERGY);
    for (int first = 0; first < frames; first += s.lanes) {
      int lanes = Math.min(s.lanes, frames - first);
      readFrames(s, first, lanes, length, available);
      spectrum.compute(s.rows, lanes, s.spectrum, false);
      float[] dc = s.spectrum[0];
      for (int f = 0; f < lanes; f++) {
        if (!Float.isFinite(dc[f])) {
          s.source.checkFinite(0, available);
        }
      }
      banks.apply(s.spectrum, s.mel, lanes);
      logMel(s, lanes, out, outOffset + first * nMels);
    }
    // Dynamic range limited to 8 (decades) below the maximum (the log of the largest energy, as the log
    // is monotonic), then scaled as Whisper does.
    float maxEnergy = MIN_ENERGY;
    for (float e : s.maxEnergy) {
      maxEnergy = Math.max(maxEnergy, e);
    }
    float floor = FastLog.log10(maxEnergy) - 8f;
    int end = outOffset + frames * nMels;
    for (int i = outOffset; i < end; i++) {
      out[i] = (Math.max(out[i], floor) + 4f) / 4f;
    }
  }

  // Writes log10 of the floored mel energies frame after frame and keeps each lane's largest energy. The
  // logarithms are taken row by row in place (contiguous, vectorised), then the rows are transposed into the
  // output.
  private static void logMel(Scratch s, int lanes, float[] out, int outOffset) {
    float[][] mel = s.mel;
    int nMels = mel.length;
    for (float[] row : mel) {
      floorAndMax(row, s.maxEnergy, lanes);
      FastLog.log10(row, s.exponents, s.quotients, lanes);
    }
    for (int f = 0, o = outOffset; f < lanes; f++) {
      for (int b = 0; b < nMels; b++, o++) {
        out[o] = mel[b][f];
      }
    }
  }

  /** Whisper's {@code max(e, 1e-10)} before the logarithm, and {@code max = max(max, e)}, lane by lane. */
  private static void floorAndMax(float[] e, float[] max, int lanes) {
    for (int f = 0; f < lanes; f++) {
      float x = Math.max(e[f], MIN_ENERGY);
      e[f] = x;
      max[f] = Math.max(max[f], x);
    }
  }

  // Cuts frames [first, first + lanes) (centred, reflect-padded) and windows them into the FFT's rows.
  // Sample i of frame first + f is x[start + f hop + i] = phase[i % hop][f + i / hop]: one pass of scalar
  // moves sorts the block's samples by phase (straight from the caller's array when the block lies
  // inside it), then each frame row is a contiguous run of a phase row (a copy and a vectorised multiply),
  // instead of a strided gather of every sample of every frame.
  private void readFrames(Scratch s, int first, int lanes, int length, int available) {
    int nFft = opts.nFft();
    int hop = opts.hopLength();
    int start = first * hop - nFft / 2;
    int span = (lanes - 1) * hop + nFft;
    float[] phase = s.phase;
    int columns = s.phaseColumns;
    int phases = phase.length / columns;
    float[] array = s.source.array();
    if (start >= 0 && start + span <= available && array != null) {
      sortByPhase(array, s.source.index(start), hop, span, phase, phases, columns);
    } else {
      float[] chunk = s.chunk;
      // the block's real samples [lo, hi) in one copy; reflect padding and zeros around them sample by sample
      int lo = Math.min(span, Math.max(0, -start));
      int hi = Math.max(lo, Math.min(span, available - start));
      if (hi > lo) {
        s.source.copy(start + lo, chunk, lo, hi - lo);
      }
      for (int i = 0; i < lo; i++) {
        chunk[i] = padded(s, start + i, length, available);
      }
      for (int i = hi; i < span; i++) {
        chunk[i] = padded(s, start + i, length, available);
      }
      sortByPhase(chunk, 0, hop, span, phase, phases, columns);
    }
    spectrum.inputRows(s.rows, s.frame);
    for (int i = 0; i < nFft; i++) {
      float[] row = s.frame[i];
      System.arraycopy(phase, (i % hop) * columns + i / hop, row, 0, lanes);
      FloatLanes.scale(row, window[i], lanes);
    }
  }

  /** {@code phase[r * columns + c] = x[from + c hop + r]} for {@code r < phases} and {@code c hop + r < span}. */
  private static void sortByPhase(float[] x, int from, int hop, int span, float[] phase, int phases, int columns) {
    for (int c = 0, base = 0; base < span; c++, base += hop) {
      int end = Math.min(phases, span - base);
      for (int r = 0, at = c; r < end; r++, at += columns) {
        phase[at] = x[from + base + r];
      }
    }
  }

  /** Sample {@code t} of the signal after padding: reflected into {@code [0, length)}, zero from {@code available}. */
  private static float padded(Scratch s, int t, int length, int available) {
    int r = reflect(t, length);
    return r < available ? s.source.get(r) : 0f;
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
