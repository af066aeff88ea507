package io.github.tingxin.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, item 1: a batch run decides that an output "holds tables" from Tingxin's own run records, deletes
 * only what those records prove Tingxin wrote, and refuses an input inside the output or the reverse. Every
 * case checks that the user's files are all still there, byte for byte.
 */
class OutputSafetyTest {
  @TempDir static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void setUp() {
    spark = SparkSession.builder().master("local[2]").appName("tingxin-output-safety")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
  }

  @AfterAll
  static void tearDown() {
    if (spark != null) {
      spark.stop();
    }
  }

  /** ARCH/calls/*.wav, as an archive is often laid out. */
  static Path archiveWithCalls(String name) throws IOException {
    Path arch = dir.resolve(name);
    Archive.writeMono(arch.resolve("calls/a.wav"), Archive.call("03", 0, 2));
    Archive.writeMono(arch.resolve("calls/b.wav"), Archive.call("08", 0, 2));
    return arch;
  }

  /** Every file under {@code root} with its bytes, to compare before and after. */
  static TreeMap<String, String> snapshot(Path root) throws IOException {
    TreeMap<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(p).toString(), java.util.HexFormat.of().formatHex(
            java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
      }
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    return files;
  }

  static BatchOptions.Builder options(Path in, Path out) {
    return BatchOptions.builder(in.toString(), out.toString());
  }

