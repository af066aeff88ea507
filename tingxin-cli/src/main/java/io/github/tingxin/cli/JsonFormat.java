package io.github.tingxin.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.tingxin.api.Alert;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.CallSummary;
import io.github.tingxin.api.Label;
import io.github.tingxin.api.LabelScore;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ProsodicCues;
import io.github.tingxin.api.SegmentResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The JSON output, built as a Jackson tree so that the field names are the documented ones (docs/cli.md)
 * and independent of the API's Java names. Thread-safe (the mapper is only read).
 */
final class JsonFormat {
  static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonFormat() {}

  /** The analysis of one file; with {@code prosody}, each segment's cues (null where it has none). */
  static ObjectNode analysis(String file, ModelManifest model, CallAnalysis call, boolean prosody) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("file", file);
    root.set("model", model(model));
    root.put("durationSeconds", call.durationSeconds());
    ArrayNode segments = root.putArray("segments");
    for (SegmentResult s : call.segments()) {
      segments.add(segment(s, model, prosody));
    }
    ObjectNode summary = root.putObject("summary");
    summary.set("caller", summary(call.caller()));
    if (call.operator().isPresent()) {
      summary.set("operator", summary(call.operator().get()));
    } else {
      summary.putNull("operator");
    }
    return root;
  }

  static ObjectNode model(ModelManifest m) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("name", m.name());
    node.put("version", m.version());
    node.put("sampleRate", m.sampleRate());
    ArrayNode heads = node.putArray("heads");
    for (ModelManifest.Head h : m.heads()) {
      ObjectNode head = heads.addObject();
      head.put("name", h.name());
      head.put("task", h.task().jsonName());
      ArrayNode labels = head.putArray("labels");
      for (int i = 0; i < h.labels().size(); i++) {
        Label l = h.labels().get(i);
        ObjectNode label = labels.addObject();
        label.put("id", l.id());
        label.put("english", l.english());
        label.put("chinese", l.chinese());
        label.put("negative", l.negative());
        label.put("threshold", h.thresholds().get(i));
      }
    }
    return node;
  }

  static ObjectNode segment(SegmentResult s, ModelManifest model, boolean prosody) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("index", s.index());
    node.put("start", s.start());
    node.put("end", s.end());
    node.put("speaker", TableFormat.speaker(s.speaker()));
    node.put("channel", s.channel());
    node.put("short", s.shortInput());
    putOptional(node, "negativeProbability", s.negativeProbability());
    java.util.Optional<Label> top = Labels.top(s, model);
    if (top.isPresent()) {
      node.put("topLabel", top.get().id());
    } else {
      node.putNull("topLabel");
    }
    // head -> label -> score, and head -> [selected labels]: label ids are unique within a head only.
    Map<String, ObjectNode> scoresByHead = new LinkedHashMap<>();
    Map<String, ArrayNode> selectedByHead = new LinkedHashMap<>();
    ObjectNode scores = node.putObject("scores");
    ObjectNode selected = node.putObject("selected");
    for (LabelScore ls : s.scores()) {
      number(scoresByHead.computeIfAbsent(ls.head(), scores::putObject), ls.label().id(), ls.score());
      ArrayNode sel = selectedByHead.computeIfAbsent(ls.head(), selected::putArray);
      if (ls.selected()) {
        sel.add(ls.label().id());
      }
    }
    if (prosody) {
      if (s.prosody().isPresent()) {
        ProsodicCues p = s.prosody().get();
        ObjectNode cues = node.putObject("prosody");
        cues.put("pitchHz", p.pitchHz());
        cues.put("pitchRangeSemitones", p.pitchRangeSemitones());
        cues.put("energyDbfs", p.energyDbfs());
        cues.put("energyRangeDb", p.energyRangeDb());
        cues.put("syllableRate", p.syllableRate());
        cues.put("pauseCount", p.pauseCount());
        cues.put("pauseSeconds", p.pauseSeconds());
        cues.put("jitter", p.jitter());
        cues.put("shimmer", p.shimmer());
        cues.put("voicedFraction", p.voicedFraction());
      } else {
        node.putNull("prosody");
      }
    }
    return node;
  }

  static ObjectNode summary(CallSummary c) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("speaker", TableFormat.speaker(c.speaker()));
    node.put("segments", c.segments());
    node.put("shortSegments", c.shortSegments());
    number(node, "speechSeconds", c.speechSeconds());
    putOptional(node, "negativeSeconds", c.negativeSeconds());
    putOptional(node, "negativeShare", c.negativeShare());
    node.put("negativeThreshold", c.negativeThreshold());
    putOptional(node, "longestNegativeRunSeconds", c.longestNegativeRunSeconds());
    putOptional(node, "changesPerMinute", c.changesPerMinute());
    if (c.trend().isPresent()) {
      ObjectNode trend = node.putObject("trend");
      number(trend, "start", c.trend().get().start());
      number(trend, "end", c.trend().get().end());
      number(trend, "change", c.trend().get().change());
    } else {
      node.putNull("trend");
    }
    ArrayNode peaks = node.putArray("peaks");
    for (SegmentResult p : c.peaks()) {
      ObjectNode peak = peaks.addObject();
      peak.put("index", p.index());
      peak.put("start", p.start());
      peak.put("end", p.end());
      putOptional(peak, "negativeProbability", p.negativeProbability());
    }
    ArrayNode labels = node.putArray("labels");
    for (CallSummary.LabelSummary l : c.labels()) {
      ObjectNode label = labels.addObject();
      label.put("head", l.head());
      label.put("label", l.label().id());
      putOptional(label, "mean", l.mean());
      putOptional(label, "max", l.max());
      putOptional(label, "selectedShare", l.selectedShare());
    }
    return node;
  }

  /** One line of the stream's JSON Lines output for a closed segment. */
  static ObjectNode segmentEvent(SegmentResult s, ModelManifest model, boolean prosody) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("type", "segment");
    node.setAll(segment(s, model, prosody));
    return node;
  }

  /** One line of the stream's JSON Lines output for an alert. */
  static ObjectNode alertEvent(Alert a) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("type", "alert");
    node.put("at", a.at());
    node.put("negativeSpeechSeconds", a.negativeSpeechSeconds());
    ObjectNode rule = node.putObject("rule");
    rule.put("probability", a.rule().probability());
    rule.put("negativeSpeechSeconds", a.rule().negativeSpeechSeconds());
    rule.put("windowSeconds", a.rule().windowSeconds());
    node.put("triggerIndex", a.trigger().index());
    return node;
  }

  /** A number, or null where it is not finite (JSON has no NaN; a score not computed is absent). */
  private static void number(ObjectNode node, String field, double value) {
    if (Double.isFinite(value)) {
      node.put(field, value);
    } else {
      node.putNull(field);
    }
  }

  private static void putOptional(ObjectNode node, String field, OptionalDouble value) {
    if (value.isPresent()) {
      number(node, field, value.getAsDouble());
    } else {
      node.putNull(field);
    }
  }
}
