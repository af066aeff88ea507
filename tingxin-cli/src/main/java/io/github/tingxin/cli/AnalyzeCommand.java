package io.github.tingxin.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.tingxin.api.AudioInput;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.TingxinException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        "  tingxin analyze --caller-and-operator 0,1 --chart call.png stereo-call.wav",
        "  tingxin analyze --csv --model my-model/ calls/*.wav > timeline.csv", ""})
final class AnalyzeCommand implements Callable<Integer> {
  @ParentCommand TingxinCommand root;
  @Spec CommandSpec spec;
  @Mixin GlobalOptions global;
  @Mixin ModelOptions modelOptions;

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
          + " PNG.", "With several files, a directory that gets one FILE-NAME.png per file."})
  Path chart;

  @Option(names = "--channel", paramLabel = "N",
      description = "Analyse only channel N (0 is the first) as the caller; default: the average of all channels.")
  Integer channel;

  @Option(names = "--caller-and-operator", paramLabel = "C,O",
      description = "Analyse channel C as the caller and channel O as the operator (e.g. 0,1).")
  String callerAndOperatorText;

  private List<Integer> callerAndOperator;

  @Override
  public Integer call() throws IOException {
    validate();
    PrintWriter out = spec.commandLine().getOut();
    ModelPackage pkg = modelOptions.loadModel(root.stderr, global.quiet);
    int exit = ExitCodes.OK;
    try (EmotionRecognizer recognizer = modelOptions.build(pkg);
        Progress progress = Progress.forFiles(files, !global.quiet, root.stderr)) {
      if (format != null && format.csv) {
        out.println(CsvFormat.header(recognizer.model()));
      }
      boolean first = true;
      for (Path file : files) {
        progress.starting(file);
        CallAnalysis call;
        try {
          call = recognizer.analyze(input(file));
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
          ObjectNode node = JsonFormat.analysis(name, recognizer.model(), call);
          out.println(JsonFormat.MAPPER.writeValueAsString(node));
        } else if (format != null && format.csv) {
          CsvFormat.rows(out, name, recognizer.model(), call.segments());
        } else {
          if (!first) {
            out.println();
          }
          TableFormat.print(out, name, recognizer.model(), call);
        }
        out.flush();
        first = false;
        if (chart != null) {
          writeChart(file, call, recognizer.model());
        }
        progress.done(file);
      }
    }
    return exit;
  }

  private AudioInput input(Path file) {
    AudioInput in = AudioInput.file(file);
    if (channel != null) {
      return in.channel(channel);
    }
    if (callerAndOperator != null) {
      return in.callerAndOperator(callerAndOperator.get(0), callerAndOperator.get(1));
    }
    return in;
  }

  private void validate() {
    if (callerAndOperatorText != null) {
      try {
        callerAndOperator = java.util.Arrays.stream(callerAndOperatorText.split(",", -1)).map(String::strip)
            .map(Integer::valueOf).toList();
      } catch (NumberFormatException e) {
        throw new TingxinException(ErrorCode.INVALID_OPTION,
            "--caller-and-operator takes two channel numbers, e.g. 0,1; got '" + callerAndOperatorText + "'");
      }
    }
    if (channel != null && callerAndOperator != null) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "--channel and --caller-and-operator exclude each other");
    }
    if (channel != null && channel < 0) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "--channel must be 0 or more, was " + channel);
    }
    if (callerAndOperator != null && (callerAndOperator.size() != 2 || callerAndOperator.get(0) < 0
        || callerAndOperator.get(1) < 0 || callerAndOperator.get(0).equals(callerAndOperator.get(1)))) {
      throw new TingxinException(ErrorCode.INVALID_OPTION,
          "--caller-and-operator takes two different channels, e.g. 0,1; got " + callerAndOperator);
    }
    if (chart != null && files.size() > 1 && chart.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
      throw new TingxinException(ErrorCode.INVALID_OPTION,
          "--chart with several files takes a directory (one PNG per file), not " + chart);
    }
  }

  private void writeChart(Path file, CallAnalysis call, io.github.tingxin.api.ModelManifest model) {
    Path png = chart;
    if (files.size() > 1) {
      String base = file.getFileName().toString().replaceFirst("(?i)\\.wav$", "");
      png = chart.resolve(base + ".png");
    }
    try {
      if (files.size() > 1) {
        Files.createDirectories(chart);
      }
      TimelineChart.write(call, model, file.getFileName() + " - negative probability (" + call.model() + ")", png);
    } catch (IOException | RuntimeException e) {
      throw new CliException(ExitCodes.OUTPUT, "cannot write the chart " + png + " (" + e.getMessage()
          + "); check the directory exists and is writable", e);
    }
  }
}
