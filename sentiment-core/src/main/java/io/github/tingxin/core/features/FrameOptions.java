package io.github.tingxin.core.features;

import java.util.Objects;

/**
 * How a waveform is cut into frames and each frame is conditioned before its FFT: Kaldi's
 * {@code FrameExtractionOptions}, with the defaults of {@code torchaudio.compliance.kaldi} (which differ
 * from Kaldi's C++ in {@code dither}: 0 here, 1 in Kaldi). The recipe keyword of each component is given
 * in brackets.
 *
 * <p>Immutable and thread-safe. Every factory and {@code with} method validates the whole record; the
 * ranges are those of {@code docs/model-package.md}.
 *
 * @param sampFreq sample rate in hertz, above 0 and at most {@value #MAX_SAMPLE_FREQUENCY}
 *     [{@code sample_frequency}], default 16000
 * @param frameShiftMs frame shift in milliseconds, from 1 to {@value #MAX_WINDOW_SAMPLES} samples
 *     [{@code frame_shift}], default 10
 * @param frameLengthMs frame length in milliseconds, from 2 to {@value #MAX_WINDOW_SAMPLES} samples
 *     [{@code frame_length}], default 25
 * @param dither standard deviation of Gaussian noise added to each sample, 0 for none, at most
 *     {@value #MAX_DITHER} [{@code dither}], default 0. The noise is reproducible: it depends only on
 *     {@code ditherSeed} and the frame index, so one-shot and streaming extraction, and repeated runs, give
 *     the same frames.
 * @param ditherSeed seed of the dither noise [{@code dither_seed}, Tingxin's], default 0
 * @param preemphCoeff pre-emphasis coefficient in [0, 1] [{@code preemphasis_coefficient}], default 0.97
 * @param removeDcOffset subtract each frame's mean [{@code remove_dc_offset}], default true
 * @param windowType the analysis window [{@code window_type}], default {@link WindowType#POVEY}
 * @param roundToPowerOfTwo zero-pad each frame to a power of two for the FFT
 *     [{@code round_to_power_of_two}], default true
 * @param blackmanCoeff coefficient of the generalised Blackman window, in [0, 1] [{@code blackman_coeff}],
 *     default 0.42
 * @param snipEdges true: only frames that fit wholly in the audio; false: frames centred every shift,
 *     with the audio reflected at both ends [{@code snip_edges}], default true
 * @param waveformScale factor applied to every sample first, e.g. 32768 for models trained on
 *     int16-scaled input, above 0 and at most {@value #MAX_WAVEFORM_SCALE} [{@code waveform_scale},
 *     Tingxin's], default 1
 */
