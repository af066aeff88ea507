package io.github.tingxin.core.recognizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.tingxin.api.CallSummary;
import io.github.tingxin.api.LabelScore;
import io.github.tingxin.api.ModelManifest.Head;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.Speaker;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class CallSummariesTest {
  private static final Head HEAD = TestModels.HEADS.get(0);

  private static SegmentResult seg(int i, double start, double end, double negative) {
    List<LabelScore> scores = List.of(
        new LabelScore("negative", HEAD.labels().get(0), 1 - negative, 0.5, 1 - negative >= 0.5),
        new LabelScore("negative", HEAD.labels().get(1), negative, 0.5, negative >= 0.5));
    return new SegmentResult(i, start, end, Speaker.CALLER, -1, scores, OptionalDouble.of(negative));
  }

  @Test
  void everyFigureOfAKnownTimeline() {
    List<SegmentResult> s = new ArrayList<>();
    s.add(seg(0, 0, 2, 0.2));   // not
    s.add(seg(1, 3, 4, 0.9));   // neg  run of 1 s
    s.add(seg(2, 4, 7, 0.6));   // neg  + 3 s = 4 s
    s.add(seg(3, 8, 9, 0.1));   // not
    s.add(seg(4, 10, 13, 0.7)); // neg  run 3 s
    s.add(seg(5, 13, 15, 0.5)); // neg (at threshold): run of 3 + 2 = 5 s
    CallSummary c = CallSummaries.summarize(Speaker.CALLER, s, List.of(HEAD), 0.5);
    assertThat(c.segments()).isEqualTo(6);
    assertThat(c.shortSegments()).isZero();
    assertThat(c.speechSeconds()).isEqualTo(12);
    assertThat(c.negativeSeconds()).hasValue(1 + 3 + 3 + 2);
    assertThat(c.negativeShare()).hasValue(9 / 12.0);
    assertThat(c.longestNegativeRunSeconds()).hasValue(5);
    assertThat(c.peaks()).extracting(SegmentResult::index).containsExactly(1, 4, 2);
    CallSummary.Trend trend = c.trend().orElseThrow();
    // speech laid end to end: 12 s; first third [0,4): seg0 (2 s @0.2), seg1 (1 s @0.9), 1 s of seg2 @0.6
    assertThat(trend.start()).isCloseTo((2 * 0.2 + 0.9 + 0.6) / 4, within(1e-12));
    // cumulative ends: 2, 3, 6, 7, 10, 12 -> last third [8,12): 2 s of seg4 @0.7, 2 s of seg5 @0.5
    assertThat(trend.end()).isCloseTo((2 * 0.7 + 2 * 0.5) / 4, within(1e-12));
    // switches: not->neg, neg->not, not->neg = 3 in 12 s of speech = 15 per minute
    assertThat(c.changesPerMinute().getAsDouble()).isCloseTo(15, within(1e-12));
    CallSummary.LabelSummary neg = c.labels().get(1);
    assertThat(neg.label().id()).isEqualTo("negative");
    assertThat(neg.mean().getAsDouble())
        .isCloseTo((2 * 0.2 + 0.9 + 3 * 0.6 + 0.1 + 3 * 0.7 + 2 * 0.5) / 12, within(1e-12));
    assertThat(neg.max()).hasValue(0.9);
    assertThat(neg.selectedShare()).hasValue(9 / 12.0);
    assertThat(c.negativeThreshold()).isEqualTo(0.5);
  }

  @Test
  void aNegativeRunCountsSpeechNotTheOtherPartysTurnsBetween() {
    // An operator's negative segments 30 s apart, with the caller talking in between: 4 s of negative
    // speech, not a 32 s run.
    List<SegmentResult> s = List.of(seg(0, 0, 2, 0.9), seg(1, 30, 32, 0.8), seg(2, 40, 41, 0.1), seg(3, 50, 51, 0.7));
    CallSummary c = CallSummaries.summarize(Speaker.OPERATOR, s, List.of(HEAD), 0.5);
    assertThat(c.longestNegativeRunSeconds()).hasValue(4);
    assertThat(c.negativeSeconds()).hasValue(5);
  }

  @Test
  void overlappingWindowsCountEachInstantOnceForTheWindowCentredNearest() {
    // windows of 2 s every 1 s over [0, 4.5), and the region's tail window [2.5, 4.5)
    List<SegmentResult> s = List.of(seg(0, 0, 2, 0.9), seg(1, 1, 3, 0.1), seg(2, 2, 4, 0.9), seg(3, 2.5, 4.5, 0.1));
    CallSummary c = CallSummaries.summarize(Speaker.CALLER, s, List.of(HEAD), 0.5);
    // centres 1, 2, 3, 3.5: boundaries 1.5, 2.5, 3.25 -> attributed 1.5, 1, 0.75, 1.25
    assertThat(c.speechSeconds()).isEqualTo(4.5);
    assertThat(c.negativeSeconds()).hasValue(1.5 + 0.75);
    assertThat(c.negativeShare()).hasValue(2.25 / 4.5);
    assertThat(c.labels().get(1).mean().getAsDouble())
        .isCloseTo((1.5 * 0.9 + 1 * 0.1 + 0.75 * 0.9 + 1.25 * 0.1) / 4.5, within(1e-12));
    assertThat(c.longestNegativeRunSeconds()).hasValue(1.5);
    double[] attributed = SpeechTime.attributed(s);
    assertThat(attributed).containsExactly(1.5, 1, 0.75, 1.25);
  }

  @Test
  void noSpeechGivesNoFiguresRatherThanZeros() {
    CallSummary c = CallSummaries.summarize(Speaker.OPERATOR, List.of(), List.of(HEAD), 0.5);
    assertThat(c.segments()).isZero();
    assertThat(c.speechSeconds()).isZero();
    assertThat(c.negativeSeconds()).isEmpty();
    assertThat(c.negativeShare()).isEmpty();
    assertThat(c.longestNegativeRunSeconds()).isEmpty();
    assertThat(c.changesPerMinute()).isEmpty();
    assertThat(c.peaks()).isEmpty();
    assertThat(c.trend()).isEmpty();
    assertThat(c.labels()).hasSize(2).allSatisfy(l -> {
      assertThat(l.mean()).isEmpty();
      assertThat(l.max()).isEmpty();
      assertThat(l.selectedShare()).isEmpty();
    });
  }

  @Test
  void withoutNegativeProbabilitiesTheNegativeFiguresAreEmptyAndShortSegmentsAreCounted() {
    List<LabelScore> scores = List.of(
        new LabelScore("negative", HEAD.labels().get(0), 0.7, 0.5, true),
        new LabelScore("negative", HEAD.labels().get(1), Double.NaN, 0.5, false));
    List<SegmentResult> s = List.of(
        new SegmentResult(0, 0, 0.4, Speaker.CALLER, -1, scores, OptionalDouble.empty(), true),
        new SegmentResult(1, 1, 3, Speaker.CALLER, -1, scores, OptionalDouble.empty(), false));
    CallSummary c = CallSummaries.summarize(Speaker.CALLER, s, List.of(HEAD), 0.5);
    assertThat(c.shortSegments()).isEqualTo(1);
    assertThat(c.speechSeconds()).isCloseTo(2.4, within(1e-12));
    assertThat(c.negativeSeconds()).isEmpty();
    assertThat(c.trend()).isEmpty();
    assertThat(c.changesPerMinute()).isEmpty();
    assertThat(c.labels().get(0).mean()).hasValue(0.7);
    assertThat(c.labels().get(1).mean()).as("NaN scores have no mean").isEmpty();
  }
}
