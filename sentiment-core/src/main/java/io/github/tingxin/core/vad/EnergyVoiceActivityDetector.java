package io.github.tingxin.core.vad;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.spi.FramedVadStream;
import io.github.tingxin.spi.RegionTuning;
import io.github.tingxin.spi.VoiceActivityDetector;
import java.util.Objects;
import org.jtransforms.fft.FloatFFT_1D;

/**
 * Energy and spectral-flatness voice activity detector with an adaptive noise floor; needs no model.
 *
 * <p>For each frame of {@link Options#frameMillis()} (no overlap) it measures the frame's level in dBFS
 * (after removing its mean) and the spectral flatness of its Hann-windowed power spectrum between
 * {@link Options#bandLowHz()} and {@link Options#bandHighHz()}. The noise floor follows the level: it drops
 * at once to any quieter frame (never below {@link Options#minFloorDb()}) and rises by at most
 * {@link Options#floorRiseDbPerSecond()}, or {@link Options#stationaryRiseDbPerSecond()} while the level has
 * been steady (standard deviation under {@link Options#stationaryStdDb()} over
 * {@link Options#modulationSeconds()}): speech is strongly modulated, a new steady noise is not, so the floor
 * catches up with noise fast and with speech slowly. The speech probability of a frame is
 *
 * <pre>
 *   sigmoid((level - floor - snrThresholdDb) / snrSlopeDb)
 *     * sigmoid((maxFlatness - flatness) / flatnessSlope)
 *     * sigmoid((level - minSpeechDb) / 2)
 * </pre>
 *
 * so a frame must stand out from the noise, be tonal rather than noise-like, and not be near digital
 * silence. Hangover and minimum speech and silence durations are applied to these probabilities by
 * {@link SpeechRegionTracker} (see {@link #DEFAULT_REGIONS}).
 *
 * <p>Thread-safe; each {@link Stream} is single-threaded and allocates nothing per frame.
 */
final class EnergyVoiceActivityDetector implements VoiceActivityDetector {

  /** Name of this detector, as its provider registers it. */
  public static final String NAME = "energy";

  /**
   * Region settings tuned for this detector: onset 0.5, offset 0.35, 60 ms minimum speech, 200 ms hangover
   * (minimum silence), 60 ms padding.
   */
  public static final RegionTuning DEFAULT_REGIONS = new RegionTuning(0.5, 0.35, 0.06, 0.2, 0.06);

