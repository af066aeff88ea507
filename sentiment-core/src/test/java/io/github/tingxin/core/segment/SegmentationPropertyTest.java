package io.github.tingxin.core.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.github.tingxin.api.Segmentation;
import io.github.tingxin.core.segment.StreamingSegmenterTest.ScriptedDetector;
import io.github.tingxin.core.vad.AllSpeechVadProvider;
import io.github.tingxin.core.vad.EnergyVadProvider;
import io.github.tingxin.core.vad.SpeechRegionTracker;
import io.github.tingxin.spi.RegionTuning;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Properties of the segmenter over random speech/pause layouts (each stretch 0.1 to 20 s, log-uniform), a
 * seeded loop of a few hundred layouts: turns never overlap; together they cover every frame the detector's
 * regions call speech and nothing outside them but the pauses inside turns; speech time is the detectors'
 * speech time plus those pauses; nothing above the floor is dropped; the short last piece of a split turn
 * takes its context from its own turn; and feeding the audio in random chunks gives the same timeline.
 * The detector's regions are computed here from the same probabilities by {@link SpeechRegionTracker}
 * alone, the segmenter's input, so the test checks what the segmenter does with them.
 */
class SegmentationPropertyTest {
  private static final int RATE = 1000; // the scripted detector's rate: 10-sample (10 ms) frames
  private static final int FRAME = 10;
  private static final double MIN_PAUSE = 0.3;
  private static final RegionTuning[] REGIONS = {
      new EnergyVadProvider().open(16000).regionTuning(),
      new RegionTuning(0.5, 0.35, 0.25, 0.1, 0.03), // Silero's defaults
      new AllSpeechVadProvider().open(16000).regionTuning()};
  private static final double[][] LIMITS = {{0.25, 10}, {1.2, 2}, {0.5, 4}, {2, 8}};

  @Test
  void turnsNeverOverlapAndCoverExactlyTheDetectedSpeech() {
    Random random = new Random(15);
    int layouts = 300;
    int splitTails = 0;
    int shortTurns = 0;
    for (int n = 0; n < layouts; n++) {
      float[] x = layout(random);
      RegionTuning regions = REGIONS[random.nextInt(REGIONS.length)];
      double[] limits = LIMITS[random.nextInt(LIMITS.length)];
      StreamingSegmenter.Options o = new StreamingSegmenter.Options(Segmentation.Mode.TURNS, limits[0], limits[1],
          MIN_PAUSE, 0, 0);
      String what = "layout " + n + " " + regions + " " + o;
      List<long[]> whole = run(o, regions, x, null);
      assertThat(run(o, regions, x, new Random(n))).as(what + ": streamed in random chunks")
          .usingRecursiveFieldByFieldElementComparator().isEqualTo(whole);

      boolean[] speech = regions(regions, x);
      int[] cover = new int[x.length];
      long total = 0;
      for (int k = 0; k < whole.size(); k++) {
        long[] s = whole.get(k);
        assertThat(s[1] - s[0]).as(what).isPositive().isLessThanOrEqualTo(Math.round(limits[1] * RATE));
        if (k > 0) {
          assertThat(s[0]).as(what + ": segments never overlap").isGreaterThanOrEqualTo(whole.get(k - 1)[1]);
        }
        for (long i = s[0]; i < s[1]; i++) {
          cover[(int) i]++;
        }
        total += s[1] - s[0];
        if (s[2] < s[0]) {
          // the short last piece of a split turn: context from the piece before it, up to the minimum
          splitTails++;
          assertThat(k).as(what).isPositive();
          assertThat(whole.get(k - 1)[1]).as(what + ": context comes from its own turn").isEqualTo(s[0]);
          assertThat(s[1] - s[2]).as(what).isEqualTo(Math.round(limits[0] * RATE));
          assertThat(s[1] - s[0]).as(what).isLessThan(Math.round(limits[0] * RATE));
        } else if (s[1] - s[0] < Math.round(limits[0] * RATE)) {
          shortTurns++;
        }
      }
      long speechTime = 0;
      long joinedPauses = 0;
      for (int i = 0; i < x.length; i++) {
        if (cover[i] > 1) {
          fail(what + ": sample " + i + " is in " + cover[i] + " segments");
        }
        if (speech[i]) {
          speechTime++;
          if (cover[i] != 1) {
            fail(what + ": detected speech at sample " + i + " is in no segment");
          }
        } else if (cover[i] == 1) {
          joinedPauses++;
        }
      }
      assertThat(total).as(what + ": speech time = the detector's + the pauses inside turns")
          .isEqualTo(speechTime + joinedPauses);
      assertPausesInsideTurnsAreShort(what, speech, cover, Math.max(MIN_PAUSE, limits[0]));
    }
    // the loop reached the cases it is about
    assertThat(splitTails).isGreaterThan(10);
    assertThat(shortTurns).isGreaterThan(10);
  }

