package io.github.tingxin.core.recognizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.AudioInput;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.EmotionStream;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.Segmentation;
import io.github.tingxin.core.segment.RandomLayouts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The recognizer's timeline over random layouts of noise bursts and silence (each 0.1 to 20 s), with the
 * energy detector, turns and overlapping sliding windows, through {@link FakeBackend}: turns never overlap;
 * the summary's speech time is the union of the segments (each instant once, windows included); and a stream
 * fed in random chunks gives exactly the offline analysis.
 */
class TimelinePropertyTest {
  private static final int RATE = 16000;

  @Test
  void summariesCountEachInstantOnceAndStreamsEqualOffline() {
    Random random = new Random(1515);
    List<Segmentation> segmentations = List.of(Segmentation.turns(Segmentation.Vad.ENERGY),
        Segmentation.sliding(Segmentation.Vad.ENERGY, 1.0, 0.4), Segmentation.turns(Segmentation.Vad.NONE));
    for (Segmentation segmentation : segmentations) {
      try (EmotionRecognizer r = EmotionRecognizer.builder().model(TestModels.model(true)).backend("fake")
          .segmentation(segmentation).batchSize(1).build()) {
        for (int n = 0; n < 12; n++) {
          float[] x = layout(random);
          String what = segmentation + ", layout " + n;
          CallAnalysis offline = r.analyze(AudioInput.of(Audio.of(x, RATE)));
          assertThat(streamed(r, x, new Random(n))).as(what).isEqualTo(offline);
          List<SegmentResult> s = offline.segments();
          if (segmentation.mode() == Segmentation.Mode.TURNS) {
            for (int k = 1; k < s.size(); k++) {
              assertThat(s.get(k).start()).as(what).isGreaterThanOrEqualTo(s.get(k - 1).end());
            }
          }
          assertThat(offline.caller().speechSeconds()).as(what + ": speech time is the union of the segments")
              .isCloseTo(union(s), within(1e-9));
          double attributed = 0;
          for (double t : SpeechTime.attributed(s)) {
            attributed += t;
          }
          assertThat(attributed).as(what).isCloseTo(union(s), within(1e-9));
          if (segmentation.vad().equals(Segmentation.Vad.NONE)) {
            assertThat(union(s)).as(what + ": without a detector all audio is speech")
                .isCloseTo(x.length / (double) RATE, within(1e-9));
          }
        }
      }
    }
  }

  private static double union(List<SegmentResult> segments) {
    List<SegmentResult> sorted = new ArrayList<>(segments);
    sorted.sort(Comparator.comparingDouble(SegmentResult::start));
    double total = 0;
    double coveredTo = Double.NEGATIVE_INFINITY;
    for (SegmentResult s : sorted) {
      double from = Math.max(s.start(), coveredTo);
      if (s.end() > from) {
        total += s.end() - from;
        coveredTo = s.end();
      }
    }
    return total;
  }

  /** Alternating silence and noise bursts (a stand-in for speech), 0.1 to 20 s each, 2 to 6 stretches. */
  private static float[] layout(Random random) {
    return TestModels.quantized(RandomLayouts.of(random, RATE, 2 + random.nextInt(5),
        (loud, r) -> (float) (r.nextGaussian() * (loud ? 0.1 : 0.0005))));
  }

  private static CallAnalysis streamed(EmotionRecognizer r, float[] x, Random chunks) {
    try (EmotionStream s = r.openStream(RATE, seg -> { })) {
      return TestModels.feedInRandomChunks(s, x, chunks, 20_000);
    }
  }
}
