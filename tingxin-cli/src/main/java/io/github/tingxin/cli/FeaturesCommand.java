package io.github.tingxin.cli;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.ModelManifest.FeatureRecipe;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.spi.FeatureExtractor;
import io.github.tingxin.spi.FeatureExtractorProvider;
import io.github.tingxin.spi.Features;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
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

  @Option(names = "--channel", paramLabel = "N",
      description = "Use channel N (0 is the first); default: the average of all channels.")
  Integer channel;

  @Parameters(paramLabel = "FILE", description = "The WAV file.")
  Path file;

  @Option(names = "--out", required = true, paramLabel = "F.npy", description = "Where to write the .npy file.")
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
    if (channel != null && channel < 0) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "--channel must be 0 or more, was " + channel);
    }
    FeatureExtractorProvider provider = provider(recipe);
    if (rate < 1000 || rate > 192_000) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "--rate must be 1000 to 192000 Hz, was " + rate);
    }
    FeatureExtractor extractor = provider.create(r, rate);
    Audio audio = AudioFiles.readMono(file, channel == null ? -1 : channel, rate);
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

  static FeatureExtractorProvider provider(String type) {
    List<FeatureExtractorProvider> all = new ArrayList<>();
    ServiceLoader.load(FeatureExtractorProvider.class).forEach(all::add);
    return all.stream().filter(p -> p.type().equals(type)).findFirst().orElseThrow(
        () -> new TingxinException(ErrorCode.INVALID_OPTION, "--recipe '" + type + "' is not known; available: "
            + (all.isEmpty() ? "none (sentiment-core is missing from the class path)"
                : all.stream().map(FeatureExtractorProvider::type).sorted().collect(Collectors.joining(", ")))));
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
        return Integer.parseInt(v);
      } catch (NumberFormatException e) {
        return Long.parseLong(v);
      }
    }
    if (v.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
      return Double.parseDouble(v);
    }
    return v;
  }
}