  /**
   * The detector's parameters.
   *
   * @param frameMillis frame length (and hop), milliseconds, in [5, 50]
   * @param snrThresholdDb level over the noise floor at which the energy term is 0.5
   * @param snrSlopeDb softness of the energy term, dB, > 0
   * @param maxFlatness spectral flatness (0 tonal .. 1 white) at which the flatness term is 0.5, in (0, 1]
   * @param flatnessSlope softness of the flatness term, > 0
   * @param minSpeechDb level in dBFS below which a frame is taken for silence whatever the floor
   * @param minFloorDb lowest noise floor, dBFS (keeps digital silence from pulling it to minus infinity)
   * @param floorRiseDbPerSecond how fast the floor may rise while the level is modulated (speech), dB/s, > 0
   * @param stationaryRiseDbPerSecond how fast it may rise while the level is steady (noise), dB/s, > 0
   * @param stationaryStdDb standard deviation of the level, dB, under which it counts as steady
   * @param modulationSeconds span over which steadiness is judged, seconds, > 0
   * @param bandLowHz lowest frequency of the flatness band, Hz, >= 0
   * @param bandHighHz highest frequency of the flatness band, Hz; must lie below the Nyquist frequency of the
   *     audio (the detector refuses a rate where it does not)
   */
  public record Options(double frameMillis, double snrThresholdDb, double snrSlopeDb, double maxFlatness,
      double flatnessSlope, double minSpeechDb, double minFloorDb, double floorRiseDbPerSecond,
      double stationaryRiseDbPerSecond, double stationaryStdDb, double modulationSeconds, double bandLowHz,
      double bandHighHz) {

    /**
     * The defaults, tuned on EmoDB speech joined with pauses and noise (see the tests). The speech level sits
     * low, so that a quiet recording (a caller far from the telephone, a line with little gain) is heard as a
     * loud one is: the detector finds the same speech in that call down to 40 dB quieter (with -55 dBFS it lost
     * most of it at 40 dB and some at 30 dB). Near-digital silence stays out through the floor and the flatness
     * term. The floor's lower bound stays at -80 dBFS: lower, a steady hum that starts on a silent line would
     * pass for speech for longer before the floor reaches it.
     */
    public static final Options DEFAULT = new Options(20, 6, 1.5, 0.45, 0.06, -70, -80, 3, 20, 3, 0.5, 250, 3400);

    /** @throws IllegalArgumentException naming the invalid parameter */
    public Options {
      check(frameMillis >= 5 && frameMillis <= 50, "frameMillis must be in [5, 50]", frameMillis);
      check(Double.isFinite(snrThresholdDb), "snrThresholdDb must be finite", snrThresholdDb);
      check(snrSlopeDb > 0 && Double.isFinite(snrSlopeDb), "snrSlopeDb must be > 0", snrSlopeDb);
      check(maxFlatness > 0 && maxFlatness <= 1, "maxFlatness must be in (0, 1]", maxFlatness);
      check(flatnessSlope > 0 && Double.isFinite(flatnessSlope), "flatnessSlope must be > 0", flatnessSlope);
      check(Double.isFinite(minSpeechDb), "minSpeechDb must be finite", minSpeechDb);
      check(Double.isFinite(minFloorDb), "minFloorDb must be finite", minFloorDb);
      check(floorRiseDbPerSecond > 0 && Double.isFinite(floorRiseDbPerSecond), "floorRiseDbPerSecond must be > 0",
          floorRiseDbPerSecond);
      check(stationaryRiseDbPerSecond > 0 && Double.isFinite(stationaryRiseDbPerSecond),
          "stationaryRiseDbPerSecond must be > 0", stationaryRiseDbPerSecond);
      check(stationaryStdDb >= 0 && Double.isFinite(stationaryStdDb), "stationaryStdDb must be >= 0",
          stationaryStdDb);
      check(modulationSeconds > 0 && modulationSeconds <= 10, "modulationSeconds must be in (0, 10]",
          modulationSeconds);
      check(bandLowHz >= 0 && bandHighHz > bandLowHz, "need 0 <= bandLowHz < bandHighHz", bandLowHz);
    }

    private static void check(boolean ok, String what, double value) {
      if (!ok) {
        throw new IllegalArgumentException(what + ", was " + value);
      }
    }
  }

  private final Options options;
  private final int sampleRate;
  private final int frameSamples;
  private final int fftSize;
  private final int binLow;
  private final int binHigh;
  private final int modulationFrames;
  private final float[] window;
  private final double floorRisePerFrame;
  private final double stationaryRisePerFrame;

