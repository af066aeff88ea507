package io.github.tingxin.cli;

import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.CallSummary;
import io.github.tingxin.api.Label;
import io.github.tingxin.api.LabelScore;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.Speaker;
import io.github.tingxin.api.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/** Hand-made analyses for the formatters' tests: known numbers, two heads, Chinese names. */
final class Calls {
  static final Label NOT_NEG = new Label("not_negative", "not negative", "非负面", false);
  static final Label NEG = new Label("negative", "negative", "负面", true);
  static final Label ANGER = new Label("anger", "anger", "愤怒", true);
  static final Label SAD = new Label("sadness", "sadness", "悲伤", true);
  static final Label NEUTRAL = new Label("neutral", "neutral", "中性", false);

  private Calls() {}

  static ModelManifest manifest() {
    return new ModelManifest(1, "test-model", "1.2.3", "CC0-1.0", "a test", 16000,
        new ModelManifest.FeatureRecipe("kaldi-fbank", Map.of("num_mel_bins", 64)),
        new ModelManifest.InputSpec("features", ModelManifest.Layout.BATCH_TIME_FEATURE, Optional.of("lengths"), 0),
        List.of(new ModelManifest.Head("negative", Task.BINARY, "negative_logits", ModelManifest.Activation.SOFTMAX,
                List.of(NOT_NEG, NEG), List.of(0.5, 0.5), List.of()),
            new ModelManifest.Head("emotion", Task.MULTI_CLASS, "emotion_logits", ModelManifest.Activation.SOFTMAX,
                List.of(ANGER, SAD, NEUTRAL), List.of(), List.of())),
        Optional.of("negative"), new ModelManifest.SegmentLimits(2.0, 8),
        new ModelManifest.Provenance("nothing", "none", "none", ""));
  }

  /** A segment with negative probability {@code p} and emotion probabilities {@code a, s, n}. */
  static SegmentResult segment(int index, double start, double end, Speaker who, int channel, double p, double a,
      double s, double n) {
    return segment(index, start, end, who, channel, p, a, s, n, false);
  }

  /** As above, flagged short ({@link SegmentResult#shortInput()}) or not. */
  static SegmentResult segment(int index, double start, double end, Speaker who, int channel, double p, double a,
      double s, double n, boolean shortInput) {
    double top = Math.max(a, Math.max(s, n));
    List<LabelScore> scores = List.of(
        new LabelScore("negative", NOT_NEG, 1 - p, 0.5, 1 - p >= 0.5),
        new LabelScore("negative", NEG, p, 0.5, p >= 0.5),
        new LabelScore("emotion", ANGER, a, 0.5, a == top),
        new LabelScore("emotion", SAD, s, 0.5, s == top),
        new LabelScore("emotion", NEUTRAL, n, 0.5, n == top));
    return new SegmentResult(index, start, end, who, channel, scores, OptionalDouble.of(p), shortInput);
  }

  static CallAnalysis call(boolean withOperator) {
    List<SegmentResult> segs = new ArrayList<>();
    segs.add(segment(0, 1.0, 3.5, Speaker.CALLER, withOperator ? 0 : -1, 0.12, 0.1, 0.2, 0.7));
    segs.add(segment(1, 4.0, 7.25, Speaker.CALLER, withOperator ? 0 : -1, 0.91, 0.8, 0.15, 0.05));
    if (withOperator) {
      segs.add(segment(0, 7.5, 9.0, Speaker.OPERATOR, 1, 0.05, 0.05, 0.05, 0.9, true)); // under the 2 s minimum
    }
    segs.add(segment(2, 9.5, 12.0, Speaker.CALLER, withOperator ? 0 : -1, 0.66, 0.1, 0.7, 0.2));
    CallSummary caller = new CallSummary(Speaker.CALLER, 3, 0, 8.25, of(5.75), of(5.75 / 8.25), of(5.75),
        List.of(segs.get(1), segs.get(withOperator ? 3 : 2)), Optional.of(new CallSummary.Trend(0.12, 0.66)),
        List.of(new CallSummary.LabelSummary("negative", NEG, of(0.6), of(0.91), of(0.7)),
            new CallSummary.LabelSummary("emotion", ANGER, of(0.35), of(0.8), of(0.39))),
        of(14.5), 0.5);
    Optional<CallSummary> operator = withOperator
        ? Optional.of(new CallSummary(Speaker.OPERATOR, 1, 1, 1.5, of(0), of(0), of(0), List.of(segs.get(2)),
            Optional.of(new CallSummary.Trend(0.05, 0.05)), List.of(), of(0), 0.5))
        : Optional.empty();
    return new CallAnalysis("test-model 1.2.3", 12.5, segs, caller, operator);
  }

  /** A summary of no speech: every figure that needs a segment is empty. */
  static CallSummary silent(Speaker who) {
    OptionalDouble none = OptionalDouble.empty();
    return new CallSummary(who, 0, 0, 0, none, none, none, List.of(), Optional.empty(),
        List.of(new CallSummary.LabelSummary("negative", NEG, none, none, none)), none, 0.5);
  }

  private static OptionalDouble of(double value) {
    return OptionalDouble.of(value);
  }
}