  static void assertRefused(BatchOptions options, String... excerpts) {
    assertThatThrownBy(() -> BatchJob.run(spark, options)).as(options.mode() + " " + options.input())
        .isInstanceOfSatisfying(TingxinException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_OPTION);
          assertThat(e.getMessage()).contains(excerpts).doesNotContain("already holds Tingxin tables");
        });
  }

  @Test
  void anInputInsideTheOutputIsRefusedInEveryModeAndNothingIsDeleted() throws IOException {
    Path arch = archiveWithCalls("arch-in-out");
    TreeMap<String, String> before = snapshot(arch);
    for (BatchOptions.WriteMode mode : BatchOptions.WriteMode.values()) {
      assertRefused(options(arch.resolve("calls"), arch).mode(mode).build(), "inside the output");
      assertThat(snapshot(arch)).as(mode.name()).isEqualTo(before);
    }
    // A single file and a manifest inside the output are inputs inside it too.
    assertRefused(options(arch.resolve("calls/a.wav"), arch).mode(BatchOptions.WriteMode.OVERWRITE).build(),
        "inside the output");
    assertThat(snapshot(arch)).isEqualTo(before);
  }

  @Test
  void anOutputInsideTheInputIsRefused() throws IOException {
    Path arch = archiveWithCalls("arch-out-in");
    TreeMap<String, String> before = snapshot(arch);
    assertRefused(options(arch, arch.resolve("tingxin")).build(), "inside the input");
    assertRefused(options(arch.resolve("calls"), arch.resolve("calls")).mode(BatchOptions.WriteMode.OVERWRITE)
        .build(), "inside");
    assertThat(snapshot(arch)).isEqualTo(before);
    assertThat(arch.resolve("tingxin")).doesNotExist();
  }

  @Test
  void userFoldersNamedLikeTablesAreNeverTakenForTablesNorDeleted() throws IOException {
    Path in = archiveWithCalls("arch-user-folders").resolve("calls");
    Path out = dir.resolve("user-folders");
    for (String folder : List.of("errors", "segments", "callers", "_runs", "calls")) {
      Files.createDirectories(out.resolve(folder));
      Files.writeString(out.resolve(folder).resolve("mine.txt"), "the user's own " + folder);
    }
    Files.writeString(out.resolve("_runs/run-1.json"), "{\"not\": \"a Tingxin record\"}");
    TreeMap<String, String> before = snapshot(out);
    for (BatchOptions.WriteMode mode : BatchOptions.WriteMode.values()) {
      assertRefused(options(in, out).mode(mode).callers(true).build(), "Tingxin did not write");
      assertThat(snapshot(out)).as(mode.name()).isEqualTo(before);
    }
  }

  @Test
  void overwriteDeletesOnlyWhatTheRunRecordsProveTingxinWrote() throws IOException {
    Path in = archiveWithCalls("arch-overwrite").resolve("calls");
    Path out = dir.resolve("overwrite");
    BatchJob.run(spark, options(in, out).callers(true).build());
    Files.createDirectories(out.resolve("notes"));
    Files.writeString(out.resolve("notes/reading-the-tables.txt"), "the user's notes beside the tables");
    Files.writeString(out.resolve("README.txt"), "the user's readme");
    TreeMap<String, String> userFiles = new TreeMap<>(snapshot(out));
    userFiles.keySet().removeIf(f -> !f.startsWith("notes") && !f.equals("README.txt"));

    BatchReport again = BatchJob.run(spark, options(in, out).mode(BatchOptions.WriteMode.OVERWRITE).build());
    assertThat(again.run()).isEqualTo(1);
    TreeMap<String, String> after = snapshot(out);
    assertThat(after).containsAllEntriesOf(userFiles);
    assertThat(out.resolve("callers")).as("the callers table of the replaced run").doesNotExist();

    // A file the user put among the tables is not Tingxin's: the next overwrite refuses rather than mix.
    Files.writeString(out.resolve("calls/mine.txt"), "the user's file among the tables");
    TreeMap<String, String> withStray = snapshot(out);
    assertRefused(options(in, out).mode(BatchOptions.WriteMode.OVERWRITE).build(), "Tingxin did not write",
        "mine.txt");
    assertThat(snapshot(out)).isEqualTo(withStray);
  }

  @Test
  void aFreshOutputWithUnrelatedFilesIsUsedAndTheFilesStay() throws IOException {
    Path in = archiveWithCalls("arch-fresh").resolve("calls");
    Path out = dir.resolve("fresh-with-files");
    Files.createDirectories(out);
    Files.writeString(out.resolve("notes.txt"), "kept");
    BatchReport report = BatchJob.run(spark, options(in, out).build());
    assertThat(report.analysed()).isEqualTo(2);
    assertThat(out.resolve("notes.txt")).hasContent("kept");
    List<String> names = new ArrayList<>();
    try (Stream<Path> list = Files.list(out)) {
      list.forEach(p -> names.add(p.getFileName().toString()));
    }
    assertThat(names).containsExactlyInAnyOrder("notes.txt", "segments", "calls", "errors", "_runs");
  }

  @Test
  void aRecordNamingFoldersOfAnotherRunOrElsewhereIsNotTingxinsAndNothingItNamesIsDeleted() throws IOException {
    Path in = archiveWithCalls("arch-forged").resolve("calls");
    Path out = dir.resolve("forged");
    Path victim = dir.resolve("forged-victim");
    Files.createDirectories(victim);
    Files.writeString(victim.resolve("keep.txt"), "kept");
    Files.createDirectories(out.resolve("_runs"));
    Files.writeString(out.resolve("_runs/run-1.json"), "{\"writer\": \"tingxin batch\", \"run\": 1, \"folders\": [\"../"
        + victim.getFileName() + "\"], \"callers\": false}");
    TreeMap<String, String> before = snapshot(dir.resolve("forged"));
    assertRefused(options(in, out).mode(BatchOptions.WriteMode.OVERWRITE).build(), "Tingxin did not write",
        "run-1.json");
    assertThat(snapshot(out)).isEqualTo(before);
    assertThat(victim.resolve("keep.txt")).hasContent("kept");
  }

  @Test
  void aLinkToTheInputCountsAsTheInput() throws IOException {
    Path arch = archiveWithCalls("arch-link");
    Path link = Files.createSymbolicLink(dir.resolve("arch-link-alias"), arch);
    TreeMap<String, String> before = snapshot(arch);
    assertRefused(options(arch.resolve("calls"), link).mode(BatchOptions.WriteMode.OVERWRITE).build(),
        "inside the output");
    assertRefused(options(link, arch.resolve("tables")).build(), "inside the input");
    assertThat(snapshot(arch)).isEqualTo(before);
  }

  @Test
  void whatAnUnfinishedRunWroteIsRemovedByTheNextRunInAnyMode() throws IOException {
    Path in = archiveWithCalls("arch-unfinished").resolve("calls");
    Path out = dir.resolve("unfinished");
    new OutputLayout(spark.sparkContext().hadoopConfiguration(), out.toString()).begin(1, false, java.util.Map.of());
    Files.createDirectories(out.resolve("segments/run=1"));
    Files.writeString(out.resolve("segments/run=1/part-0.parquet"), "left by a killed run");
    BatchReport report = BatchJob.run(spark, options(in, out).build());
    assertThat(report.run()).isEqualTo(1);
    assertThat(out.resolve("segments/run=1/part-0.parquet")).doesNotExist();
    assertThat(out.resolve("_runs/run-1.json")).exists();
  }
}
