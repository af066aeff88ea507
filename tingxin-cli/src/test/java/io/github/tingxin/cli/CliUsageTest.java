package io.github.tingxin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tingxin.api.ErrorCode;
import org.junit.jupiter.api.Test;

/** Usage, help and exit codes that need no model. */
class CliUsageTest {
  @Test
  void helpListsTheCommandsAndExitCodes() throws Exception {
    CliProcess.Result r = CliProcess.run("--help");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).contains("analyze", "stream", "model", "features", "Exit codes: 0 ok, 1 bad usage");
  }

  @Test
  void versionPrintsTheBuildVersion() throws Exception {
    CliProcess.Result r = CliProcess.inProcess(null, "--version");
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).matches("tingxin \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\s*");
  }

  @Test
  void anUnknownOptionIsOneLineAndExitCodeOne() throws Exception {
    CliProcess.Result r = CliProcess.run("analyze", "--no-such-option", "a.wav");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderrLines()).hasSize(1);
    assertThat(r.stderrLines().get(0)).startsWith("tingxin: error: Unknown option: '--no-such-option'")
        .contains("tingxin analyze --help");
  }

  @Test
  void noCommandIsBadUsage() throws Exception {
    CliProcess.Result r = CliProcess.inProcess(null);
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderrLines()).hasSize(1);
    assertThat(r.stderrLines().get(0)).contains("a command is needed");
  }

  @Test
  void exclusiveOutputFormatsAreRefused() throws Exception {
    CliProcess.Result r = CliProcess.inProcess(null, "analyze", "--json", "--csv", "a.wav");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderrLines()).hasSize(1);
    assertThat(r.stderrLines().get(0)).contains("mutually exclusive");
  }

  @Test
  void streamRawWithoutRateIsBadUsage() throws Exception {
    CliProcess.Result r = CliProcess.inProcess(new byte[0], "stream", "--raw");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderrLines()).containsExactly(
        "tingxin: error: --raw needs --rate, the input's sample rate in hertz [INVALID_OPTION]");
  }

  @Test
  void rawOptionsWithoutRawAreRefusedNotIgnored() {
    CliProcess.Result r = CliProcess.inProcess(new byte[0], "stream", "--encoding", "mulaw");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderrLines()).hasSize(1);
    assertThat(r.stderrLines().get(0)).contains("add --raw", "[INVALID_OPTION]");
  }

  @Test
  void streamRefusesInputThatIsNotWav() throws Exception {
    CliProcess.Result r = CliProcess.run("hello, this is not audio".getBytes(), null, "stream");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_AUDIO);
    assertThat(r.stderrLines()).hasSize(1);
    assertThat(r.stderrLines().get(0)).contains("not a WAV stream", "--raw", "[NOT_RIFF_WAVE]");
  }

  @Test
  void everyErrorCodeHasADocumentedExitCode() {
    for (ErrorCode c : ErrorCode.values()) {
      assertThat(ExitCodes.of(c)).isIn(ExitCodes.USAGE, ExitCodes.BAD_AUDIO, ExitCodes.BAD_MODEL, ExitCodes.RUNTIME,
          ExitCodes.OUTPUT, ExitCodes.PLATFORM, ExitCodes.INTERRUPTED);
    }
    assertThat(ExitCodes.of(ErrorCode.NOT_RIFF_WAVE)).isEqualTo(2);
    assertThat(ExitCodes.of(ErrorCode.MANIFEST_INVALID)).isEqualTo(3);
    assertThat(ExitCodes.of(ErrorCode.DEVICE_UNAVAILABLE)).isEqualTo(4);
    assertThat(ExitCodes.of(ErrorCode.INVALID_OPTION)).isEqualTo(1);
    assertThat(ExitCodes.of(ErrorCode.INTERRUPTED)).isEqualTo(130);
    assertThat(ExitCodes.of(ErrorCode.OUTPUT_FAILED)).isEqualTo(5);
    assertThat(ExitCodes.of(ErrorCode.CLUSTER_FAILED)).isEqualTo(6);
  }

  @Test
  void verbosePrintsTheStackTraceAfterTheLine() throws Exception {
    CliProcess.Result r = CliProcess.run("hello".getBytes(), null, "stream", "--verbose");
    assertThat(r.exitCode()).isEqualTo(ExitCodes.BAD_AUDIO);
    assertThat(r.stderrLines().get(0)).startsWith("tingxin: error: ");
    assertThat(r.stderr()).contains("at io.github.tingxin.core.audio.WavReader");
  }
}
