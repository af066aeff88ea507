package io.github.tingxin.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.tingxin.api.AudioInput;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.ChannelSelection;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.RecognizerSettings;
import io.github.tingxin.api.TingxinException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tingxin analyze FILE...}: whole recordings in, a timeline and a summary out. */
@Command(name = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Analyse whole recordings (WAV): print the timeline of scored segments and a summary per"
        + " speaker.", "Several files are analysed one after the other with one model; a file that fails is"
        + " reported and the others go on (the exit code is that of the first failure)."},
    footer = {"", "Examples:",
        "  tingxin analyze call.wav",
        "  tingxin analyze --json call.wav > call.json",
        "  tingxin analyze --channel 0,1 --chart call.png stereo-call.wav",
        "  tingxin analyze --csv --model my-model/ calls/*.wav > timeline.csv", ""})
final class AnalyzeCommand implements Callable<Integer> {
  @ParentCommand TingxinCommand root;
  @Spec CommandSpec spec;
  @Mixin GlobalOptions global;
  @Mixin RecordingOptions options;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "WAV recordings (PCM, float, mu-law, A-law; any rate).")
  List<Path> files;

  @ArgGroup(exclusive = true)
  Format format;

  static final class Format {
    @Option(names = "--json", required = true,
        description = "JSON on standard output: one document per file (see docs/cli.md for the fields).")
    boolean json;

    @Option(names = "--csv", required = true,
        description = "CSV on standard output: a header, then one row per segment of every file.")
    boolean csv;
  }

  @Option(names = "--chart", paramLabel = "PNG",
      description = {"Also draw a timeline chart (negative probability over time, threshold, top labels) to this"
          + " PNG.", "With several files, a directory that gets one FILE-NAME.png per file. Never written over an"
          + " input or over a file that is not a PNG."})
  Path chart;

  @Override
  public Integer call() throws IOException {
    ChannelSelection selection = options.channels.selection();
    RecognizerSettings settings = options.settings(RecognizerSettings.DEFAULT);
    checkChart();
    PrintWriter out = spec.commandLine().getOut();
    ModelPackage pkg = options.model.load(root.stderr, global.quiet);
    RecognizerOptions.noteShortWindows(settings, pkg, root.stderr, global.quiet);
    int exit = ExitCodes.OK;
    try (EmotionRecognizer recognizer = EmotionRecognizer.builder().model(pkg).settings(settings).build();
        Progress progress = Progress.forFiles(files, !global.quiet, root.stderr)) {
      if (format != null && format.csv) {
        out.println(CsvFormat.header(recognizer.model(), settings.prosody()));
      }
      boolean first = true;
      for (Path file : files) {
        progress.starting(file);
        CallAnalysis call;
        try {
          call = recognizer.analyze(AudioInput.file(file).channels(selection));
        } catch (TingxinException e) {
          if (e.code() == ErrorCode.INTERRUPTED || files.size() == 1
              || ExitCodes.of(e.code()) != ExitCodes.BAD_AUDIO) {
            throw e; // not this file's fault, or nothing else to do
          }
          progress.pause();
          Main.report(new CliException(ExitCodes.BAD_AUDIO, file + ": " + e.getMessage(), e), root.errWriter(),
              global.verbose);
          exit = exit == ExitCodes.OK ? ExitCodes.BAD_AUDIO : exit;
          progress.done(file);
          continue;
        }
        progress.pause();
        String name = file.toString();
        if (format != null && format.json) {
          ObjectNode node = JsonFormat.analysis(name, recognizer.model(), call, settings.prosody());
          out.println(JsonFormat.MAPPER.writeValueAsString(node));
        } else if (format != null && format.csv) {
          CsvFormat.rows(out, name, recognizer.model(), call.segments(), settings.prosody());
        } else {
          if (!first) {
            out.println();
          }
          TableFormat.print(out, name, recognizer.model(), call, settings.prosody());
        }
        // Stop at the first result that could not be written, rather than analyse on for nobody.
        root.results.check();
        first = false;
        if (chart != null) {
          writeChart(file, call, recognizer.model());
        }
        progress.done(file);
      }
    }
    return exit;
  }

  /** Refuses a --chart that would write over an input or a file that is not a PNG, before any analysis. */
  private void checkChart() {
    if (chart == null) {
      return;
    }
    if (files.size() > 1) {
      if (chart.getFileName() != null && chart.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
        throw new TingxinException(ErrorCode.INVALID_OPTION,
            "--chart with several files takes a directory (one PNG per file), not " + chart);
      }
      for (Path file : files) {
        OutputFiles.check("--chart", chartOf(file), OutputFiles.Kind.PNG, files);
      }
    } else {
      OutputFiles.check("--chart", chart, OutputFiles.Kind.PNG, files);
    }
  }

  private Path chartOf(Path file) {
    if (files.size() == 1) {
      return chart;
    }
    String base = file.getFileName().toString().replaceFirst("(?i)\\.wav$", "");
    return chart.resolve(base + ".png");
  }

  private void writeChart(Path file, CallAnalysis call, io.github.tingxin.api.ModelManifest manifest) {
    Path png = chartOf(file);
    try {
      TimelineChart.write(call, manifest, file.getFileName() + " - negative probability (" + call.model() + ")", png,
          files);
    } catch (IOException e) {
      throw new CliException(ExitCodes.OUTPUT, "cannot write the chart " + png + " (" + e.getMessage()
          + "); check the directory exists and is writable", e);
    } catch (TingxinException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CliException(ExitCodes.OUTPUT, "cannot draw the chart " + png + " (" + e.getMessage()
          + "); nothing was written. This is a bug in Tingxin: rerun with --verbose and report it", e);
    }
  }
}