public record FrameOptions(double sampFreq, double frameShiftMs, double frameLengthMs, double dither,
    long ditherSeed, double preemphCoeff, boolean removeDcOffset, WindowType windowType,
    boolean roundToPowerOfTwo, double blackmanCoeff, boolean snipEdges, double waveformScale) {

  /** Highest {@code sample_frequency} in hertz, the highest rate {@link io.github.tingxin.api.Audio} takes. */
  public static final int MAX_SAMPLE_FREQUENCY = 384_000;
  /** Longest frame, FFT and frame shift, in samples (4.096 s at 16 kHz). */
  public static final int MAX_WINDOW_SAMPLES = 65_536;
  /** Largest {@code dither}. */
  public static final double MAX_DITHER = 1e6;
  /** Largest {@code waveform_scale}. */
  public static final double MAX_WAVEFORM_SCALE = 1e6;

  private static final FrameOptions DEFAULTS =
      new FrameOptions(16000, 10, 25, 0, 0, 0.97, true, WindowType.POVEY, true, 0.42, true, 1.0);

  /**
   * @throws IllegalArgumentException naming the option whose value is outside its range
   * @throws NullPointerException if {@code windowType} is null
   */
  public FrameOptions {
    Objects.requireNonNull(windowType, "windowType");
    Checks.positiveAtMost(sampFreq, MAX_SAMPLE_FREQUENCY, "sample_frequency");
    Checks.positive(frameShiftMs, "frame_shift");
    Checks.positive(frameLengthMs, "frame_length");
    Checks.inRange(dither, 0, MAX_DITHER, "dither");
    Checks.inRange(preemphCoeff, 0, 1, "preemphasis_coefficient");
    Checks.inRange(blackmanCoeff, 0, 1, "blackman_coeff");
    Checks.positiveAtMost(waveformScale, MAX_WAVEFORM_SCALE, "waveform_scale");
    checkSamples(sampFreq, frameLengthMs, 2, "frame_length", "frame");
    checkSamples(sampFreq, frameShiftMs, 1, "frame_shift", "shift");
    int size = windowSize(sampFreq, frameLengthMs);
    if (!roundToPowerOfTwo && size % 2 != 0) {
      throw Checks.invalid("frame_length", "gives an odd window of " + size
          + " samples, which Kaldi cannot use without round_to_power_of_two; change frame_length or set"
          + " round_to_power_of_two");
    }
  }

  private static void checkSamples(double sampFreq, double ms, int min, String option, String what) {
    double samples = sampFreq * ms * 0.001;
    if (samples < min) {
      throw Checks.invalid(option, ms + " ms at " + sampFreq + " Hz is fewer than " + min + " sample"
          + (min > 1 ? "s" : "") + "; use a longer " + what);
    }
    if (samples >= MAX_WINDOW_SAMPLES + 1) {
      throw Checks.invalid(option, ms + " ms at " + sampFreq + " Hz is more than " + MAX_WINDOW_SAMPLES
          + " samples, the longest " + what + " Tingxin computes; use a shorter " + what);
    }
  }

  /** Kaldi's (torchaudio's) defaults. */
  public static FrameOptions defaults() {
    return DEFAULTS;
  }

  /** Frame shift in samples (Kaldi's {@code WindowShift()}). */
  public int windowShift() {
    return windowSize(sampFreq, frameShiftMs);
  }

  /** Frame length in samples (Kaldi's {@code WindowSize()}). */
  public int windowSize() {
    return windowSize(sampFreq, frameLengthMs);
  }

  /** FFT length: the frame length, or the next power of two (Kaldi's {@code PaddedWindowSize()}). */
  public int paddedWindowSize() {
    int size = windowSize();
    return roundToPowerOfTwo ? Integer.highestOneBit(size - 1) << 1 : size;
  }

  // torchaudio: int(sample_frequency * frame_length * 0.001), in double precision.
  private static int windowSize(double sampFreq, double ms) {
    return (int) (sampFreq * ms * 0.001);
  }

  /** A copy with {@code sampFreq} changed. */
  public FrameOptions withSampFreq(double v) {
    return new FrameOptions(v, frameShiftMs, frameLengthMs, dither, ditherSeed, preemphCoeff, removeDcOffset,
        windowType, roundToPowerOfTwo, blackmanCoeff, snipEdges, waveformScale);
  }

  /** A copy with {@code frameShiftMs} changed. */
  public FrameOptions withFrameShiftMs(double v) {
    return new FrameOptions(sampFreq, v, frameLengthMs, dither, ditherSeed, preemphCoeff, removeDcOffset,
        windowType, roundToPowerOfTwo, blackmanCoeff, snipEdges, waveformScale);
  }

  /** A copy with {@code frameLengthMs} changed. */
  public FrameOptions withFrameLengthMs(double v) {
    return new FrameOptions(sampFreq, frameShiftMs, v, dither, ditherSeed, preemphCoeff, removeDcOffset,
        windowType, roundToPowerOfTwo, blackmanCoeff, snipEdges, waveformScale);
  }

  /** A copy with {@code dither} changed. */
  public FrameOptions withDither(double v) {
    return new FrameOptions(sampFreq, frameShiftMs, frameLengthMs, v, ditherSeed, preemphCoeff, removeDcOffset,
        windowType, roundToPowerOfTwo, blackmanCoeff, snipEdges, waveformScale);
  }

  /** A copy with {@code ditherSeed} changed. */
  public FrameOptions withDitherSeed(long v) {
    return new FrameOptions(sampFreq, frameShiftMs, frameLengthMs, dither, v, preemphCoeff, removeDcOffset,
        windowType, roundToPowerOfTwo, blackmanCoeff, snipEdges, waveformScale);
  }

  /** A copy with {@code preemphCoeff} changed. */
  public FrameOptions withPreemphCoeff(double v) {
    return new FrameOptions(sampFreq, frameShiftMs, frameLengthMs, dither, ditherSeed, v, removeDcOffset,
        windowType, roundToPowerOfTwo, blackmanCoeff, snipEdges, waveformScale);
  }

  /** A copy with {@code removeDcOffset} changed. */
  public FrameOptions withRemoveDcOffset(boolean v) {
    return new FrameOptions(sampFreq, frameShiftMs, frameLengthMs, dither, ditherSeed, preemphCoeff, v,
        windowType, roundToPowerOfTwo, blackmanCoeff, snipEdges, waveformScale);
  }

  /** A copy with {@code windowType} changed. */
  public FrameOptions withWindowType(WindowType v) {
    return new FrameOptions(sampFreq, frameShiftMs, frameLengthMs, dither, ditherSeed, preemphCoeff,
        removeDcOffset, v, roundToPowerOfTwo, blackmanCoeff, snipEdges, waveformScale);
  }

  /** A copy with {@code roundToPowerOfTwo} changed. */
  public FrameOptions withRoundToPowerOfTwo(boolean v) {
    return new FrameOptions(sampFreq, frameShiftMs, frameLengthMs, dither, ditherSeed, preemphCoeff,
        removeDcOffset, windowType, v, blackmanCoeff, snipEdges, waveformScale);
  }

  /** A copy with {@code blackmanCoeff} changed. */
  public FrameOptions withBlackmanCoeff(double v) {
    return new FrameOptions(sampFreq, frameShiftMs, frameLengthMs, dither, ditherSeed, preemphCoeff,
        removeDcOffset, windowType, roundToPowerOfTwo, v, snipEdges, waveformScale);
  }

  /** A copy with {@code snipEdges} changed. */
  public FrameOptions withSnipEdges(boolean v) {
    return new FrameOptions(sampFreq, frameShiftMs, frameLengthMs, dither, ditherSeed, preemphCoeff,
        removeDcOffset, windowType, roundToPowerOfTwo, blackmanCoeff, v, waveformScale);
  }

  /** A copy with {@code waveformScale} changed. */
  public FrameOptions withWaveformScale(double v) {
    return new FrameOptions(sampFreq, frameShiftMs, frameLengthMs, dither, ditherSeed, preemphCoeff,
        removeDcOffset, windowType, roundToPowerOfTwo, blackmanCoeff, snipEdges, v);
  }
}
