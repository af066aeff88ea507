package io.github.tingxin.cli;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.Device;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.Label;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.RecognizerSettings;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.spi.InferenceBackend;
import io.github.tingxin.spi.InferenceBackends;
import io.github.tingxin.spi.InferenceSession;
import io.github.tingxin.spi.SessionOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tingxin model ...}: model package tools. */
@Command(name = "model", mixinStandardHelpOptions = true, description = "Model package tools.",
    subcommands = {ModelCommand.Inspect.class, RecalibrateCommand.class})
final class ModelCommand implements Runnable {
  @Spec CommandSpec spec;
  @ParentCommand TingxinCommand root;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is needed: inspect or recalibrate");
  }

  /** {@code tingxin model inspect DIR}: shows a package's manifest and checks it. */
  @Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Show a model package's manifest (labels with Chinese names, thresholds, feature recipe,"
          + " input) and check it:", "the manifest is valid, the graph loads into the backend and matches the"
          + " manifest, and a synthetic test signal gives finite scores of the right shape.",
          "Exit code 0 when all checks pass."},
      footer = {"", "Examples:", "  tingxin model inspect                 (the bundled default model)",
          "  tingxin model inspect default-int8    (its bundled int8 twin)",
          "  tingxin model inspect my-model.zip", ""})
  static final class Inspect implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand ModelCommand parent;
    @Mixin GlobalOptions global;

    @Parameters(paramLabel = "DIR|ZIP|NAME", arity = "0..1",
        description = "The package: a directory or .zip, or a bundled model's name (default, default-int8). "
            + "Default: the bundled default model (see --model of analyze).")
    Path path;

    @Mixin RecognizerOptions.Device device;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      RecognizerSettings settings = RecognizerOptions.settings(RecognizerSettings.DEFAULT, device);
      Device d = settings.device();
      ModelPackage pkg = ModelOption.load(path, parent.root.stderr, global.quiet);
      printManifest(out, pkg);
      out.println();
      out.println("Checks");
      out.println("  manifest     valid (format version " + pkg.manifest().formatVersion() + ")");
      out.flush();

      InferenceBackend backend = selectBackend(d);
      // Opening is the check: the backend compares the graph's inputs and outputs with the manifest.
      InferenceSession session = backend.open(pkg, new SessionOptions(d, 0, 0, SessionOptions.Optimization.ALL));
      session.close();
      out.println("  graph        loaded by " + backend.name() + " on " + d
          + "; inputs and outputs match the manifest");
      out.flush();

      ModelManifest m = pkg.manifest();
      double seconds = Math.min(m.segments().maxSeconds(), Math.max(m.segments().minSeconds(), 2.0));
      // Short speech takes the model's short-input rule: check that the model scores it too.
      double shortSeconds = Math.max(ModelManifest.SegmentLimits.FLOOR_SECONDS, m.segments().minSeconds() / 2);
      try (EmotionRecognizer recognizer = EmotionRecognizer.builder().model(pkg).settings(settings).build()) {
        checkScores(m, recognizer.score(List.of(testSignal(m.sampleRate(), seconds))));
        out.printf(Locale.ROOT, "  test run     a %.2f s synthetic signal: features computed, every head scored,"
            + " all scores finite and in range%n", seconds);
        out.flush();
        if (shortSeconds < m.segments().minSeconds()) {
          checkScores(m, recognizer.score(List.of(testSignal(m.sampleRate(), shortSeconds))));
          out.printf(Locale.ROOT, "  short run    a %.2f s signal, under the minimum: scored %s, all scores finite"
              + " and in range%n", shortSeconds, shortRule(m));
        }
      }
      out.println("OK");
      return ExitCodes.OK;
    }

    /** How the model takes speech shorter than its minimum, in words. */
    static String shortRule(ModelManifest m) {
      return m.segments().shortInput() == ModelManifest.ShortInput.PAD
          ? String.format(Locale.ROOT, "padded with silence to %.2f s", m.segments().minSeconds()) : "as it is";
    }

    static void printManifest(PrintWriter out, ModelPackage pkg) {
      ModelManifest m = pkg.manifest();
      out.println("Model package " + Text.printable(pkg.location()));
      row(out, "name", m.name() + " " + m.version());
      row(out, "licence", m.license());
      if (!m.description().isBlank()) {
        row(out, "description", m.description());
      }
      row(out, "sample rate", m.sampleRate() + " Hz");
      row(out, "features", m.features().type());
      for (Map.Entry<String, Object> e : m.features().options().entrySet()) {
        String value = String.valueOf(e.getValue());
        if (e.getValue() instanceof List<?> list && list.size() > 6) {
          value = "[" + list.size() + " values]";
        }
        out.println("                 " + Text.printable(e.getKey()) + " = " + Text.printable(value));
      }
      ModelManifest.InputSpec in = m.input();
      row(out, "input", in.name() + " (" + in.layout().name().toLowerCase(Locale.ROOT).replace('_', '-') + ")"
          + in.lengths().map(l -> ", lengths in '" + l + "'").orElse(", no lengths input")
          + (in.fixedFrames() > 0 ? ", fixed " + in.fixedFrames() + " frames" : ", variable length"));
      row(out, "segments", String.format(Locale.ROOT, "%.2f to %.2f s; shorter speech is scored %s (shortInput %s)",
          m.segments().minSeconds(), m.segments().maxSeconds(), shortRule(m),
          m.segments().shortInput().name().toLowerCase(Locale.ROOT).replace('_', '-')));
      row(out, "negative", m.negativeHeadSpec().map(h -> "from head '" + h.name() + "'")
          .orElse("none: no head has negative labels"));
      out.println("  heads");
      for (ModelManifest.Head h : m.heads()) {
        out.printf(Locale.ROOT, "    %s: %s, output '%s', %s%n", Text.printable(h.name()), h.task().jsonName(),
            Text.printable(h.output()),
            h.activation().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        out.println("      " + TableFormat.pad("id", 16) + TableFormat.pad("English", 16)
            + TableFormat.pad("中文", 10) + TableFormat.pad("negative", 10) + "threshold"
            + (h.ranges().isEmpty() ? "" : "  range"));
        for (int i = 0; i < h.labels().size(); i++) {
          Label l = h.labels().get(i);
          out.println("      " + TableFormat.pad(Text.printable(l.id()), 16)
              + TableFormat.pad(Text.printable(l.english()), 16) + TableFormat.pad(Text.printable(l.chinese()), 10)
              + TableFormat.pad(l.negative() ? "yes" : "no", 10)
              + String.format(Locale.ROOT, "%.3f", h.thresholds().get(i))
              + (h.ranges().isEmpty() ? "" : "  " + h.ranges().get(i)));
        }
        h.calibration().ifPresent(c -> out.printf(Locale.ROOT, "      recalibrated: p = sigmoid(log-odds / %.4f %s %.4f)%n",
            c.temperature(), c.offset() < 0 ? "-" : "+", Math.abs(c.offset())));
      }
      ModelManifest.Provenance p = m.provenance();
      row(out, "trained on", p.trainedOn());
      row(out, "metrics", p.metrics());
      row(out, "reproduce", p.command());
      row(out, "model card", p.modelCard().isBlank() ? "(none named)"
          : p.modelCard() + (pkg.modelCard().isPresent() ? "" : " (named but missing from the package)"));
    }

    private static void row(PrintWriter out, String key, String value) {
      // A value's line breaks are layout (a long description), not rows: joined; other controls escaped.
      out.println("  " + TableFormat.pad(key, 13) + Text.printable(Main.oneLine(value)));
    }

    /** The backend the recognizer would choose, with CPU fallback for {@code cuda?}. */
    static InferenceBackend selectBackend(Device device) {
      try {
        return InferenceBackends.select(device, Optional.empty());
      } catch (TingxinException e) {
        if (e.code() == ErrorCode.DEVICE_UNAVAILABLE && device.fallbackToCpu()) {
          return InferenceBackends.select(Device.CPU, Optional.empty());
        }
        throw e;
      }
    }

    /** Quiet noise with a 220 Hz tone: non-trivial input that every extractor accepts. */
    static Audio testSignal(int rate, double seconds) {
      int n = (int) Math.round(rate * seconds);
      float[] x = new float[n];
      SplittableRandom random = new SplittableRandom(7);
      for (int i = 0; i < n; i++) {
        x[i] = (float) (0.1 * Math.sin(2 * Math.PI * 220 * i / rate) + 0.01 * (random.nextDouble() * 2 - 1));
      }
      return Audio.of(x, rate);
    }

    private static void checkScores(ModelManifest m, List<SegmentResult> results) {
      int expected = m.heads().stream().mapToInt(h -> h.labels().size()).sum();
      if (results.size() != 1 || results.get(0).scores().size() != expected) {
        throw new TingxinException(ErrorCode.MODEL_OUTPUT_INVALID, "the test run gave "
            + (results.isEmpty() ? 0 : results.get(0).scores().size()) + " scores, the manifest names " + expected
            + " labels; re-export the model or fix the heads in tingxin-model.json");
      }
      for (var s : results.get(0).scores()) {
        ModelManifest.Head h = m.heads().stream().filter(x -> x.name().equals(s.head())).findFirst().orElseThrow();
        boolean ok = Double.isFinite(s.score());
        if (ok && h.task() != io.github.tingxin.api.Task.DIMENSIONAL) {
          ok = s.score() >= 0 && s.score() <= 1;
        }
        if (!ok) {
          throw new TingxinException(ErrorCode.MODEL_OUTPUT_INVALID, "the test run gave head '" + s.head()
              + "' a score that is not finite or not a probability; check the head's activation in the manifest");
        }
      }
    }
  }
}
