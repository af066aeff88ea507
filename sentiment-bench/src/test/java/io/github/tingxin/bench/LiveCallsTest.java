package io.github.tingxin.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The harness end to end on a short run; its figures are not asserted (no timed assertions), its counts are. */
class LiveCallsTest {

  @Test
  void everyCallCompletesAndEverySegmentOfTheOfflineAnalysisArrivesEqual() throws Exception {
    LiveCalls.Options o = LiveCalls.Options.parse(new String[] {"--calls", "3", "--seconds", "1",
        "--audio-seconds", "3.5", "--variants", "2", "--sample-ms", "250", "--max-lag", "600"});
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    LiveCalls.Report r;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      r = LiveCalls.run(o, out);
    }
    String report = bytes.toString(StandardCharsets.UTF_8);
    assertThat(r.aborted()).as(report).isFalse();
    assertThat(r.errors()).as(report).isZero();
    assertThat(r.completedCalls()).as(report).isEqualTo(3);
    assertThat(r.expectedSegments()).as(report).isPositive();
    assertThat(r.deliveredSegments()).as(report).isEqualTo(r.expectedSegments());
    assertThat(r.missingSegments() + r.extraSegments() + r.mismatchedSegments()).as(report).isZero();
    assertThat(r.latency().count()).isEqualTo(r.deliveredSegments());
    assertThat(r.latency().negatives()).as("no segment arrives before its speech ends").isZero();
    assertThat(r.feederWake().count()).isPositive();
    assertThat(report).contains("latency_s (end of speech -> onSegment)").containsPattern("(?m)^\\| 3 \\| ");
    // memory probes with every call open: the live heap per call and the flatness slopes come from them
    assertThat(report).containsPattern("(?m)^memory_probe t_s=\\d+ calls=3 live_heap_mb=\\d")
        .containsPattern("(?m)^flat_memory live_heap_slope_mb_per_min=-?\\d")
        .containsPattern("(?m)^per_call_kb heap_live=\\d");
  }

  @Test
  void optionsAreCheckedAndUnknownOnesRefused() {
    assertThatThrownBy(() -> LiveCalls.Options.parse(new String[] {"--calls", "0"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--calls");
    assertThatThrownBy(() -> LiveCalls.Options.parse(new String[] {"--frobnicate", "1"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown option --frobnicate");
    assertThatThrownBy(() -> LiveCalls.Options.parse(new String[] {"--seconds"}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a value");
    assertThat(LiveCalls.Options.parse(new String[0]).chunkMs()).isEqualTo(20);
  }
}
