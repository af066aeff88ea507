package io.github.tingxin.core.features;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.ModelManifest.FeatureRecipe;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.spi.FeatureExtractor;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Makes extractors from manifest recipes ({@code docs/model-package.md}, "Feature recipes"): types
 * {@value #WAVEFORM}, {@value #KALDI_FBANK}, {@value #KALDI_MFCC} and {@value #WHISPER_LOGMEL}. Option
 * names are torchaudio's keywords plus Tingxin's extras; every absent option takes its documented
 * default; an unknown option or bad value is refused with {@link ErrorCode#INVALID_OPTION} naming it, and
 * an option that cannot be honoured with {@link ErrorCode#UNSUPPORTED_OPTION}.
 *
 * <p>Stateless and thread-safe; the extractors made are immutable and thread-safe.
 */
public final class FeatureRecipes {
  /** Raw (optionally normalised) waveform. */
  public static final String WAVEFORM = "waveform";
  /** {@code torchaudio.compliance.kaldi.fbank}. */
  public static final String KALDI_FBANK = "kaldi-fbank";
  /** {@code torchaudio.compliance.kaldi.mfcc}. */
  public static final String KALDI_MFCC = "kaldi-mfcc";
  /** Whisper's log-mel spectrogram. */
  public static final String WHISPER_LOGMEL = "whisper-logmel";

  private FeatureRecipes() {}

  /** The recipe types this class makes. */
  public static List<String> types() {
    return List.of(WAVEFORM, KALDI_FBANK, KALDI_MFCC, WHISPER_LOGMEL);
  }

  /**
   * Makes the extractor a recipe describes.
   *
   * @param recipe the manifest's {@code features}
   * @param sampleRate the model's sample rate in hertz
   * @return an immutable, thread-safe extractor
   * @throws TingxinException {@link ErrorCode#INVALID_OPTION} for an unknown type or option, a malformed
   *     value, or a {@code sample_frequency} other than {@code sampleRate};
   *     {@link ErrorCode#UNSUPPORTED_OPTION} for an option that cannot be honoured (e.g. {@code vtln_warp}
   *     other than 1.0); the message names the option
   */
  public static FeatureExtractor create(FeatureRecipe recipe, int sampleRate) {
    Objects.requireNonNull(recipe, "recipe");
    if (sampleRate < 1) {
      throw new TingxinException(ErrorCode.UNSUPPORTED_SAMPLE_RATE, "Sample rate " + sampleRate + " Hz is not valid.");
    }
    try {
      RecipeOptions o = new RecipeOptions(recipe.type(), recipe.options());
      FeatureExtractor extractor = switch (recipe.type()) {
        case WAVEFORM -> waveform(o, sampleRate);
        case KALDI_FBANK -> kaldi(o, sampleRate, false);
        case KALDI_MFCC -> kaldi(o, sampleRate, true);
        case WHISPER_LOGMEL -> whisper(o, sampleRate);
        default -> throw new TingxinException(ErrorCode.INVALID_OPTION, "features.type: '" + recipe.type()
            + "' is not a recipe type; use one of " + types());
      };
      o.finish();
      return extractor;
    } catch (IllegalArgumentException e) {
      throw invalidOption(e);
    }
  }

  /**
   * The {@link FbankOptions} a {@code kaldi-fbank} recipe's options describe (extras not included).
   *
   * @throws TingxinException as {@link #create}
   */
  public static FbankOptions fbankOptions(FeatureRecipe recipe, int sampleRate) {
    return frameOptions(recipe, o -> fbank(o, sampleRate));
  }

  /**
   * The {@link MfccOptions} a {@code kaldi-mfcc} recipe's options describe (extras not included).
   *
   * @throws TingxinException as {@link #create}
   */
  public static MfccOptions mfccOptions(FeatureRecipe recipe, int sampleRate) {
    return frameOptions(recipe, o -> mfcc(o, sampleRate));
  }

  private static <T> T frameOptions(FeatureRecipe recipe, Function<RecipeOptions, T> read) {
    try {
      RecipeOptions o = new RecipeOptions(recipe.type(), recipe.options());
      T opts = read.apply(o);
      readExtras(o);
      o.finish();
      return opts;
    } catch (IllegalArgumentException e) {
      throw invalidOption(e);
    }
  }

  // The options records and the parser refuse a value with an IllegalArgumentException naming the option
  // (the Java API's convention); in a recipe that is bad input, INVALID_OPTION.
  private static TingxinException invalidOption(IllegalArgumentException e) {
    return new TingxinException(ErrorCode.INVALID_OPTION, e.getMessage(), e);
  }

  private static void checkRate(RecipeOptions o, int sampleRate) {
    if (o.has("sample_frequency")) {
      double f = o.getDouble("sample_frequency", sampleRate);
      if (f != sampleRate) {
        throw Checks.invalid("sample_frequency", f + " Hz differs from the model's sampleRate " + sampleRate
            + " Hz; they must be equal (or leave sample_frequency out)");
      }
    }
  }

  private static FeatureExtractor waveform(RecipeOptions o, int sampleRate) {
    checkRate(o, sampleRate);
    String mode = o.getString("normalize", "none");
    return new WaveformNormalizer(sampleRate, WaveformNormalizer.Mode.fromRecipeName(mode));
  }

  private static FeatureExtractor whisper(RecipeOptions o, int sampleRate) {
    checkRate(o, sampleRate);
    WhisperOptions d = WhisperOptions.defaults();
    int longest = FrameOptions.MAX_WINDOW_SAMPLES;
    return new WhisperLogMel(new WhisperOptions(sampleRate, o.getInt("n_mels", d.nMels(), 1, MelOptions.MAX_BINS),
        o.getInt("n_fft", d.nFft(), 2, longest), o.getInt("hop_length", d.hopLength(), 1, longest),
        o.getDouble("pad_to_seconds", d.padToSeconds())));
  }

  private static FrameOptions frame(RecipeOptions o, int sampleRate) {
    checkRate(o, sampleRate);
    FrameOptions d = FrameOptions.defaults();
    return new FrameOptions(sampleRate,
        o.getDouble("frame_shift", d.frameShiftMs()),
        o.getDouble("frame_length", d.frameLengthMs()),
        o.getDouble("dither", d.dither()),
        o.getLong("dither_seed", d.ditherSeed()),
        o.getDouble("preemphasis_coefficient", d.preemphCoeff()),
        o.getBoolean("remove_dc_offset", d.removeDcOffset()),
        WindowType.fromKaldiName(o.getString("window_type", d.windowType().kaldiName())),
        o.getBoolean("round_to_power_of_two", d.roundToPowerOfTwo()),
        o.getDouble("blackman_coeff", d.blackmanCoeff()),
        o.getBoolean("snip_edges", d.snipEdges()),
        o.getDouble("waveform_scale", d.waveformScale()));
  }

  private static MelOptions mel(RecipeOptions o) {
    MelOptions d = MelOptions.defaults();
    return new MelOptions(o.getInt("num_mel_bins", d.numBins(), 4, MelOptions.MAX_BINS),
        o.getDouble("low_freq", d.lowFreq()),
        o.getDouble("high_freq", d.highFreq()), o.getDouble("vtln_low", d.vtlnLow()),
        o.getDouble("vtln_high", d.vtlnHigh()));
  }

  private static FbankOptions fbank(RecipeOptions o, int sampleRate) {
    FbankOptions d = FbankOptions.defaults();
    FrameOptions frame = frame(o, sampleRate);
    MelOptions mel = mel(o);
    return new FbankOptions(frame, mel, o.getBoolean("use_energy", d.useEnergy()),
        o.getDouble("energy_floor", d.energyFloor()), o.getBoolean("raw_energy", d.rawEnergy()),
        o.getBoolean("htk_compat", d.htkCompat()), o.getBoolean("use_log_fbank", d.useLogFbank()),
        o.getBoolean("use_power", d.usePower()), o.getBoolean("subtract_mean", d.subtractMean()),
        o.getDouble("vtln_warp", d.vtlnWarp()));
  }

  private static MfccOptions mfcc(RecipeOptions o, int sampleRate) {
    MfccOptions d = MfccOptions.defaults();
    FrameOptions frame = frame(o, sampleRate);
    MelOptions mel = mel(o);
    return new MfccOptions(frame, mel, o.getInt("num_ceps", d.numCeps(), 1, MelOptions.MAX_BINS),
        o.getBoolean("use_energy", d.useEnergy()),
        o.getDouble("energy_floor", d.energyFloor()), o.getBoolean("raw_energy", d.rawEnergy()),
        o.getDouble("cepstral_lifter", d.cepstralLifter()), o.getBoolean("htk_compat", d.htkCompat()),
        o.getBoolean("subtract_mean", d.subtractMean()), o.getDouble("vtln_warp", d.vtlnWarp()));
  }

  private record Extras(Lfr lfr, String cmvn, double[] means, double[] vars) {}

  private static Extras readExtras(RecipeOptions o) {
    Lfr lfr = new Lfr(o.getInt("lfr_m", 1, 1, Lfr.MAX_FRAMES), o.getInt("lfr_n", 1, 1, Lfr.MAX_FRAMES));
    String cmvn = o.getString("cmvn", "none");
    double[] means = o.getDoubleList("cmvn_means");
    double[] vars = o.getDoubleList("cmvn_vars");
    return new Extras(lfr, cmvn, means, vars);
  }

  private static FeatureExtractor kaldi(RecipeOptions o, int sampleRate, boolean mfcc) {
    KaldiFrameFeature base = mfcc ? new KaldiMfcc(mfcc(o, sampleRate)) : new KaldiFbank(fbank(o, sampleRate));
    Extras x = readExtras(o);
    int dim = base.dim() * x.lfr().m();
    Cmvn cmvn;
    switch (x.cmvn()) {
      case "none", "utterance" -> {
        if (x.means() != null || x.vars() != null) {
          throw Checks.invalid(x.means() != null ? "cmvn_means" : "cmvn_vars", "is only used with cmvn: global;"
              + " remove it or set cmvn to global");
        }
        cmvn = x.cmvn().equals("none") ? Cmvn.none() : Cmvn.utterance();
      }
      case "global" -> {
        if (x.means() == null || x.vars() == null) {
          throw Checks.invalid(x.means() == null ? "cmvn_means" : "cmvn_vars", "is required with cmvn: global");
        }
        if (x.means().length != dim) {
          throw Checks.invalid("cmvn_means", "has " + x.means().length + " values but the features have " + dim
              + " dimensions (after LFR)");
        }
        cmvn = Cmvn.global(x.means(), x.vars());
      }
      default -> throw Checks.invalid("cmvn", "'" + x.cmvn() + "' is not a CMVN mode; use none, utterance or global");
    }
    return new RecipeExtractor(base, x.lfr(), cmvn);
  }
}
