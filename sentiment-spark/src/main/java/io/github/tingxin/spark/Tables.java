package io.github.tingxin.spark;

import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.CallSummary;
import io.github.tingxin.api.Label;
import io.github.tingxin.api.LabelScore;
import io.github.tingxin.api.SegmentResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The tables' columns, and the one "outcome" row per input row they are all cut from: the call's ids, either
 * its summary and segments or its error. Figures without a value (a summary of no speech, a model without
 * negative labels) and scores that are NaN (a head that does not apply) are written as null.
 */
final class Tables {
  static final String SEGMENTS = "segments";
  static final String CALLS = "calls";
  static final String ERRORS = "errors";
  static final String CALLERS = "callers";

  /** The columns that name a call in every table. */
  static final List<String> ID_COLUMNS = List.of("call_id", "caller_id", "path", "channel_selection", "started_at");

  private static final List<String> CALL_FIGURES = List.of("duration_s", "segments", "short_segments", "speech_s",
      "negative_s",
      "negative_share", "longest_negative_run_s", "trend_start", "trend_end", "trend_change", "changes_per_minute",
      "negative_threshold");
  private static final List<String> OPERATOR_FIGURES = List.of("operator_segments", "operator_speech_s",
      "operator_negative_s", "operator_negative_share");

  private Tables() {}

  static StructType outcomeSchema(LabelColumns labels) {
    List<StructField> f = new ArrayList<>();
    for (String id : ID_COLUMNS) {
      f.add(DataTypes.createStructField(id, DataTypes.StringType, !id.equals("call_id") && !id.equals("path")));
    }
    f.add(DataTypes.createStructField("ok", DataTypes.BooleanType, false));
    f.add(DataTypes.createStructField("error_code", DataTypes.StringType, true));
    f.add(DataTypes.createStructField("error_message", DataTypes.StringType, true));
    f.add(DataTypes.createStructField("model", DataTypes.StringType, false));
    f.add(DataTypes.createStructField("duration_s", DataTypes.DoubleType, true));
    f.add(DataTypes.createStructField("segments", DataTypes.IntegerType, true));
    f.add(DataTypes.createStructField("short_segments", DataTypes.IntegerType, true));
    for (String name : CALL_FIGURES.subList(3, CALL_FIGURES.size())) {
      f.add(DataTypes.createStructField(name, DataTypes.DoubleType, true));
    }
    for (String stat : List.of("mean", "max", "share")) {
      for (int i = 0; i < labels.size(); i++) {
        f.add(DataTypes.createStructField(stat + "_" + labels.suffix(i), DataTypes.DoubleType, true));
      }
    }
    f.add(DataTypes.createStructField("operator_segments", DataTypes.IntegerType, true));
    for (String name : OPERATOR_FIGURES.subList(1, OPERATOR_FIGURES.size())) {
      f.add(DataTypes.createStructField(name, DataTypes.DoubleType, true));
    }
    f.add(DataTypes.createStructField("segment_rows", DataTypes.createArrayType(segmentSchema(labels), false), true));
    return DataTypes.createStructType(f);
  }

  static StructType segmentSchema(LabelColumns labels) {
    List<StructField> f = new ArrayList<>();
    f.add(DataTypes.createStructField("segment_index", DataTypes.IntegerType, false));
    f.add(DataTypes.createStructField("speaker", DataTypes.StringType, false));
    f.add(DataTypes.createStructField("channel", DataTypes.IntegerType, false));
    f.add(DataTypes.createStructField("start_s", DataTypes.DoubleType, false));
    f.add(DataTypes.createStructField("end_s", DataTypes.DoubleType, false));
    f.add(DataTypes.createStructField("short_input", DataTypes.BooleanType, false));
    f.add(DataTypes.createStructField("negative_probability", DataTypes.DoubleType, true));
    f.add(DataTypes.createStructField("top_label", DataTypes.StringType, true));
    f.add(DataTypes.createStructField("selected_labels",
        DataTypes.createArrayType(DataTypes.StringType, false), false));
    for (int i = 0; i < labels.size(); i++) {
      f.add(DataTypes.createStructField("score_" + labels.suffix(i), DataTypes.DoubleType, true));
    }
    return DataTypes.createStructType(f);
  }

