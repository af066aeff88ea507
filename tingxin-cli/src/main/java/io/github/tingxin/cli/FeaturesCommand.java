package io.github.tingxin.cli;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.ChannelSelection;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.ModelManifest.FeatureRecipe;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.spi.FeatureExtractor;
import io.github.tingxin.spi.FeatureExtractorProvider;
import io.github.tingxin.spi.Features;
import io.github.tingxin.spi.Providers;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tingxin features}: a recipe's features of a file as NumPy {@code .npy}. */
@Command(name = "features", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Compute a feature recipe on a WAV file and write it as NumPy .npy, to compare with a"
        + " training pipeline.", "The matrix is float32 with shape [frames, dims] (numpy.load reads it). Options"
        + " use the recipe's Kaldi/torchaudio names (docs/model-package.md)."},
    footer = {"", "Examples:",
        "  tingxin features --recipe kaldi-fbank --option num_mel_bins=80 call.wav --out fbank.npy",
        "  tingxin features --recipe whisper-logmel --option pad_to_seconds=0 call.wav --out mel.npy",
        "  python3 -c \"import numpy; print(numpy.load('fbank.npy').shape)\"", ""})
final class FeaturesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin GlobalOptions global;

  @Option(names = "--recipe", required = true, paramLabel = "TYPE",
      description = "kaldi-fbank, kaldi-mfcc, whisper-logmel or waveform (or any type an extractor plugin adds).")
  String recipe;

  @Option(names = "--option", paramLabel = "KEY=VALUE",
      description = {"A recipe option, repeatable, e.g. num_mel_bins=80, dither=0, window_type=hamming.",
          "Numbers, true/false and comma-separated lists (cmvn_means=0.1,0.2) are typed as such."})
  List<String> options = new ArrayList<>();

  @Option(names = "--rate", paramLabel = "HZ", defaultValue = "16000",
      description = "Sample rate the features are computed at; the audio is resampled to it (default: ${DEFAULT-VALUE}).")
  int rate;

  @Mixin ChannelOption channels;

  @Parameters(paramLabel = "FILE", description = "The WAV file.")
  Path file;

  @Option(names = "--out", required = true, paramLabel = "F.npy",
      description = "Where to write the .npy file (never over the input or a file that is not a .npy).")
  Path out;

  @Override
  public Integer call() {
    Map<String, Object> parsed = parseOptions(options);
    FeatureRecipe r;
    try {
      r = new FeatureRecipe(recipe, parsed);
    } catch (IllegalArgumentException e) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "--option: " + e.getMessage(), e);
    }
    ChannelSelection selection = channels.oneParty("features");
    // Refused before any work: writing the features over the recording (or over any file that is not a
    // .npy) would destroy it.
    OutputFiles.check("--out", out, OutputFiles.Kind.NPY, List.of(file));
    FeatureExtractorProvider provider = Providers.FEATURE_EXTRACTORS.named(recipe, "--recipe");
    if (rate < 1000 || rate > 192_000) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "--rate must be 1000 to 192000 Hz, was " + rate);
    }
    FeatureExtractor extractor = provider.create(r, rate);
    Audio audio = AudioFiles.readMono(file, selection.mode() == ChannelSelection.Mode.DOWNMIX ? -1
        : selection.caller(), rate);
    Features f = extractor.extract(audio);
    try {
      Npy.writeFloat32(out, f.data(), f.frames(), f.dim());
    } catch (IOException e) {
      throw new CliException(ExitCodes.OUTPUT, "cannot write " + out + " (" + e.getMessage()
          + "); check the directory exists and is writable", e);
    }
    if (!global.quiet) {
      PrintWriter err = spec.commandLine().getErr();
      err.printf(Locale.ROOT, "tingxin: wrote %s: %d frames x %d dims (float32) of %s at %d Hz%n", out, f.frames(),
          f.dim(), recipe, rate);
    }
    return ExitCodes.OK;
  }

  /** Parses {@code key=value} options: booleans, integers, decimals, comma lists of those, else strings. */
  static Map<String, Object> parseOptions(List<String> options) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (String o : options) {
      int eq = o.indexOf('=');
      if (eq <= 0) {
        throw new TingxinException(ErrorCode.INVALID_OPTION, "--option '" + o + "' is not KEY=VALUE");
      }
      String key = o.substring(0, eq).strip();
      String value = o.substring(eq + 1).strip();
      if (map.containsKey(key)) {
        throw new TingxinException(ErrorCode.INVALID_OPTION, "--option " + key + " is given twice");
      }
      if (value.contains(",")) {
        List<Object> list = new ArrayList<>();
        for (String item : value.split(",", -1)) {
          list.add(scalar(item.strip()));
        }
        map.put(key, list);
      } else {
        map.put(key, scalar(value));
      }
    }
    return map;
  }

  static Object scalar(String v) {
    if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(v);
    }
    if (v.matches("[+-]?\\d+")) {
      try {
        long n = Long.parseLong(v);
        return n == (int) n ? (Object) (int) n : (Object) n;
      } catch (NumberFormatException e) {
        return v; // beyond a long: the recipe refuses it by name, with the option's range
      }
    }
    if (v.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
      return Double.parseDouble(v);
    }
    return v;
  }
}
