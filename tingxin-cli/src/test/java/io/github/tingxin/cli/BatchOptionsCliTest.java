package io.github.tingxin.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tingxin.api.ChannelSelection;
import io.github.tingxin.api.Device;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.RecognizerSettings;
import io.github.tingxin.api.Segmentation;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.spark.BatchArguments;
import io.github.tingxin.spark.BatchOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tingxin batch}'s options without running Spark: the CLI's command and the spark-submit entry point's
 * picocli-free reader ({@link BatchArguments}) read every command line alike, and bad options are usage
 * errors.
 */
class BatchOptionsCliTest {
  @TempDir Path dir;

  static final List<List<String>> COMMAND_LINES = List.of(
      List.of("in", "--out", "out"),
      List.of("/archive/calls.csv", "--out", "hdfs:///t", "--incremental", "--callers", "-q", "--balance", "count"),
      List.of("in", "--out=out", "--overwrite", "-m", "my-model.zip", "--channel", "0,1", "--pattern", "*.WAV",
          "--partitions", "12", "--master", "local[2]", "--conf", "spark.a=1", "--conf", "spark.b=x=y"),
      List.of("--vad", "silero", "--window", "2", "--hop", "1", "in", "--out", "out", "--batch-size", "4",
          "--threads", "2", "--device", "cuda?", "--negative-threshold", "0.6", "--max-audio-seconds", "600"),
      List.of("in", "--out", "out", "--threads-per-task", "3", "--channel", "1", "-v", "--prosody"),
      List.of("in", "--out", "out", "--channel", "mix", "--vad", "none"));

  @Test
  void theCliAndTheSparkSubmitEntryPointReadEveryCommandLineAlike() {
    for (List<String> args : COMMAND_LINES) {
      BatchCommand cli = parse(args);
      BatchArguments plain = BatchArguments.parse(args.toArray(String[]::new));
      assertThat(cli.options()).as(String.join(" ", args)).isEqualTo(plain.options());
      assertThat(java.util.Optional.ofNullable(cli.master)).as("master").isEqualTo(plain.master());
      assertThat(cli.conf).as("conf").isEqualTo(plain.sparkConf());
      assertThat(cli.global.quiet).isEqualTo(plain.quiet());
      assertThat(cli.global.verbose).isEqualTo(plain.verbose());
    }
    BatchOptions o = BatchArguments.parse(COMMAND_LINES.get(3).toArray(String[]::new)).options();
    assertThat(o.recognizer()).isEqualTo(new RecognizerSettings(Device.cudaIfAvailable(0), 2, 4,
        Segmentation.sliding(Segmentation.Vad.SILERO, 2, 1), RecognizerSettings.DEFAULT.alertRule(), 0.6, 600, ""));
    assertThat(BatchArguments.parse(COMMAND_LINES.get(0).toArray(String[]::new)).options().recognizer())
        .as("batch's defaults: analyze's, one thread per task").isEqualTo(RecognizerSettings.DEFAULT.withThreads(1));
    assertThat(BatchArguments.parse(COMMAND_LINES.get(4).toArray(String[]::new)).options().recognizer())
        .isEqualTo(RecognizerSettings.DEFAULT.withThreads(3).withProsody(true));
    assertThat(BatchArguments.parse(COMMAND_LINES.get(2).toArray(String[]::new)).options().channel())
        .isEqualTo(ChannelSelection.callerAndOperator(0, 1).toString());
  }

  @Test
  void bothRefuseTheSameBadCommandLines() {
    List<List<String>> bad = List.of(
        List.of("in", "--out", "o", "--incremental", "--overwrite"),
        List.of("in", "--out", "o", "--channel", "left"),
        List.of("in", "--out", "o", "--threads", "0"),
        List.of("in", "--out", "o", "--hop", "1"),
        List.of("in", "--out", "o", "--window", "2", "--hop", "1e-6"),
        List.of("in", "--out", "o", "--alert", "0.8,20,120"),
        List.of("in"),
        List.of("in", "--out", "o", "extra"));
    for (List<String> args : bad) {
      assertThatThrownBy(() -> BatchArguments.parse(args.toArray(String[]::new))).as("spark-submit: %s", args)
          .isInstanceOfSatisfying(TingxinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_OPTION));
      List<String> cli = new java.util.ArrayList<>(List.of("batch"));
      cli.addAll(args);
      CliProcess.Result r = CliProcess.inProcess(null, cli.toArray(String[]::new));
      assertThat(r.exitCode()).as("tingxin %s\n%s", args, r).isEqualTo(ExitCodes.USAGE);
      assertThat(r.stderrLines()).hasSize(1);
      assertThat(r.stderrLines().get(0)).endsWith("[INVALID_OPTION]");
    }
  }

  @Test
  void badOptionsAreUsageErrors() throws Exception {
    CliProcess.Result both = CliProcess.inProcess(null, "batch", dir.toString(), "--out", dir.resolve("o").toString(),
        "--incremental", "--overwrite");
    assertThat(both.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(both.stderr()).contains("--incremental and --overwrite exclude each other");
    CliProcess.Result channel = CliProcess.inProcess(null, "batch", dir.toString(), "--out",
        dir.resolve("o").toString(), "--channel", "left");
    assertThat(channel.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(channel.stderr()).contains("channel must be 'downmix'");
  }

  @Test
  void batchIsListedAndItsHelpShowsTheSharedOptions() {
    CliProcess.Result help = CliProcess.inProcess(null, "batch", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.stdout()).contains("--out", "--vad", "--window", "--hop", "--batch-size", "--device", "--channel",
        "--model", "--max-audio-seconds");
  }

  private static BatchCommand parse(List<String> args) {
    BatchCommand command = new BatchCommand();
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    return command;
  }
}
