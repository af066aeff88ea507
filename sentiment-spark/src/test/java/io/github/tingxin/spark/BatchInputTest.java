package io.github.tingxin.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, items 10 and 15, and issue 18's progress: what an archive holds besides recordings (FIFOs), manifests
 * as people write them (quoted newlines, doubled quotes, an unbalanced quote, another encoding, a file that is
 * not Parquet), outputs that cannot be written, and progress that counts calls as they finish.
 */
class BatchInputTest {
  @TempDir static Path dir;
  static SparkSession spark;
  static Path wav;

  @BeforeAll
  static void setUp() throws IOException {
    spark = SparkSession.builder().master("local[2]").appName("tingxin-batch-input")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        // Running tasks' call counts reach the driver with each heartbeat: often, to see them move.
        .config("spark.executor.heartbeatInterval", "500ms")
        .getOrCreate();
    wav = dir.resolve("source.wav");
    Archive.writeMono(wav, Archive.call("13", 0, 2));
  }

  @AfterAll
  static void tearDown() {
    if (spark != null) {
      spark.stop();
    }
  }

  static BatchOptions.Builder options(Path in, Path out) {
    return BatchOptions.builder(in.toString(), out.toString());
  }

  static Map<String, Row> rows(Path out, String table) {
    return spark.read().parquet(out.resolve(table).toString()).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs("call_id"), r -> r));
  }

  static void mkfifo(Path p) throws Exception {
    Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
    assertThat(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0).as("mkfifo " + p).isTrue();
  }

  static TingxinException refusal(BatchOptions options) {
    List<TingxinException> thrown = new ArrayList<>();
    assertThatThrownBy(() -> BatchJob.run(spark, options)).isInstanceOfSatisfying(TingxinException.class,
        thrown::add);
    TingxinException e = thrown.get(0);
    assertThat(e.getMessage()).as("one line").doesNotContain("\n").hasSizeLessThan(600);
    return e;
  }

  /** Item 10: opening a FIFO blocks until someone writes to it; the run must never open one. */
  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aFifoInAnInputFolderIsCountedAndNeverOpened() throws Exception {
    Path in = dir.resolve("with-fifo");
    Files.createDirectories(in.resolve("sub"));
    Files.copy(wav, in.resolve("a.wav"));
    Files.copy(wav, in.resolve("sub/b.wav"));
    mkfifo(in.resolve("sub/pipe.wav"));
    BatchReport report = BatchJob.run(spark, options(in, dir.resolve("out-fifo")).build());
    assertThat(report.inputs()).isEqualTo(2);
    assertThat(report.analysed()).isEqualTo(2);
    assertThat(report.specialFiles()).isEqualTo(1);

    // Named in a manifest, it is an errors row, still never opened.
    Path manifest = dir.resolve("fifo.csv");
    Files.writeString(manifest, "path,call_id\nwith-fifo/a.wav,a\nwith-fifo/sub/pipe.wav,pipe\n");
    BatchReport fromManifest = BatchJob.run(spark, options(manifest, dir.resolve("out-fifo-manifest")).build());
    assertThat(fromManifest.analysed()).isEqualTo(1);
    Row error = rows(dir.resolve("out-fifo-manifest"), "errors").get("pipe");
    assertThat((String) error.getAs("error_code")).isEqualTo("IO_ERROR");
    assertThat((String) error.getAs("error_message")).contains("not a regular file");
  }

  /** Item 15: RFC 4180 quoting: a quoted path may hold a comma, a newline, and a quote written twice. */
  @Test
  void quotedManifestPathsMayHoldCommasNewlinesAndDoubledQuotes() throws IOException {
    Path in = dir.resolve("quoted");
    Files.createDirectories(in);
    Files.copy(wav, in.resolve("line\nbreak.wav"));
    Files.copy(wav, in.resolve("say \"hi\", then.wav"));
    Path manifest = in.resolve("calls.csv");
    Files.writeString(manifest, "\uFEFFPath , call_id\r\n"
        + "\"line\nbreak.wav\",newline\r\n"
        + "\r\n"
        + "\"say \"\"hi\"\", then.wav\",quotes\r\n", StandardCharsets.UTF_8);
    Path out = dir.resolve("out-quoted");
    BatchReport report = BatchJob.run(spark, options(manifest, out).build());
    assertThat(report.inputs()).isEqualTo(2);
    assertThat(report.failed()).as(rows(out, "errors").toString()).isZero();
    Map<String, Row> calls = rows(out, "calls");
    assertThat((String) calls.get("newline").getAs("path")).endsWith("/line\nbreak.wav");
    assertThat((String) calls.get("quotes").getAs("path")).endsWith("/say \"hi\", then.wav");
  }

  @Test
  void aManifestThatIsNotValidCsvOrParquetIsOneLineWithItsCode() throws IOException {
    Path unbalanced = dir.resolve("unbalanced.csv");
    Files.writeString(unbalanced, "path,call_id\nsource.wav,a\n\"source.wav,b\nsource.wav,c\n");
    TingxinException e = refusal(options(unbalanced, dir.resolve("out-unbalanced")).build());
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_OPTION);
    assertThat(e.getMessage()).contains("unbalanced.csv", "not valid CSV", "never closed");

    // A field beyond any path's length: an unbalanced quote early in a large file, refused with bounded memory.
    Path runaway = dir.resolve("runaway.csv");
    Files.writeString(runaway, "path,call_id\n\"source.wav,a\n" + "x,y\n".repeat(40_000));
    assertThat(refusal(options(runaway, dir.resolve("out-runaway")).build()).getMessage())
        .contains("not valid CSV", "longer than " + InputListing.MAX_FIELD_CHARS);

    Path gbk = dir.resolve("gbk.csv");
    Files.write(gbk, "path,call_id\n来电.wav,a\n".getBytes(Charset.forName("GBK")));
    TingxinException notUtf8 = refusal(options(gbk, dir.resolve("out-gbk")).build());
    assertThat(notUtf8.code()).isEqualTo(ErrorCode.INVALID_OPTION);
    assertThat(notUtf8.getMessage()).contains("not UTF-8");

    Path garbage = dir.resolve("garbage.parquet");
    Files.writeString(garbage, "this is not a Parquet file, only text with a .parquet name");
    TingxinException notParquet = refusal(options(garbage, dir.resolve("out-garbage")).build());
    assertThat(notParquet.code()).isEqualTo(ErrorCode.INVALID_OPTION);
    assertThat(notParquet.getMessage()).contains("garbage.parquet", "not a Parquet file");
    for (String out : List.of("out-unbalanced", "out-runaway", "out-gbk", "out-garbage")) {
      assertThat(dir.resolve(out)).as("nothing written for a refused manifest").doesNotExist();
    }
  }

  @Test
  void anOutputThatCannotBeWrittenIsOneLineWithItsCodeAndLeavesNothing() throws IOException {
    Path in = dir.resolve("for-output");
    Files.createDirectories(in);
    Files.copy(wav, in.resolve("a.wav"));
    Path file = dir.resolve("a-file");
    Files.writeString(file, "not a directory");
    TingxinException underFile = refusal(options(in, file.resolve("out")).build());
    assertThat(underFile.code()).isEqualTo(ErrorCode.OUTPUT_FAILED);
    assertThat(underFile.getMessage()).contains(file.toString());
    assertThat(file).hasContent("not a directory");

    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    conf.set("fs." + FullDiskFileSystem.SCHEME + ".impl", FullDiskFileSystem.class.getName());
    Path full = dir.resolve("disk-full").resolve("tables");
    TingxinException diskFull = refusal(
        BatchOptions.builder(in.toString(), FullDiskFileSystem.SCHEME + ":" + full).build());
    assertThat(diskFull.code()).isEqualTo(ErrorCode.OUTPUT_FAILED);
    assertThat(diskFull.getMessage()).contains("No space left on device", full.toString());
    try (Stream<Path> left = Files.walk(full)) {
      assertThat(left.filter(Files::isRegularFile).toList()).as("what the failed run took back").isEmpty();
    }
  }

  /** Issue 18: progress moves as calls finish, not only when a task ends (here the run is one task). */
  @Test
  void progressCountsCallsAsTheyFinishInsideATask() throws IOException {
    Path in = dir.resolve("progress");
    for (int i = 0; i < 30; i++) {
      Archive.writeMono(in.resolve(String.format("c%02d.wav", i)), Archive.call(i % 2 == 0 ? "03" : "08", i % 5, 6));
    }
    List<long[]> seen = Collections.synchronizedList(new ArrayList<>());
    BatchReport report = BatchJob.run(spark, options(in, dir.resolve("out-progress")).partitions(1).build(),
        (done, total, seconds) -> seen.add(new long[] {done, total}), 50);
    assertThat(report.analysed()).isEqualTo(30);
    assertThat(seen).allSatisfy(p -> assertThat(p[0]).isBetween(0L, p[1]));
    assertThat(seen).as("a count between none and all while the one task ran")
        .anySatisfy(p -> assertThat(p[0]).isStrictlyBetween(0L, 30L));
  }
}
