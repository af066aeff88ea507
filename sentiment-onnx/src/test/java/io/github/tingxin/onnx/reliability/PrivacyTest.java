package io.github.tingxin.onnx.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hotline audio stays in: a full run ({@link PrivacyProbe}, in a JVM of its own with every SLF4J and
 * java.util.logging event captured at every level, ONNX Runtime's native output on the process's stderr)
 * leaves no score, summary figure, sample or feature value in any log event, exception message or stack
 * trace, or on the process's standard output and error; and it writes no file to {@code java.io.tmpdir}
 * while analysing.
 */
class PrivacyTest {

  @Test
  void noScoresSamplesOrFeaturesInLogsOrMessagesAndNoTemporaryFiles(@TempDir Path dir) throws Exception {
    Path out = Files.createDirectories(dir.resolve("out"));
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    ChildJvm.Result r = ChildJvm.run(List.of(), List.of("-Xmx512m",
        "-Dslf4j.provider=" + CapturingSlf4jProvider.class.getName(), "-Djava.io.tmpdir=" + tmp),
        PrivacyProbe.class, List.of(out.toString()), Map.of(), 600);
    assertThat(r.exitCode()).as("%s", r).isZero();

    String log = Files.readString(out.resolve("log.txt"), StandardCharsets.UTF_8);
    String messages = Files.readString(out.resolve("messages.txt"), StandardCharsets.UTF_8);
    List<String> secrets = Files.readAllLines(out.resolve("secrets.txt"), StandardCharsets.UTF_8);
    List<String> newFiles = Files.readAllLines(out.resolve("tmp-new.txt"), StandardCharsets.UTF_8);

    // The capture worked (so this test can fail), and the run produced what it checks.
    assertThat(log).contains("canary slf4j-captured").contains("canary jul-captured");
    assertThat(secrets).as("scores, samples and features of the run").hasSizeGreaterThan(500);
    assertThat(messages.lines().filter(l -> l.startsWith("=== TingxinException[")).count())
        .as("exceptions of the bad calls").isEqualTo(16);
    assertThat(messages).doesNotContain("(no exception)");
    assertThat(messages).contains("NON_FINITE_SAMPLE", "STREAM_FINISHED", "DATA_TRUNCATED", "INVALID_CHANNEL",
        "EMPTY_AUDIO", "MODEL_OUTPUT_INVALID");

    for (String secret : secrets) {
      assertThat(log).as("log events").doesNotContain(secret);
      assertThat(messages).as("exception messages and traces").doesNotContain(secret);
      assertThat(r.stdout()).as("standard output").doesNotContain(secret);
      assertThat(r.stderr()).as("standard error").doesNotContain(secret);
    }
    assertThat(newFiles).as("files that appeared in java.io.tmpdir during analysis").isEmpty();
  }
}