  /**
   * A detector for audio at {@code sampleRate}.
   *
   * @throws NullPointerException if {@code options} is null
   * @throws TingxinException {@link ErrorCode#UNSUPPORTED_SAMPLE_RATE} if the rate is under 4 kHz or the
   *     flatness band reaches Nyquist
   */
  public EnergyVoiceActivityDetector(int sampleRate, Options options) {
    this.options = Objects.requireNonNull(options, "options");
    if (sampleRate < 4000 || sampleRate > 384_000) {
      throw new TingxinException(ErrorCode.UNSUPPORTED_SAMPLE_RATE, "The energy voice activity detector takes "
          + "4000..384000 Hz, not " + sampleRate + " Hz.");
    }
    if (options.bandHighHz() >= sampleRate / 2.0) {
      throw new TingxinException(ErrorCode.UNSUPPORTED_SAMPLE_RATE, "The flatness band reaches "
          + options.bandHighHz() + " Hz, at or above the Nyquist frequency of " + sampleRate
          + " Hz audio; lower bandHighHz.");
    }
    this.sampleRate = sampleRate;
    this.frameSamples = (int) Math.round(sampleRate * options.frameMillis() / 1000.0);
    int n = 1;
    while (n < frameSamples) {
      n <<= 1;
    }
    this.fftSize = n;
    this.binLow = Math.max(1, (int) Math.ceil(options.bandLowHz() * fftSize / sampleRate));
    this.binHigh = Math.min(fftSize / 2 - 1, (int) Math.floor(options.bandHighHz() * fftSize / sampleRate));
    double frameSeconds = frameSamples / (double) sampleRate;
    this.modulationFrames = Math.max(2, (int) Math.round(options.modulationSeconds() / frameSeconds));
    this.floorRisePerFrame = options.floorRiseDbPerSecond() * frameSeconds;
    this.stationaryRisePerFrame = options.stationaryRiseDbPerSecond() * frameSeconds;
    this.window = new float[frameSamples];
    for (int i = 0; i < frameSamples; i++) {
      window[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / (frameSamples - 1)));
    }
  }

  /** A detector with {@link Options#DEFAULT}. */
  public EnergyVoiceActivityDetector(int sampleRate) {
    this(sampleRate, Options.DEFAULT);
  }

  /** The parameters. */
  public Options options() {
    return options;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int sampleRate() {
    return sampleRate;
  }

  @Override
  public int frameSamples() {
    return frameSamples;
  }

  /** {@link #DEFAULT_REGIONS}. */
  @Override
  public RegionTuning regionTuning() {
    return DEFAULT_REGIONS;
  }

  @Override
  public Stream newStream() {
    return new EnergyStream();
  }

  /** Nothing to free. */
  @Override
  public void close() {}

  private final class EnergyStream extends FramedVadStream {
    private final float[] frame;
    private final float[] fftBuffer = new float[fftSize];
    private final FloatFFT_1D fft = new FloatFFT_1D(fftSize);
    private final double[] recentLevels = new double[modulationFrames];
    private double floor;

    EnergyStream() {
      this(new float[frameSamples]);
    }

    private EnergyStream(float[] frame) {
      super(frame, 0, frameSamples);
      this.frame = frame;
    }

    @Override
    protected float frameProbability() {
      return (float) probability();
    }

    private double probability() {
      double mean = 0;
      for (int i = 0; i < frameSamples; i++) {
        mean += frame[i];
      }
      mean /= frameSamples;
      double energy = 0;
      for (int i = 0; i < frameSamples; i++) {
        double v = frame[i] - mean;
        energy += v * v;
        fftBuffer[i] = (float) (v * window[i]);
      }
      java.util.Arrays.fill(fftBuffer, frameSamples, fftSize, 0f);
      double level = 10 * Math.log10(energy / frameSamples + 1e-12);

      double modulationStd = pushLevel(level);
      if (framesDone() == 0) {
        floor = Math.max(level, options.minFloorDb());
      } else if (level < floor) {
        floor = Math.max(level, options.minFloorDb());
      } else {
        double rise = modulationStd < options.stationaryStdDb() ? stationaryRisePerFrame : floorRisePerFrame;
        floor = Math.min(level, floor + rise);
      }

      fft.realForward(fftBuffer);
      double logSum = 0;
      double sum = 0;
      int bins = 0;
      for (int k = binLow; k <= binHigh; k++) {
        double re = fftBuffer[2 * k];
        double im = fftBuffer[2 * k + 1];
        double power = re * re + im * im + 1e-20;
        logSum += Math.log(power);
        sum += power;
        bins++;
      }
      double flatness = Math.exp(logSum / bins) / (sum / bins);

      double energyTerm = sigmoid((level - floor - options.snrThresholdDb()) / options.snrSlopeDb());
      double flatnessTerm = sigmoid((options.maxFlatness() - flatness) / options.flatnessSlope());
      double loudnessTerm = sigmoid((level - options.minSpeechDb()) / 2);
      return energyTerm * flatnessTerm * loudnessTerm;
    }

    /** Records the level and returns the standard deviation of the recent levels (frames so far, if fewer). */
    private double pushLevel(double level) {
      recentLevels[(int) (framesDone() % modulationFrames)] = level;
      int n = (int) Math.min(framesDone() + 1, modulationFrames);
      if (n < modulationFrames) {
        return Double.POSITIVE_INFINITY; // too little history to call anything steady
      }
      double mean = 0;
      for (int i = 0; i < n; i++) {
        mean += recentLevels[i];
      }
      mean /= n;
      double var = 0;
      for (int i = 0; i < n; i++) {
        double d = recentLevels[i] - mean;
        var += d * d;
      }
      return Math.sqrt(var / n);
    }
  }

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }
}
