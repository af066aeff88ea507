package io.github.tingxin.spark;

import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.CallSummary;
import io.github.tingxin.api.Label;
import io.github.tingxin.api.LabelScore;
import io.github.tingxin.api.ProsodicCues;
import io.github.tingxin.api.SegmentResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The tables' columns, and their rows cut from one call's analysis or error. A row is an {@code Object[]} in
 * column order: {@code String}, {@code Integer}, {@code Double}, {@code Boolean}, or a {@code List<String>} for
 * {@code selected_labels}; null for none. Figures without a value (a summary of no speech, a model without
 * negative labels) and scores that are NaN (a head that does not apply) are null.
 */
final class Tables {
  static final String SEGMENTS = "segments";
  static final String CALLS = "calls";
  static final String ERRORS = "errors";
  static final String CALLERS = "callers";

  /** The columns that name a call in the calls and errors tables. */
  static final List<String> ID_COLUMNS = List.of("call_id", "caller_id", "path", "channel_selection", "started_at");

  /**
   * The segments' prosodic cue columns ({@link ProsodicCues#COLUMNS}), null where the run did not ask for them
   * ({@code RecognizerSettings.prosody}) or the segment had no voiced speech; {@code pause_count} is an
   * integer, the rest doubles.
   */
  static final List<String> PROSODY_COLUMNS = ProsodicCues.COLUMNS;

  /** The fixed columns of the segments table, before the scores. */
  private static final int SEGMENT_FIXED = 12 + PROSODY_COLUMNS.size();

  private static final List<String> CALL_FIGURES = List.of("segments", "short_segments", "speech_s", "negative_s",
      "negative_share", "longest_negative_run_s", "trend_start", "trend_end", "trend_change", "changes_per_minute",
      "negative_threshold");

  private Tables() {}

  /** The segments table: one row per scored segment. */
  static StructType segmentsSchema(LabelColumns labels) {
    List<StructField> f = new ArrayList<>();
    f.add(string("call_id"));
    f.add(string("caller_id"));
    f.add(string("channel_selection"));
    f.add(field("segment_index", DataTypes.IntegerType));
    f.add(string("speaker"));
    f.add(field("channel", DataTypes.IntegerType));
    f.add(field("start_s", DataTypes.DoubleType));
    f.add(field("end_s", DataTypes.DoubleType));
    f.add(field("short_input", DataTypes.BooleanType));
    f.add(field("negative_probability", DataTypes.DoubleType));
    f.add(string("top_label"));
    f.add(field("selected_labels", DataTypes.createArrayType(DataTypes.StringType, false)));
    for (String name : PROSODY_COLUMNS) {
      f.add(field(name, name.equals("pause_count") ? DataTypes.IntegerType : DataTypes.DoubleType));
    }
    for (int i = 0; i < labels.size(); i++) {
      f.add(field("score_" + labels.suffix(i), DataTypes.DoubleType));
    }
    return DataTypes.createStructType(f);
  }

  /** The calls table: one row per call analysed. */
  static StructType callsSchema(LabelColumns labels) {
    List<StructField> f = new ArrayList<>();
    ID_COLUMNS.forEach(c -> f.add(string(c)));
    f.add(string("model"));
    f.add(field("duration_s", DataTypes.DoubleType));
    f.add(field("segments", DataTypes.IntegerType));
    f.add(field("short_segments", DataTypes.IntegerType));
    for (String name : CALL_FIGURES.subList(2, CALL_FIGURES.size())) {
      f.add(field(name, DataTypes.DoubleType));
    }
    for (String stat : List.of("mean", "max", "share")) {
      for (int i = 0; i < labels.size(); i++) {
        f.add(field(stat + "_" + labels.suffix(i), DataTypes.DoubleType));
      }
    }
    f.add(field("operator_segments", DataTypes.IntegerType));
    for (String name : List.of("operator_speech_s", "operator_negative_s", "operator_negative_share")) {
      f.add(field(name, DataTypes.DoubleType));
    }
    return DataTypes.createStructType(f);
  }

  /** The errors table: one row per input that could not be analysed. */
  static StructType errorsSchema() {
    List<StructField> f = new ArrayList<>();
    ID_COLUMNS.forEach(c -> f.add(string(c)));
    f.add(string("model"));
    f.add(string("error_code"));
    f.add(string("error_message"));
    return DataTypes.createStructType(f);
  }

  private static StructField string(String name) {
    return field(name, DataTypes.StringType);
  }

  /** Every column may be null, as Spark reads every Parquet column. */
  private static StructField field(String name, DataType type) {
    return DataTypes.createStructField(name, type, true);
  }

  static Object[] callRow(CallTask task, CallAnalysis call, LabelColumns labels) {
    List<Object> v = ids(task);
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
    return v.toArray();
  }

  static Object[] errorRow(CallTask task, String model, String code, String message) {
    List<Object> v = ids(task);
    v.add(model);
    v.add(code);
    v.add(message);
    return v.toArray();
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

  static Object[] segmentRow(CallTask task, SegmentResult s, LabelColumns labels) {
    Object[] v = new Object[SEGMENT_FIXED + labels.size()];
    v[0] = task.callId();
    v[1] = task.callerId();
    v[2] = task.channel();
    v[3] = s.index();
    v[4] = s.speaker().name().toLowerCase(Locale.ROOT);
    v[5] = s.channel();
    v[6] = s.start();
    v[7] = s.end();
    v[8] = s.shortInput();
    v[9] = orNull(s.negativeProbability());
    v[10] = s.topLabel().map(Label::id).orElse(null);
    v[11] = s.selectedLabels().stream().map(Label::id).toList();
    s.prosody().ifPresent(p -> System.arraycopy(p.values().toArray(), 0, v, 12, PROSODY_COLUMNS.size()));
    for (LabelScore score : s.scores()) {
      int i = labels.indexOf(score.head(), score.label().id());
      if (i >= 0) {
        v[SEGMENT_FIXED + i] = finiteOrNull(score.score());
      }
    }
    return v;
  }

  private static Double finiteOrNull(double d) {
    return Double.isFinite(d) ? d : null;
  }

  private static Double orNull(OptionalDouble d) {
    return d.isPresent() ? finiteOrNull(d.getAsDouble()) : null;
  }
}
