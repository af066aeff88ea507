package io.github.tingxin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code tingxin stream} as a process reading standard input. */
class StreamCliTest {
  static final String[] MODEL = {"--model", AnalyzeCliTest.MODEL.toString()};

  private static String[] args(String... a) {
    List<String> all = new ArrayList<>(List.of("stream"));
    all.addAll(List.of(MODEL));
    all.addAll(List.of(a));
    return all.toArray(String[]::new);
  }

  private static List<JsonNode> lines(String jsonLines) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String l : jsonLines.lines().filter(x -> !x.isBlank()).toList()) {
      out.add(JsonFormat.MAPPER.readTree(l));
    }
    return out;
  }

  @Test
  void aWavOnStandardInputGivesTheSameSegmentsAsAnalyze() throws Exception {
    byte[] wav = Files.readAllBytes(AnalyzeCliTest.SAMPLE);
    CliProcess.Result r = CliProcess.run(wav, null, args("--json", "--alert", "0.5,2,30"));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    List<JsonNode> events = lines(r.stdout());
    List<JsonNode> segments = events.stream().filter(e -> e.get("type").asText().equals("segment")).toList();
    JsonNode summary = events.get(events.size() - 1);
    assertThat(summary.get("type").asText()).isEqualTo("summary");
    assertThat(summary.get("durationSeconds").asDouble())
        .isCloseTo(49.17, org.assertj.core.data.Offset.offset(0.01));

    CliProcess.Result offline = CliProcess.run(AnalyzeCliTest.args("analyze", "--json",
        AnalyzeCliTest.SAMPLE.toString()));
    JsonNode analysis = JsonFormat.MAPPER.readTree(offline.stdout());
    JsonNode offSegs = analysis.get("segments");
    assertThat(segments).hasSize(offSegs.size());
    for (int i = 0; i < segments.size(); i++) {
      JsonNode live = segments.get(i);
      JsonNode off = offSegs.get(i);
      assertThat(live.get("start").asDouble()).isEqualTo(off.get("start").asDouble());
      assertThat(live.get("end").asDouble()).isEqualTo(off.get("end").asDouble());
      // Same segments, same scores up to float rounding: live segments are scored as they close, offline
      // ones in length-sorted batches (the model masks padding, so only rounding differs).
      assertNumericallyEqual(live.get("scores"), off.get("scores"), "segment " + i);
    }
    assertNumericallyEqual(summary.get("caller"), analysis.at("/summary/caller"), "summary");
    // Alerts, where raised, come after the segment that tipped them.
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).get("type").asText().equals("alert")) {
        assertThat(i).isPositive();
        assertThat(events.get(i - 1).get("type").asText()).isEqualTo("segment");
        assertThat(events.get(i).get("at").asDouble()).isEqualTo(events.get(i - 1).get("end").asDouble());
      }
    }
  }

  /** Same structure and texts; numbers equal within 1e-6 (probabilities) relative to their size. */
  static void assertNumericallyEqual(JsonNode a, JsonNode b, String where) {
    assertThat(a.getNodeType()).as(where).isEqualTo(b.getNodeType());
    if (a.isNumber()) {
      assertThat(a.asDouble()).as(where).isCloseTo(b.asDouble(),
          org.assertj.core.data.Offset.offset(1e-6 * Math.max(1, Math.abs(b.asDouble()))));
    } else if (a.isContainerNode()) {
      assertThat(a.size()).as(where).isEqualTo(b.size());
      if (a.isArray()) {
        for (int i = 0; i < a.size(); i++) {
          assertNumericallyEqual(a.get(i), b.get(i), where + "[" + i + "]");
        }
      } else {
        a.fieldNames().forEachRemaining(f -> assertNumericallyEqual(a.get(f), b.get(f), where + "." + f));
      }
    } else {
      assertThat(a).as(where).isEqualTo(b);
    }
  }

  @Test
  void rawMuLawAtTelephoneRatePrintsATableAndTheSummary() throws Exception {
    // Channel 0 of the stereo sample (8 kHz) as mu-law, the way a telephony switch delivers it.
    byte[] wav = Files.readAllBytes(AnalyzeCliTest.STEREO);
    ByteBuffer b = ByteBuffer.wrap(wav, 44, wav.length - 44).order(ByteOrder.LITTLE_ENDIAN);
    byte[] mulaw = new byte[(wav.length - 44) / 4];
    for (int i = 0; i < mulaw.length; i++) {
      short caller = b.getShort();
      b.getShort();
      mulaw[i] = (byte) io.github.tingxin.core.audio.G711.linearToMuLaw(caller);
    }
    CliProcess.Result r = CliProcess.run(mulaw, null, args("--raw", "--rate", "8000", "--encoding", "mulaw"));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    List<String> lines = r.stdout().lines().toList();
    assertThat(lines.get(0)).isEqualTo(TableFormat.SEGMENT_HEADER);
    assertThat(lines.stream().filter(l -> l.matches("\\s+\\d+\\.\\d\\d\\s+\\d+\\.\\d\\d  caller .*")).count())
        .isGreaterThan(3);
    assertThat(r.stdout()).contains("End of input: 49.17 s", "Summary: caller");
  }

  @Test
  void ctrlCScoresWhatArrivedPrintsTheSummaryAndExits130() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/kill")), "needs /bin/kill");
    byte[] wav = Files.readAllBytes(AnalyzeCliTest.SAMPLE);
    int half = 44 + 16000 * 2 * 20; // header and the first 20 s
    String[] a = args("--json");
    Process p = CliProcess.start(null, a);
    java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
        java.nio.charset.StandardCharsets.UTF_8));
    java.util.concurrent.CompletableFuture<byte[]> err = CliProcess.drain(p.getErrorStream());
    java.io.OutputStream in = p.getOutputStream();
    in.write(wav, 0, half);
    in.flush();
    String first = out.readLine(); // a segment has closed: the call is live
    assertThat(first).contains("\"type\":\"segment\"");
    new ProcessBuilder("/bin/kill", "-INT", Long.toString(p.pid())).start().waitFor();
    // The JVM handles the signal on its own threads; give them time (well inside the 5 s grace) before the
    // input ends, or a loaded machine lets the plain end of input win the race (300 ms was seen to lose it).
    Thread.sleep(1500);
    in.close(); // the program feeding the call stops too
    List<String> rest = new ArrayList<>();
    for (String l; (l = out.readLine()) != null; ) {
      rest.add(l);
    }
    assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(ExitCodes.INTERRUPTED);
    JsonNode summary = JsonFormat.MAPPER.readTree(rest.get(rest.size() - 1));
    assertThat(summary.get("type").asText()).isEqualTo("summary");
    // Up to the 20 s sent; a little less where Ctrl-C came while the pipe still held some (at most 64 KiB, 2 s).
    assertThat(summary.get("durationSeconds").asDouble()).isBetween(17.5, 20.001);
    assertThat(new String(err.get(10, java.util.concurrent.TimeUnit.SECONDS), java.nio.charset.StandardCharsets.UTF_8))
        .contains("interrupted");
  }

  @Test
  void theDefaultModelRaisesAnAlertOnTheSampleCallsNegativeStretch() throws Exception {
    // The bundled model on the sample call: the acted sadness (from 10.5 s), fear and anger in the middle of
    // the call must trip a rule of 3 s of speech at >= 0.8 within 30 s, right after a segment that is itself
    // >= 0.8; the neutral opening (to 9.7 s) must not.
    byte[] wav = Files.readAllBytes(AnalyzeCliTest.SAMPLE);
    CliProcess.Result r = CliProcess.run(wav, null, "stream", "-q", "--json", "--alert", "0.8,3,30");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    List<JsonNode> events = lines(r.stdout());
    int alerts = 0;
    for (int i = 0; i < events.size(); i++) {
      JsonNode e = events.get(i);
      if (e.get("type").asText().equals("alert")) {
        alerts++;
        JsonNode trigger = events.get(i - 1);
        assertThat(trigger.get("negativeProbability").asDouble()).isGreaterThanOrEqualTo(0.8);
        assertThat(e.get("at").asDouble()).isEqualTo(trigger.get("end").asDouble()).isBetween(10.0, 45.0);
        assertThat(e.get("negativeSpeechSeconds").asDouble()).isGreaterThanOrEqualTo(3.0);
        assertThat(e.at("/rule/windowSeconds").asDouble()).isEqualTo(30.0);
      }
    }
    assertThat(alerts).isPositive();
  }

  @Test
  void emptyInputIsBadAudio() throws Exception {
    CliProcess.Result r = CliProcess.inProcess(new byte[0], args());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.BAD_AUDIO);
    assertThat(r.stderrLines()).hasSize(1);
    assertThat(r.stderrLines().get(0)).startsWith("tingxin: error: ");
  }

  @Test
  void rawOrWavInputWithoutSamplesIsEmptyAudioWithNoSummary() throws Exception {
    // A WAV header with an empty data chunk, and raw input of no bytes (or less than a frame): no summary
    // of 0.000 figures, but one line saying there was nothing to analyse (issue 17, item 12).
    byte[] emptyWav = io.github.tingxin.core.audio.WavWriter.toBytes(List.of(io.github.tingxin.api.Audio.of(
        new float[0], 8000)), io.github.tingxin.core.audio.PcmEncoding.S16LE,
        io.github.tingxin.core.audio.WavWriter.Header.CLASSIC);
    for (CliProcess.Result r : List.of(CliProcess.inProcess(emptyWav, args()),
        CliProcess.inProcess(new byte[0], args("--raw", "--rate", "8000")),
        CliProcess.inProcess(new byte[1], args("--raw", "--rate", "8000", "--json")))) {
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.BAD_AUDIO);
      assertThat(r.stdout()).as(r.toString()).isEmpty();
      assertThat(r.stderrLines()).as(r.toString()).hasSize(1);
      assertThat(r.stderrLines().get(0)).contains("held no audio samples", "EMPTY_AUDIO");
    }
  }

  @Test
  void aBadAlertRuleIsBadUsage() throws Exception {
    CliProcess.Result r = CliProcess.inProcess(new byte[0], args("--alert", "1.5,20,120"));
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderrLines()).hasSize(1);
    assertThat(r.stderrLines().get(0)).contains("--alert", "probability");
  }
}