  /** The calls table's columns, in order. */
  static Column[] callColumns(LabelColumns labels) {
    List<String> names = new ArrayList<>(ID_COLUMNS);
    names.add("model");
    names.addAll(CALL_FIGURES);
    for (String stat : List.of("mean", "max", "share")) {
      for (int i = 0; i < labels.size(); i++) {
        names.add(stat + "_" + labels.suffix(i));
      }
    }
    names.addAll(OPERATOR_FIGURES);
    return names.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
  }

  /** The errors table's columns, in order. */
  static Column[] errorColumns() {
    List<String> names = new ArrayList<>(ID_COLUMNS);
    names.addAll(List.of("model", "error_code", "error_message"));
    return names.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
  }

  static Row ok(CallTask task, CallAnalysis call, LabelColumns labels) {
    List<Object> v = ids(task);
    v.add(true);
    v.add(null);
    v.add(null);
    v.add(call.model());
    v.add(call.durationSeconds());
    CallSummary c = call.caller();
    v.add(c.segments());
    v.add(c.shortSegments());
    v.add(c.speechSeconds());
    v.add(orNull(c.negativeSeconds()));
    v.add(orNull(c.negativeShare()));
    v.add(orNull(c.longestNegativeRunSeconds()));
    v.add(c.trend().map(t -> finiteOrNull(t.start())).orElse(null));
    v.add(c.trend().map(t -> finiteOrNull(t.end())).orElse(null));
    v.add(c.trend().map(t -> finiteOrNull(t.change())).orElse(null));
    v.add(orNull(c.changesPerMinute()));
    v.add(c.negativeThreshold());
    Double[] mean = new Double[labels.size()];
    Double[] max = new Double[labels.size()];
    Double[] share = new Double[labels.size()];
    for (CallSummary.LabelSummary s : c.labels()) {
      int i = labels.indexOf(s.head(), s.label().id());
      if (i >= 0) {
        mean[i] = orNull(s.mean());
        max[i] = orNull(s.max());
        share[i] = orNull(s.selectedShare());
      }
    }
    v.addAll(Arrays.asList(mean));
    v.addAll(Arrays.asList(max));
    v.addAll(Arrays.asList(share));
    Optional<CallSummary> op = call.operator();
    v.add(op.map(CallSummary::segments).orElse(null));
    v.add(op.map(CallSummary::speechSeconds).orElse(null));
    v.add(op.map(o -> orNull(o.negativeSeconds())).orElse(null));
    v.add(op.map(o -> orNull(o.negativeShare())).orElse(null));
    List<Row> segments = new ArrayList<>(call.segments().size());
    for (SegmentResult s : call.segments()) {
      segments.add(segment(s, labels));
    }
    v.add(seq(segments));
    return RowFactory.create(v.toArray());
  }

  static Row error(CallTask task, String model, String code, String message, LabelColumns labels) {
    List<Object> v = ids(task);
    v.add(false);
    v.add(code);
    v.add(message);
    v.add(model);
    int width = outcomeSchema(labels).size();
    while (v.size() < width) {
      v.add(null);
    }
    return RowFactory.create(v.toArray());
  }

  private static List<Object> ids(CallTask task) {
    List<Object> v = new ArrayList<>();
    v.add(task.callId());
    v.add(task.callerId());
    v.add(task.path());
    v.add(task.channel());
    v.add(task.startedAt());
    return v;
  }

  private static Row segment(SegmentResult s, LabelColumns labels) {
    Object[] v = new Object[9 + labels.size()];
    v[0] = s.index();
    v[1] = s.speaker().name().toLowerCase(java.util.Locale.ROOT);
    v[2] = s.channel();
    v[3] = s.start();
    v[4] = s.end();
    v[5] = s.shortInput();
    v[6] = orNull(s.negativeProbability());
    v[7] = s.topLabel().map(Label::id).orElse(null);
    v[8] = seq(s.selectedLabels().stream().map(Label::id).toList());
    for (LabelScore score : s.scores()) {
      int i = labels.indexOf(score.head(), score.label().id());
      if (i >= 0) {
        v[9 + i] = finiteOrNull(score.score());
      }
    }
    return RowFactory.create(v);
  }

  /** Spark's row encoder takes Scala sequences for array columns. */
  private static <T> scala.collection.immutable.Seq<T> seq(List<T> list) {
    return scala.jdk.javaapi.CollectionConverters.asScala(list).toList();
  }

  private static Double finiteOrNull(double d) {
    return Double.isFinite(d) ? d : null;
  }

  private static Double orNull(OptionalDouble d) {
    return d.isPresent() ? finiteOrNull(d.getAsDouble()) : null;
  }
}
