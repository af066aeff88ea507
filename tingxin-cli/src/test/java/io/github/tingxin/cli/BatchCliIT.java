package io.github.tingxin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tingxin batch} as users run it, after package: {@code java -jar tingxin.jar batch}, which loads
 * Spark from {@code lib/spark/} (it is not on the jar's class path), local Spark, the committed samples and
 * a broken file. Checks the command (its report, exit codes, that a second run neither mixes nor overwrites
 * unasked) and issue 16's proof: with {@code --vad silero --window 2 --hop 1}, the segments table holds for
 * each file exactly the segments {@code tingxin analyze} gives with the same options.
 */
class BatchCliIT {
  static final Path JAR = Path.of("target", "tingxin.jar");
  static final String[] RECOGNIZER = {"--vad", "silero", "--window", "2", "--hop", "1"};

  @TempDir Path dir;

  @Test
  void batchWritesTablesReportsEveryFileAndRefusesToMixRuns() throws Exception {
    assertThat(JAR).as("tingxin.jar from package").exists();
    Path in = dir.resolve("calls");
    Files.createDirectories(in.resolve("2026"));
    Files.copy(Path.of("../examples/samples/sample-call.wav"), in.resolve("2026/first.wav"));
    Files.copy(Path.of("../examples/samples/sample-call-stereo.wav"), in.resolve("2026/second.wav"));
    byte[] head = Files.readAllBytes(Path.of("../examples/samples/sample-call.wav"));
    Files.write(in.resolve("broken.wav"), Arrays.copyOf(head, 40));
    Files.writeString(in.resolve("README.txt"), "not audio");
    Path out = dir.resolve("tables");

    List<String> firstArgs = new ArrayList<>(List.of("batch", in.toString(), "--out", out.toString(), "--master",
        "local[2]", "--callers", "-q"));
    firstArgs.addAll(List.of(RECOGNIZER));
    Result first = jar(firstArgs.toArray(String[]::new));
    assertThat(first.exitCode).as(first.toString()).isZero();
    assertThat(first.stdout).contains("run 1 into", "3 inputs", "2 analysed", "1 failed (see the errors table)",
        "1 file(s) under the input did not match *.wav");
    assertThat(first.stderr).as("Spark's start-up chatter is kept off the command line (-q: no progress)")
        .isEmpty();
    for (String table : new String[] {"segments/run=1", "calls/run=1", "errors/run=1", "callers", "_runs/run-1.json"}) {
      assertThat(out.resolve(table)).as(table).exists();
    }
    sameSegmentsAsAnalyze(out, in);

    Result again = jar("batch", in.toString(), "--out", out.toString());
    assertThat(again.exitCode).as(again.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(again.stderr).contains("already holds Tingxin tables", "--incremental", "[INVALID_OPTION]");

    Files.copy(Path.of("../examples/samples/sample-call.wav"), in.resolve("2026/third.wav"));
    Result more = jar("batch", in.toString(), "--out", out.toString(), "--incremental");
    assertThat(more.exitCode).as(more.toString()).isZero();
    assertThat(more.stdout).contains("run 2 into", "4 inputs", "3 skipped", "1 analysed", "0 failed");
    assertThat(out.resolve("calls/run=2")).exists();
  }

  /** Issue 17, item 1: the recordings in ARCH/calls must survive `batch ARCH/calls --out ARCH --overwrite`. */
  @Test
  void anArchiveFolderIsNeverTakenForTablesNorDeleted() throws Exception {
    Path arch = dir.resolve("ARCH");
    Files.createDirectories(arch.resolve("calls"));
    Files.copy(Path.of("../examples/samples/sample-call.wav"), arch.resolve("calls/a.wav"));
    byte[] recording = Files.readAllBytes(arch.resolve("calls/a.wav"));
    for (String mode : new String[] {"--overwrite", "--incremental"}) {
      Result r = jar("batch", arch.resolve("calls").toString(), "--out", arch.toString(), mode, "--master",
          "local[1]", "-q");
      assertThat(r.exitCode).as(r.toString()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.stderr).contains("is inside the output", "[INVALID_OPTION]").doesNotContain("already holds");
      assertThat(r.stderr.lines().filter(l -> !l.isBlank()).count()).as("one line").isEqualTo(1);
      assertThat(arch.resolve("calls/a.wav")).hasBinaryContent(recording);
    }
  }

  /** Issue 17 item 15, issue 18: the platform's failures are one line with their own code, not a Tingxin bug. */
  @Test
  void aBadMasterOrAnUnwritableOutputIsOneLineWithItsExitCode() throws Exception {
    Path in = dir.resolve("calls");
    Files.createDirectories(in);
    Files.copy(Path.of("../examples/samples/sample-call.wav"), in.resolve("a.wav"));
    Result master = jar("batch", in.toString(), "--out", dir.resolve("o").toString(), "--master", "bogus://nowhere");
    assertThat(master.exitCode).as(master.toString()).isEqualTo(ExitCodes.PLATFORM);
    assertThat(master.stderr.lines().filter(l -> !l.isBlank()).count()).as(master.toString()).isEqualTo(1);
    assertThat(master.stderr).contains("master URL 'bogus://nowhere'", "[CLUSTER_FAILED]");

    Path file = dir.resolve("not-a-folder");
    Files.writeString(file, "a file");
    Result output = jar("batch", in.toString(), "--out", file.resolve("tables").toString(), "--master", "local[1]",
        "-q");
    assertThat(output.exitCode).as(output.toString()).isEqualTo(ExitCodes.OUTPUT);
    assertThat(output.stderr.lines().filter(l -> !l.isBlank()).count()).as(output.toString()).isEqualTo(1);
    assertThat(output.stderr).contains(file.toString(), "[OUTPUT_FAILED]");
  }

  /** Issue 16's proof: each file's rows in the segments table are the segments analyze gives it. */
  private void sameSegmentsAsAnalyze(Path tables, Path in) throws Exception {
    SparkSession spark = SparkSession.builder().master("local[1]").appName("BatchCliIT")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    try {
      List<Row> rows = spark.read().parquet(tables.resolve("segments").toString()).collectAsList();
      for (String call : List.of("2026/first", "2026/second")) {
        List<String> args = new ArrayList<>(List.of("analyze", "--json", "-q", "--threads", "1"));
        args.addAll(List.of(RECOGNIZER));
        args.add(in.resolve(call + ".wav").toString());
        Result analyze = jar(args.toArray(String[]::new));
        assertThat(analyze.exitCode).as(analyze.toString()).isZero();
        JsonNode json = JsonFormat.MAPPER.readTree(analyze.stdout);
        List<Row> mine = rows.stream().filter(r -> r.getAs("call_id").equals(call))
            .sorted(Comparator.<Row>comparingDouble(r -> r.getAs("start_s"))
                .thenComparing(r -> (String) r.getAs("speaker"))).toList();
        List<JsonNode> segments = new ArrayList<>();
        json.get("segments").forEach(segments::add);
        segments.sort(Comparator.<JsonNode>comparingDouble(s -> s.get("start").asDouble())
            .thenComparing(s -> s.get("speaker").asText()));
        assertThat(mine).as(call).hasSize(segments.size()).hasSizeGreaterThan(10);
        for (int i = 0; i < segments.size(); i++) {
          JsonNode s = segments.get(i);
          Row r = mine.get(i);
          String where = call + " segment " + i;
          assertThat((double) r.getAs("start_s")).as(where).isEqualTo(s.get("start").asDouble());
          assertThat((double) r.getAs("end_s")).as(where).isEqualTo(s.get("end").asDouble());
          // Sliding windows of 2 s every 1 s: the options reached the executors.
          assertThat(s.get("end").asDouble() - s.get("start").asDouble()).as(where).isLessThanOrEqualTo(2 + 1e-9);
          assertThat((String) r.getAs("speaker")).as(where).isEqualTo(s.get("speaker").asText());
          assertThat((int) r.getAs("channel")).as(where).isEqualTo(s.get("channel").asInt());
          assertThat((double) r.getAs("negative_probability")).as(where)
              .isEqualTo(s.get("negativeProbability").asDouble());
          for (Iterator<Map.Entry<String, JsonNode>> it = s.at("/scores/emotion").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            assertThat((double) r.getAs("score_" + e.getKey())).as(where + " " + e.getKey())
                .isEqualTo(e.getValue().asDouble());
          }
        }
      }
    } finally {
      spark.stop();
    }
  }

  record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  /** {@code java -jar target/tingxin.jar ARGS}, as users run it. */
  static Result jar(String... args) throws IOException, InterruptedException, java.util.concurrent.ExecutionException,
      java.util.concurrent.TimeoutException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    p.getOutputStream().close();
    var out = CliProcess.drain(p.getInputStream());
    var err = CliProcess.drain(p.getErrorStream());
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("tingxin did not finish in 300 s: " + String.join(" ", args));
    }
    return new Result(p.exitValue(), new String(out.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8),
        new String(err.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8));
  }
}
