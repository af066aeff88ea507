package io.github.tingxin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tingxin batch} as users run it: its own process, local Spark, the committed samples and a broken
 * file. The tables themselves are checked against the recognizer in sentiment-spark's BatchJobTest; this
 * checks the command: its report, its exit codes, and that a second run neither mixes nor overwrites unasked.
 */
class BatchCliTest {
  @TempDir Path dir;

  @Test
  void batchWritesTablesReportsEveryFileAndRefusesToMixRuns() throws Exception {
    assertThat(System.getProperty(CliProcess.SPARK_JVM_OPTIONS)).as("the build's Spark JVM options")
        .contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");
    Path in = dir.resolve("calls");
    Files.createDirectories(in.resolve("2026"));
    Files.copy(Path.of("../examples/samples/sample-call.wav"), in.resolve("2026/first.wav"));
    Files.copy(Path.of("../examples/samples/sample-call-stereo.wav"), in.resolve("2026/second.wav"));
    byte[] head = Files.readAllBytes(Path.of("../examples/samples/sample-call.wav"));
    Files.write(in.resolve("broken.wav"), Arrays.copyOf(head, 40));
    Files.writeString(in.resolve("README.txt"), "not audio");
    Path out = dir.resolve("tables");

    CliProcess.Result first = CliProcess.run("batch", in.toString(), "--out", out.toString(), "--master", "local[2]",
        "--callers", "-q");
    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.stdout()).contains("run 1 into", "3 inputs", "2 analysed", "1 failed (see the errors table)",
        "1 file(s) under the input did not match *.wav");
    assertThat(first.stderr()).as("Spark's start-up chatter is kept off the command line (-q: no progress)")
        .isEmpty();
    for (String table : new String[] {"segments/run=1", "calls/run=1", "errors/run=1", "callers", "_runs/run-1.json"}) {
      assertThat(out.resolve(table)).as(table).exists();
    }

    CliProcess.Result again = CliProcess.run("batch", in.toString(), "--out", out.toString());
    assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(again.stderr()).contains("already holds Tingxin tables", "--incremental", "[INVALID_OPTION]");

    Files.copy(Path.of("../examples/samples/sample-call.wav"), in.resolve("2026/third.wav"));
    CliProcess.Result more = CliProcess.run("batch", in.toString(), "--out", out.toString(), "--incremental");
    assertThat(more.exitCode()).as(more.toString()).isZero();
    assertThat(more.stdout()).contains("run 2 into", "4 inputs", "3 skipped", "1 analysed", "0 failed");
    assertThat(out.resolve("calls/run=2")).exists();
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
}
