package io.github.tingxin.core.recognizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tingxin.api.Alert;
import io.github.tingxin.api.AlertRule;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.Speaker;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class AlertTrackerTest {
  private static SegmentResult seg(double start, double end, double p) {
    return new SegmentResult(0, start, end, Speaker.CALLER, -1, List.of(), OptionalDouble.of(p));
  }

  @Test
  void firesOnceWhenTheRuleStartsToHoldAndAgainOnlyAfterItStopped() {
    AlertTracker t = new AlertTracker(new AlertRule(0.8, 6, 10));
    List<Alert> alerts = new ArrayList<>();
    double[][] timeline = {
        {0, 3, 0.9}, {3, 5, 0.5}, {5, 8, 0.85}, // 6 s of >= 0.8 within [-2, 8]: fires at 8
        {8, 9, 0.95},                           // still holds: no second alert
        {9, 12, 0.1}, {12, 16, 0.2},            // window [6, 16]: 2 + 1 = 3 s: stops holding
        {16, 19, 0.9}, {19, 22, 0.9},           // window [12, 22]: 6 s: fires again at 22
    };
    for (double[] s : timeline) {
      Alert a = t.onSegment(seg(s[0], s[1], s[2]));
      if (a != null) {
        alerts.add(a);
      }
    }
    assertThat(alerts).hasSize(2);
    assertThat(alerts.get(0).at()).isEqualTo(8);
    assertThat(alerts.get(0).negativeSpeechSeconds()).isEqualTo(6);
    assertThat(alerts.get(0).trigger().start()).isEqualTo(5);
    assertThat(alerts.get(1).at()).isEqualTo(22);
  }

  @Test
  void onlyThePartOfASegmentInsideTheWindowCounts() {
    AlertTracker t = new AlertTracker(new AlertRule(0.5, 5, 6));
    assertThat(t.onSegment(seg(0, 4, 0.9))).isNull();
    assertThat(t.onSegment(seg(4, 5, 0.1))).isNull();
    // window [2, 8]: 2 s of the first + 2 s of this = 4 s < 5
    assertThat(t.onSegment(seg(6, 8, 0.9))).isNull();
    Alert a = t.onSegment(seg(8, 9, 0.9)); // window [3, 9]: 1 + 2 + 1 = 4 -> no
    assertThat(a).isNull();
    assertThat(t.onSegment(seg(9, 11, 0.9))).isNotNull(); // window [5, 11]: 2 + 1 + 2 = 5
  }
}
