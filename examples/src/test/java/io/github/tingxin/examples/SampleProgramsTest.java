package io.github.tingxin.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample programs run on the sample call with the fixture model and print what they promise. */
class SampleProgramsTest {
  static final String SAMPLE = "samples/sample-call.wav";
  static final String MODEL = "../fixtures/models/fbank-cnn-tiny";

  private static String run(ThrowingMain main) throws Exception {
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      main.run();
    } finally {
      System.setOut(old);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  interface ThrowingMain {
    void run() throws Exception;
  }

  @Test
  void analyzeFilePrintsTheTimelineAndSummary() throws Exception {
    String out = run(() -> AnalyzeFile.main(new String[] {SAMPLE, MODEL}));
    List<String> lines = out.lines().toList();
    assertThat(lines.size()).isGreaterThan(5);
    assertThat(lines.get(0)).matches("\\s*\\d+\\.\\d\\d-\\s*\\d+\\.\\d\\d s  negative 0\\.\\d\\d  \\S.*");
    assertThat(lines.get(lines.size() - 1)).startsWith("negative: ").contains("s of speech", "trend");
  }

  @Test
  void liveCallFeedsChunksAndEndsWithTheCall() throws Exception {
    String out = run(() -> LiveCallWithAlerts.main(new String[] {SAMPLE, MODEL}));
    List<String> lines = out.lines().toList();
    assertThat(lines.stream().filter(l -> l.startsWith("segment ")).count()).isGreaterThan(5);
    // The fixture's negative probability stays near 0.55: under the example's 0.8 rule, no alert.
    assertThat(out).doesNotContain("ALERT");
    assertThat(lines.get(lines.size() - 1)).startsWith("call ended after 49.2 s");
  }

  @Test
  void batchFolderAnalysesEveryFileOnThreadsAndReportsABadOne(@TempDir Path dir) throws Exception {
    Files.copy(Path.of(SAMPLE), dir.resolve("a.wav"));
    Files.copy(Path.of("samples/sample-call-stereo.wav"), dir.resolve("b.wav"));
    Files.writeString(dir.resolve("c.wav"), "not audio");
    Files.writeString(dir.resolve("notes.txt"), "ignored");
    String out = run(() -> BatchFolder.main(new String[] {dir.toString(), "2", MODEL}));
    List<String> lines = out.lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).startsWith("a.wav").contains("49.2 s", "segments", "% negative");
    assertThat(lines.get(1)).startsWith("b.wav").contains("49.2 s");
    assertThat(lines.get(2)).startsWith("c.wav").contains("failed:", "NOT_RIFF_WAVE");
  }
}
