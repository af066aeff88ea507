package io.github.tingxin.core.vad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tingxin.spi.RegionTuning;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpeechRegionTrackerTest {
  // 10 ms frames: 3 frames min speech, 5 frames hangover, 2 frames pad
  private static final RegionTuning OPTIONS = new RegionTuning(0.6, 0.4, 0.03, 0.05, 0.02);

  private static List<long[]> run(float... probs) {
    SpeechRegionTracker t = new SpeechRegionTracker(OPTIONS, 0.01);
    List<long[]> regions = new ArrayList<>();
    long start = -1;
    for (float p : probs) {
      int ev = t.push(p);
      if (ev == SpeechRegionTracker.START) {
        start = t.startFrame();
      } else if (ev == SpeechRegionTracker.END) {
        regions.add(new long[] {start, t.endFrame()});
      }
    }
    int last = t.finish();
    if (last == SpeechRegionTracker.START_AND_END) {
      start = t.startFrame();
    }
    if ((last & SpeechRegionTracker.END) != 0) {
      regions.add(new long[] {start, t.endFrame()});
    }
    return regions;
  }

  @Test
  void hysteresisMinimumSpeechHangoverAndPadding() {
    float[] p = new float[40];
    // frames 10..19 speech, with a dip to 0.5 (above offset) at 14 and a 3-frame gap at 16..18 (< hangover)
    for (int f = 10; f < 25; f++) {
      p[f] = 0.9f;
    }
    p[14] = 0.5f;
    p[18] = 0.1f;
    p[19] = 0.1f;
    p[20] = 0.1f;
    assertThat(run(p)).containsExactly(new long[] {8, 27});
  }

  @Test
  void shortBurstsAreNotSpeechAndOnsetNeedsTheHigherThreshold() {
    float[] p = new float[30];
    p[5] = 0.9f;
    p[6] = 0.9f; // two frames: under the 3-frame minimum
    for (int f = 12; f < 20; f++) {
      p[f] = 0.5f; // between offset and onset: never starts
    }
    assertThat(run(p)).isEmpty();
  }

  @Test
  void regionsNeverOverlapAndOpenSpeechEndsAtTheLastFrame() {
    float[] p = new float[30];
    for (int f = 2; f < 6; f++) {
      p[f] = 0.9f;
    }
    for (int f = 11; f < 30; f++) {
      p[f] = 0.9f;
    }
    // first: [0 (pad clipped at 0), 6+2]; second starts at 11-2 = 9 (after 8), runs to the end
    assertThat(run(p)).containsExactly(new long[] {0, 8}, new long[] {9, 30});
  }

  @Test
  void speechCutShortByTheEndOfTheInputIsARegion() {
    float[] p = new float[30];
    p[5] = 0.9f;
    p[6] = 0.9f; // a two-frame burst inside the input: not speech
    p[28] = 0.9f;
    p[29] = 0.9f; // two frames at the very end: the input ended before the minimum could pass
    assertThat(run(p)).containsExactly(new long[] {26, 30});
    SpeechRegionTracker t = new SpeechRegionTracker(OPTIONS, 0.01);
    t.push(0.9f);
    assertThat(t.finish()).isEqualTo(SpeechRegionTracker.START_AND_END);
    assertThat(t.startFrame()).isZero();
    assertThat(t.endFrame()).isEqualTo(1);
    assertThat(t.finish()).as("once").isEqualTo(SpeechRegionTracker.NONE);
  }

  @Test
  void optionsAreValidated() {
    assertThatThrownBy(() -> new RegionTuning(0.5, 0.6, 0, 0, 0))
        .hasMessageContaining("offset");
    assertThatThrownBy(() -> new RegionTuning(0.5, 0.3, 0, 0.1, 0.2))
        .hasMessageContaining("padSeconds");
  }
}