  @Test
  void slidingWindowsCoverTheDetectedSpeechAndStreamAsOffline() {
    Random random = new Random(16);
    for (int n = 0; n < 100; n++) {
      float[] x = layout(random);
      RegionTuning regions = REGIONS[random.nextInt(REGIONS.length)];
      double window = 0.2 + 3 * random.nextDouble();
      double hop = window * (0.25 + 0.75 * random.nextDouble());
      StreamingSegmenter.Options o = new StreamingSegmenter.Options(Segmentation.Mode.SLIDING, 0.5, 10, MIN_PAUSE,
          window, hop);
      String what = "layout " + n + " " + o;
      List<long[]> whole = run(o, regions, x, null);
      assertThat(run(o, regions, x, new Random(n))).as(what).usingRecursiveFieldByFieldElementComparator()
          .isEqualTo(whole);
      boolean[] speech = regions(regions, x);
      boolean[] covered = new boolean[x.length];
      for (long[] s : whole) {
        assertThat(s[1] - s[0]).as(what).isLessThanOrEqualTo(Math.round(window * RATE));
        assertThat(s[2]).as(what + ": a window is scored as it is").isEqualTo(s[0]);
        for (long i = s[0]; i < s[1]; i++) {
          covered[(int) i] = true;
        }
      }
      for (int i = 0; i < x.length; i++) {
        if (speech[i] && !covered[i]) {
          fail(what + ": detected speech at sample " + i + " is in no window");
        }
      }
    }
  }

  /** Between two detected regions inside one turn, the pause is shorter than what would end the turn. */
  private static void assertPausesInsideTurnsAreShort(String what, boolean[] speech, int[] cover, double join) {
    int i = 0;
    while (i < speech.length) {
      if (cover[i] == 1 && !speech[i]) {
        int from = i;
        while (i < speech.length && cover[i] == 1 && !speech[i]) {
          i++;
        }
        assertThat(from).as(what + ": a segment never starts outside detected speech").isPositive();
        assertThat(speech[from - 1]).as(what).isTrue();
        assertThat(i).as(what + ": a segment never ends outside detected speech").isLessThan(speech.length);
        assertThat(speech[i]).as(what).isTrue();
        assertThat(i - from).as(what + ": pause inside a turn").isLessThan((int) Math.round(join * RATE));
      } else {
        i++;
      }
    }
  }

  /** Alternating pause and speech, each 0.1 to 20 s, 2 to 9 stretches, 1 = speech. */
  private static float[] layout(Random random) {
    return RandomLayouts.of(random, RATE, 2 + random.nextInt(8), (speech, r) -> speech ? 1 : 0);
  }

  /** The samples inside the detector's regions, from the tracker alone. */
  private static boolean[] regions(RegionTuning options, float[] x) {
    boolean[] in = new boolean[x.length];
    SpeechRegionTracker tracker = new SpeechRegionTracker(options, FRAME / (double) RATE);
    long start = -1;
    for (int f = 0; f < x.length / FRAME; f++) {
      int event = tracker.push(x[f * FRAME]);
      if (event == SpeechRegionTracker.START) {
        start = tracker.startFrame() * FRAME;
      } else if (event == SpeechRegionTracker.END) {
        mark(in, start, tracker.endFrame() * FRAME);
      }
    }
    int last = tracker.finish();
    if (last == SpeechRegionTracker.START_AND_END) {
      start = tracker.startFrame() * FRAME; // speech cut short by the end counts
    }
    if ((last & SpeechRegionTracker.END) != 0) {
      // a region open at the end runs to the last sample (the partial last frame included)
      long end = tracker.endFrame() == tracker.frames() ? x.length : tracker.endFrame() * FRAME;
      mark(in, start, end);
    }
    return in;
  }

  private static void mark(boolean[] in, long from, long to) {
    for (long i = from; i < to; i++) {
      in[(int) i] = true;
    }
  }

  private static List<long[]> run(StreamingSegmenter.Options o, RegionTuning regions, float[] x,
      Random chunks) {
    List<long[]> out = StreamingSegmenterTest.withAudio(o, new ScriptedDetector(), regions, x, chunks);
    StreamingSegmenter counting = new StreamingSegmenter(o, new ScriptedDetector(), regions, (a, b, s) -> { });
    counting.accept(x, 0, x.length);
    counting.finish();
    assertThat(counting.droppedSegments()).as("nothing above the floor is dropped").isZero();
    return out;
  }
}
