package io.github.tingxin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.tingxin.api.CallAnalysis;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class FormatsTest {
  @Test
  void tableShowsEverySegmentAndTheSummary() {
    CallAnalysis call = Calls.call(true);
    StringWriter sw = new StringWriter();
    TableFormat.print(new PrintWriter(sw), "call.wav", Calls.manifest(), call);
    String text = sw.toString();
    List<String> lines = text.lines().toList();
    assertThat(lines.get(0)).isEqualTo("call.wav: 12.50 s, model test-model 1.2.3, 4 segments");
    assertThat(lines.get(1)).isEqualTo(TableFormat.SEGMENT_HEADER);
    assertThat(lines.get(3)).startsWith("    4.00     7.25  caller      0    0.910  anger 愤怒")
        .endsWith("negative,anger");
    assertThat(lines.get(4)).contains("operator").contains("0.050").contains("neutral 中性");
    assertThat(text).contains("Summary: caller").contains("Summary: operator")
        .contains("69.7 % of speech (5.8 s with negative probability >= 0.50)")
        .contains("0.120 at the start, 0.660 at the end (+0.540)")
        .contains("4.00-7.25 s (0.910)")
        .contains("14.50 per minute");
    // Chinese labels take two columns each: the decisions column starts at the same terminal column.
    int header = TableFormat.displayWidth(lines.get(1).substring(0, lines.get(1).indexOf("decisions")));
    for (String row : lines.subList(2, 6)) {
      int at = row.lastIndexOf(' ') + 1;
      assertThat(TableFormat.displayWidth(row.substring(0, at))).as(row).isEqualTo(header);
    }
    assertThat(TableFormat.displayWidth("anger 愤怒")).isEqualTo(10);
  }

  @Test
  void tableSaysSoWhenThereIsNoSpeech() {
    CallAnalysis call = new CallAnalysis("m 1", 3.0, List.of(), Calls.call(false).caller(), java.util.Optional.empty());
    StringWriter sw = new StringWriter();
    TableFormat.print(new PrintWriter(sw), "quiet.wav", Calls.manifest(), call);
    assertThat(sw.toString()).contains("no speech found");
  }

  @Test
  void jsonCarriesTheTimelineAndSummaryWithDocumentedNames() throws Exception {
    CallAnalysis call = Calls.call(true);
    String json = JsonFormat.MAPPER.writeValueAsString(JsonFormat.analysis("a.wav", Calls.manifest(), call));
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
        JsonFormat.MAPPER.writeValueAsString(JsonFormat.analysis("b.wav", Calls.manifest(), Calls.call(false))));
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
        JsonFormat.segment(s, Calls.manifest())));
    assertThat(node.at("/scores/emotion/anger").isNull()).isTrue();
    assertThat(node.at("/scores/emotion/sadness").asDouble()).isEqualTo(0.25);
    assertThat(node.get("negativeProbability").isNull()).isTrue();
    assertThat(node.get("topLabel").asText()).isEqualTo("sadness");
    StringWriter sw = new StringWriter();
    CsvFormat.rows(new PrintWriter(sw, true), "x.wav", Calls.manifest(), List.of(s));
    assertThat(sw.toString().strip()).isEqualTo("x.wav,0,1.000000,2.000000,caller,-1,,sadness,,,,,0.250000,");
  }

  @Test
  void csvHasOneRowPerSegmentAndAColumnPerLabel() {
    CallAnalysis call = Calls.call(false);
    StringWriter sw = new StringWriter();
    PrintWriter pw = new PrintWriter(sw);
    pw.println(CsvFormat.header(Calls.manifest()));
    CsvFormat.rows(pw, "dir, with comma/x.wav", Calls.manifest(), call.segments());
    pw.flush();
    List<String> lines = sw.toString().lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).isEqualTo("file,index,start,end,speaker,channel,negative_probability,top_label,selected,"
        + "negative.not_negative,negative.negative,emotion.anger,emotion.sadness,emotion.neutral");
    assertThat(lines.get(2)).isEqualTo("\"dir, with comma/x.wav\",1,4.000000,7.250000,caller,-1,0.910000,anger,"
        + "negative.negative emotion.anger,0.090000,0.910000,0.800000,0.150000,0.050000");
  }

  @Test
  void quotesFollowRfc4180() {
    assertThat(CsvFormat.quote("plain")).isEqualTo("plain");
    assertThat(CsvFormat.quote("a\"b")).isEqualTo("\"a\"\"b\"");
    assertThat(CsvFormat.quote("a\nb")).isEqualTo("\"a\nb\"");
  }
}
