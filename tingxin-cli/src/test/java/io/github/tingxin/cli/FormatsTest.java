package io.github.tingxin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.Speaker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormatsTest {
  @Test
  void tableShowsEverySegmentAndTheSummary() {
    CallAnalysis call = Calls.call(true);
    StringWriter sw = new StringWriter();
    TableFormat.print(new PrintWriter(sw), "call.wav", Calls.manifest(), call, false);
    String text = sw.toString();
    List<String> lines = text.lines().toList();
    assertThat(lines.get(0)).isEqualTo("call.wav: 12.50 s, model test-model 1.2.3, 4 segments");
    assertThat(lines.get(1)).isEqualTo(TableFormat.SEGMENT_HEADER);
    assertThat(lines.get(3)).startsWith("    4.00     7.25  caller      0    0.910  anger 愤怒")
        .endsWith("negative,anger");
    assertThat(lines.get(4)).startsWith("    7.50     9.00* operator").contains("0.050").contains("neutral 中性");
    assertThat(lines.get(6)).isEqualTo("  * shorter than the model's minimum of 2.00 s: scored padded with silence to it;"
        + " weigh with care");
    assertThat(text).contains("Summary: caller").contains("Summary: operator")
        .contains("69.7 % of speech (5.8 s with negative probability >= 0.50)")
        .contains("0.120 at the start, 0.660 at the end (+0.540)")
        .contains("4.00-7.25 s (0.910)")
        .contains("14.50 per minute")
        .contains("1.5 s in 1 segments (1 short, marked *)");
    // Chinese labels take two columns each: the decisions column starts at the same terminal column.
    int header = TableFormat.displayWidth(lines.get(1).substring(0, lines.get(1).indexOf("decisions")));
    for (String row : lines.subList(2, 6)) {
      int at = row.lastIndexOf(' ') + 1;
      assertThat(TableFormat.displayWidth(row.substring(0, at))).as(row).isEqualTo(header);
    }
    assertThat(TableFormat.displayWidth("anger 愤怒")).isEqualTo(10);
  }

  @Test
  void withoutSpeechTheTableAndJsonShowNoFiguresRatherThanZeros() throws Exception {
    CallAnalysis call = new CallAnalysis("m 1", 3.0, List.of(), Calls.silent(Speaker.CALLER),
        java.util.Optional.empty());
    StringWriter sw = new StringWriter();
    TableFormat.print(new PrintWriter(sw), "quiet.wav", Calls.manifest(), call, false);
    String text = sw.toString();
    assertThat(text).contains("no speech found").contains("speech             0.0 s in 0 segments")
        .contains("negative           -").contains("longest negative   -").contains("trend              -")
        .contains("changes            -").contains("peaks              -")
        .doesNotContain("0.000").doesNotContain("%");
    assertThat(text.lines().filter(l -> l.contains("negative/negative")).findFirst().orElseThrow())
        .matches(".*-\\s+-\\s+-$");
    JsonNode summary = JsonFormat.MAPPER.readTree(JsonFormat.MAPPER.writeValueAsString(
        JsonFormat.analysis("quiet.wav", Calls.manifest(), call, false))).at("/summary/caller");
    assertThat(summary.get("speechSeconds").asDouble()).isZero();
    for (String field : List.of("negativeSeconds", "negativeShare", "longestNegativeRunSeconds", "changesPerMinute",
        "trend")) {
      assertThat(summary.get(field).isNull()).as(field).isTrue();
    }
    assertThat(summary.at("/labels/0/mean").isNull()).isTrue();
    assertThat(summary.at("/labels/0/max").isNull()).isTrue();
    assertThat(summary.at("/labels/0/selectedShare").isNull()).isTrue();
  }

  @Test
  void jsonCarriesTheTimelineAndSummaryWithDocumentedNames() throws Exception {
    CallAnalysis call = Calls.call(true);
    String json = JsonFormat.MAPPER.writeValueAsString(JsonFormat.analysis("a.wav", Calls.manifest(), call, false));
    JsonNode root = JsonFormat.MAPPER.readTree(json);
    assertThat(root.get("file").asText()).isEqualTo("a.wav");
    assertThat(root.at("/model/name").asText()).isEqualTo("test-model");
    assertThat(root.at("/model/heads/0/labels/1/chinese").asText()).isEqualTo("负面");
    assertThat(root.get("durationSeconds").asDouble()).isEqualTo(12.5);
    assertThat(root.get("segments")).hasSize(4);
    JsonNode s1 = root.at("/segments/1");
    assertThat(s1.get("start").asDouble()).isEqualTo(4.0);
    assertThat(s1.get("end").asDouble()).isEqualTo(7.25);
    assertThat(s1.get("speaker").asText()).isEqualTo("caller");
    assertThat(s1.get("short").asBoolean()).isFalse();
    assertThat(root.at("/segments/2/short").asBoolean()).isTrue();
    assertThat(root.at("/summary/operator/shortSegments").asInt()).isEqualTo(1);
    assertThat(s1.get("negativeProbability").asDouble()).isEqualTo(0.91);
    assertThat(s1.get("topLabel").asText()).isEqualTo("anger");
    assertThat(s1.at("/scores/emotion/sadness").asDouble()).isEqualTo(0.15);
    assertThat(s1.at("/selected/emotion/0").asText()).isEqualTo("anger");
    assertThat(root.at("/segments/2/speaker").asText()).isEqualTo("operator");
    assertThat(root.at("/summary/caller/negativeShare").asDouble()).isEqualTo(5.75 / 8.25);
    assertThat(root.at("/summary/caller/trend/change").asDouble()).isCloseTo(0.54, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(root.at("/summary/caller/peaks/0/start").asDouble()).isEqualTo(4.0);
    assertThat(root.at("/summary/caller/labels/1/label").asText()).isEqualTo("anger");
    assertThat(root.at("/summary/operator/speaker").asText()).isEqualTo("operator");

    JsonNode mono = JsonFormat.MAPPER.readTree(
        JsonFormat.MAPPER.writeValueAsString(JsonFormat.analysis("b.wav", Calls.manifest(), Calls.call(false), false)));
    assertThat(mono.at("/summary/operator").isNull()).isTrue();
  }

  @Test
  void aScoreThatIsNotANumberIsNullInJsonAndEmptyInCsv() throws Exception {
    io.github.tingxin.api.SegmentResult s = new io.github.tingxin.api.SegmentResult(0, 1, 2,
        io.github.tingxin.api.Speaker.CALLER, -1, List.of(
            new io.github.tingxin.api.LabelScore("emotion", Calls.ANGER, Double.NaN, 0.5, false),
            new io.github.tingxin.api.LabelScore("emotion", Calls.SAD, 0.25, 0.5, false)),
        java.util.OptionalDouble.empty());
    JsonNode node = JsonFormat.MAPPER.readTree(JsonFormat.MAPPER.writeValueAsString(
        JsonFormat.segment(s, Calls.manifest(), false)));
    assertThat(node.at("/scores/emotion/anger").isNull()).isTrue();
    assertThat(node.at("/scores/emotion/sadness").asDouble()).isEqualTo(0.25);
    assertThat(node.get("negativeProbability").isNull()).isTrue();
    assertThat(node.get("topLabel").asText()).isEqualTo("sadness");
    StringWriter sw = new StringWriter();
    CsvFormat.rows(new PrintWriter(sw, true), "x.wav", Calls.manifest(), List.of(s), false);
    assertThat(sw.toString().strip()).isEqualTo("x.wav,0,1.000000,2.000000,false,caller,-1,,sadness,,,,,0.250000,");
  }

  @Test
  void prosodicCuesAreInEveryFormatOnlyWhenAskedFor() throws Exception {
    io.github.tingxin.api.ProsodicCues cues = new io.github.tingxin.api.ProsodicCues(182.25, 6.5, -24.125, 21.5, 4.0,
        2, 0.375, 0.03, 0.125, 0.625);
    SegmentResult plain = Calls.segment(0, 1.0, 3.5, Speaker.CALLER, -1, 0.12, 0.1, 0.2, 0.7);
    SegmentResult voiced = new SegmentResult(plain.index(), plain.start(), plain.end(), plain.speaker(),
        plain.channel(), plain.scores(), plain.negativeProbability(), false, java.util.Optional.of(cues));
    SegmentResult unvoiced = new SegmentResult(1, 4.0, 4.5, Speaker.CALLER, -1, plain.scores(),
        plain.negativeProbability(), true);

    JsonNode on = JsonFormat.MAPPER.readTree(JsonFormat.MAPPER.writeValueAsString(
        JsonFormat.segment(voiced, Calls.manifest(), true)));
    assertThat(on.at("/prosody/pitchHz").asDouble()).isEqualTo(182.25);
    assertThat(on.at("/prosody/pitchRangeSemitones").asDouble()).isEqualTo(6.5);
    assertThat(on.at("/prosody/energyDbfs").asDouble()).isEqualTo(-24.125);
    assertThat(on.at("/prosody/energyRangeDb").asDouble()).isEqualTo(21.5);
    assertThat(on.at("/prosody/syllableRate").asDouble()).isEqualTo(4.0);
    assertThat(on.at("/prosody/pauseCount").isInt()).isTrue();
    assertThat(on.at("/prosody/pauseCount").asInt()).isEqualTo(2);
    assertThat(on.at("/prosody/pauseSeconds").asDouble()).isEqualTo(0.375);
    assertThat(on.at("/prosody/jitter").asDouble()).isEqualTo(0.03);
    assertThat(on.at("/prosody/shimmer").asDouble()).isEqualTo(0.125);
    assertThat(on.at("/prosody/voicedFraction").asDouble()).isEqualTo(0.625);
    assertThat(JsonFormat.segment(unvoiced, Calls.manifest(), true).get("prosody").isNull()).isTrue();
    assertThat(JsonFormat.segment(voiced, Calls.manifest(), false).has("prosody")).as("not asked for").isFalse();

    StringWriter sw = new StringWriter();
    PrintWriter pw = new PrintWriter(sw);
    pw.println(CsvFormat.header(Calls.manifest(), true));
    CsvFormat.rows(pw, "x.wav", Calls.manifest(), List.of(voiced, unvoiced), true);
    pw.flush();
    List<String> lines = sw.toString().lines().toList();
    assertThat(lines.get(0)).isEqualTo("file,index,start,end,short,speaker,channel,negative_probability,top_label,selected,"
        + "pitch_hz,pitch_range_st,energy_dbfs,energy_range_db,syllable_rate,pause_count,pause_s,jitter,shimmer,"
        + "voiced_fraction,negative.not_negative,negative.negative,emotion.anger,emotion.sadness,emotion.neutral");
    assertThat(lines.get(1)).isEqualTo("x.wav,0,1.000000,3.500000,false,caller,-1,0.120000,neutral,"
        + "negative.not_negative emotion.neutral,182.250000,6.500000,-24.125000,21.500000,4.000000,2,0.375000,"
        + "0.030000,0.125000,0.625000,0.880000,0.120000,0.100000,0.200000,0.700000");
    assertThat(lines.get(2)).as("no cues: ten empty cells").contains("emotion.neutral,,,,,,,,,,,0.880000");

    assertThat(TableFormat.voiceLine(voiced)).isEqualTo("                    voice: pitch 182 Hz, range 6.5 st;"
        + " loudness -24.1 dBFS, range 21.5 dB; 4.0 syllables/s; 2 pauses (0.38 s); jitter 3.0 %, shimmer 12.5 %");
    assertThat(TableFormat.voiceLine(unvoiced)).endsWith("voice: - (no voiced speech to measure)");
    StringWriter table = new StringWriter();
    CallAnalysis call = new CallAnalysis("m", 5, List.of(voiced, unvoiced), Calls.call(false).caller(),
        java.util.Optional.empty());
    TableFormat.print(new PrintWriter(table), "x.wav", Calls.manifest(), call, true);
    List<String> rows = table.toString().lines().toList();
    assertThat(rows.get(2)).isEqualTo(TableFormat.segmentRow(voiced, Calls.manifest()));
    assertThat(rows.get(3)).isEqualTo(TableFormat.voiceLine(voiced));
    assertThat(rows.get(5)).isEqualTo(TableFormat.voiceLine(unvoiced));
    StringWriter without = new StringWriter();
    TableFormat.print(new PrintWriter(without), "x.wav", Calls.manifest(), call, false);
    assertThat(without.toString()).doesNotContain("voice:");
  }

  @Test
  void csvHasOneRowPerSegmentAndAColumnPerLabel() {
    CallAnalysis call = Calls.call(false);
    StringWriter sw = new StringWriter();
    PrintWriter pw = new PrintWriter(sw);
    pw.println(CsvFormat.header(Calls.manifest(), false));
    CsvFormat.rows(pw, "dir, with comma/x.wav", Calls.manifest(), call.segments(), false);
    pw.flush();
    List<String> lines = sw.toString().lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).isEqualTo("file,index,start,end,short,speaker,channel,negative_probability,top_label,selected,"
        + "negative.not_negative,negative.negative,emotion.anger,emotion.sadness,emotion.neutral");
    assertThat(lines.get(2)).isEqualTo("\"dir, with comma/x.wav\",1,4.000000,7.250000,false,caller,-1,0.910000,anger,"
        + "negative.negative emotion.anger,0.090000,0.910000,0.800000,0.150000,0.050000");
  }

  @Test
  void quotesFollowRfc4180() {
    assertThat(CsvFormat.quote("plain")).isEqualTo("plain");
    assertThat(CsvFormat.quote("a\"b")).isEqualTo("\"a\"\"b\"");
    assertThat(CsvFormat.quote("a\nb")).isEqualTo("\"a\nb\"");
  }
}
