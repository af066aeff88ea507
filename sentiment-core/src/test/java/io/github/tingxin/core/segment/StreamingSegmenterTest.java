package io.github.tingxin.core.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tingxin.api.Segmentation;
import io.github.tingxin.core.vad.AllSpeechVadProvider;
import io.github.tingxin.core.vad.EnergyVadProvider;
import io.github.tingxin.core.vad.VadCallFixture;
import io.github.tingxin.spi.RegionTuning;
import io.github.tingxin.spi.VoiceActivityDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamingSegmenterTest {
  private static final int RATE = 1000;
  private static final RegionTuning REGIONS = new RegionTuning(0.5, 0.5, 0, 0, 0);

  /** A detector with 10-sample frames whose probability is the frame's first sample (the test's script). */
  static final class ScriptedDetector implements VoiceActivityDetector {
    @Override public String name() { return "scripted"; }
    @Override public int sampleRate() { return RATE; }
    @Override public int frameSamples() { return 10; }
    @Override public RegionTuning regionTuning() { return REGIONS; }
    @Override public void close() {}

    @Override
    public Stream newStream() {
      return new Stream() {
        int pending;
        float first;
        long done;

        @Override public int framesCompletedBy(int length) { return (pending + length) / 10; }
        @Override public long framesDone() { return done; }

        @Override
        public int accept(float[] s, int off, int len, float[] out, int outOff) {
          int n = 0;
          for (int i = off; i < off + len; i++) {
            if (pending == 0) {
              first = s[i];
            }
            if (++pending == 10) {
              out[outOff + n++] = first;
              pending = 0;
              done++;
            }
          }
          return n;
        }
      };
    }
  }

  /** 1 where speech is, 0 elsewhere, at 1000 Hz: speech in [a, b) seconds. */
  private static float[] script(double seconds, double... spans) {
    float[] x = new float[(int) Math.round(seconds * RATE)];
    for (int k = 0; k < spans.length; k += 2) {
      for (int i = (int) Math.round(spans[k] * RATE); i < Math.round(spans[k + 1] * RATE); i++) {
        x[i] = 1;
      }
    }
    return x;
  }

  /** The segments' spans {@code {start, end}}. */
  private static List<long[]> segments(StreamingSegmenter.Options o, VoiceActivityDetector vad,
      RegionTuning regions, float[] x, Random chunks) {
    return withAudio(o, vad, regions, x, chunks).stream().map(s -> new long[] {s[0], s[1]}).toList();
  }

  /** The segments' spans and where the audio handed over for each starts: {@code {start, end, audioStart}}. */
  static List<long[]> withAudio(StreamingSegmenter.Options o, VoiceActivityDetector vad,
      RegionTuning regions, float[] x, Random chunks) {
    List<long[]> out = new ArrayList<>();
    StreamingSegmenter s = new StreamingSegmenter(o, vad, regions, (a, b, samples) -> {
      long audioStart = b - samples.length;
      assertThat(audioStart).isBetween(0L, a);
      assertThat(java.util.Arrays.equals(samples, 0, samples.length, x, (int) audioStart, (int) b))
          .as("the audio of [%d, %d) is the input's", audioStart, b).isTrue();
      out.add(new long[] {a, b, audioStart});
    });
    int i = 0;
    while (i < x.length) {
      int n = chunks == null ? x.length : Math.min(x.length - i, 1 + chunks.nextInt(700));
      s.accept(x, i, n);
      i += n;
    }
    s.finish();
    return out;
  }

  private static StreamingSegmenter.Options turns(double min, double max, double pause) {
    return new StreamingSegmenter.Options(Segmentation.Mode.TURNS, min, max, pause, 0, 0);
  }

  @Test
  void turnsJoinShortPausesAndEndAtLongOnes() {
    float[] x = script(10, 1, 2, 2.2, 3, 4, 5);
    assertThat(segments(turns(0.1, 8, 0.3), new ScriptedDetector(), REGIONS, x, null))
        .containsExactly(new long[] {1000, 3000}, new long[] {4000, 5000});
  }

  @Test
  void shortTurnsAreKeptAndOnlyTurnsUnderTheFloorAreDropped() {
    // 0.2 s and 1 s turns with a 0.5 s minimum: both are segments (the scorer takes the short one by the
    // model's rule); 20 ms of "speech" is under the 25 ms floor
    float[] x = script(7, 1, 1.2, 3, 4, 6, 6.02);
    StreamingSegmenter.Options o = turns(0.5, 8, 0.3);
    assertThat(segments(o, new ScriptedDetector(), REGIONS, x, null))
        .containsExactly(new long[] {1000, 1200}, new long[] {3000, 4000});
    StreamingSegmenter counting = new StreamingSegmenter(o, new ScriptedDetector(), REGIONS, (a, b, samples) -> {});
    counting.accept(x, 0, x.length);
    counting.finish();
    assertThat(counting.droppedSegments()).isEqualTo(1);
  }

  @Test
  void longTurnsAreCutAtTheirQuietestFrameWithinTheMaximum() {
    // 0.1 s dip at 3.5 (shorter than the pause) inside a 1..9 s turn; max 4 s
    float[] x = script(10, 1, 3.5, 3.6, 9);
    List<long[]> s = segments(turns(0.1, 4, 0.3), new ScriptedDetector(), REGIONS, x, null);
    assertThat(s.get(0)).containsExactly(1000, 3590); // the latest of the quiet frames 3.50..3.59
    for (long[] seg : s) {
      assertThat(seg[1] - seg[0]).isLessThanOrEqualTo(4000);
    }
    assertThat(s.get(s.size() - 1)[1]).isEqualTo(9000);
    for (int k = 1; k < s.size(); k++) {
      assertThat(s.get(k)[0]).isEqualTo(s.get(k - 1)[1]); // pieces of one turn are contiguous
    }
  }

  @Test
  void theShortLastPieceOfASplitTurnIsItsOwnSpanWithItsTurnAsContext() {
    // a flat 2.5 s turn, min 1.2 s, max 2 s: cut at the latest frame known when it reaches 2 s (1.99 s in);
    // the 0.51 s tail is reported as [2.99, 3.5] and handed over with the audio of [2.3, 3.5]
    float[] x = script(5, 1, 3.5);
    assertThat(withAudio(turns(1.2, 2, 0.3), new ScriptedDetector(), REGIONS, x, null))
        .containsExactly(new long[] {1000, 2990, 1000}, new long[] {2990, 3500, 2300});
  }

  @Test
  void aShortTurnIsReportedAsItIsNeverWidenedIntoItsNeighbours() {
    // a 1.0 s turn, min 1.2 s: its own span and audio (the scorer pads it by the model's rule)
    assertThat(withAudio(turns(1.2, 2, 0.3), new ScriptedDetector(), REGIONS, script(5, 1, 2), null))
        .containsExactly(new long[] {1000, 2000, 1000});
    // after a scored turn
    assertThat(segments(turns(1.2, 4, 0.3), new ScriptedDetector(), REGIONS, script(8, 0, 1.5, 3.2, 4.2), null))
        .containsExactly(new long[] {0, 1500}, new long[] {3200, 4200});
    // shorter than half the minimum: kept too
    assertThat(segments(turns(1.2, 2, 0.3), new ScriptedDetector(), REGIONS, script(5, 1, 1.5), null))
        .containsExactly(new long[] {1000, 1500});
  }

  @Test
  void aShortTurnWaitsUpToTheMinimumLengthForSpeechToJoinIt() {
    // 0.8 s of speech, a 0.6 s pause (longer than the 0.3 s that ends a turn), 0.6 s more: one turn
    assertThat(segments(turns(1.2, 4, 0.3), new ScriptedDetector(), REGIONS, script(5, 1, 1.8, 2.4, 3.0), null))
        .containsExactly(new long[] {1000, 3000});
    // a turn that already has the minimum length is ended by the ordinary 0.3 s pause
    assertThat(segments(turns(1.2, 4, 0.3), new ScriptedDetector(), REGIONS, script(6, 1, 2.5, 3.1, 4.6), null))
        .containsExactly(new long[] {1000, 2500}, new long[] {3100, 4600});
  }

  @Test
  void speechRunningToTheEndIsClosedWithThePartialLastFrame() {
    float[] x = script(2.005, 1.5, 2.005);
    assertThat(segments(turns(0.1, 8, 0.3), new ScriptedDetector(), REGIONS, x, null))
        .containsExactly(new long[] {1500, 2005});
  }

  @Test
  void slidingWindowsCoverEachRegionAndItsTail() {
    float[] x = script(10, 1, 4.5, 6, 6.8);
    StreamingSegmenter.Options o = new StreamingSegmenter.Options(Segmentation.Mode.SLIDING, 0.5, 8, 0.3, 2, 1);
    assertThat(segments(o, new ScriptedDetector(), REGIONS, x, null)).containsExactly(
        new long[] {1000, 3000}, new long[] {2000, 4000}, new long[] {2500, 4500}, new long[] {6000, 6800});
  }

  @Test
  void noDetectorWindowsTheWholeRecording() {
    float[] x = new float[16000 * 5 + 77];
    StreamingSegmenter.Options o = new StreamingSegmenter.Options(Segmentation.Mode.SLIDING, 0.5, 8, 0, 2, 2);
    VoiceActivityDetector none = new AllSpeechVadProvider().open(16000);
    List<long[]> s = segments(o, none, none.regionTuning(), x, null);
    assertThat(s).containsExactly(new long[] {0, 32000}, new long[] {32000, 64000}, new long[] {48077, 80077});
  }

  @Test
  void chunkingNeverChangesTheSegments() throws Exception {
    VadCallFixture call = VadCallFixture.load();
    VoiceActivityDetector vad = new EnergyVadProvider().open(call.sampleRate);
    for (StreamingSegmenter.Options o : List.of(turns(0.5, 3, 0.3),
        new StreamingSegmenter.Options(Segmentation.Mode.SLIDING, 0.5, 8, 0, 1.5, 0.5))) {
      List<long[]> whole = segments(o, vad, vad.regionTuning(), call.samples, null);
      List<long[]> chunked = segments(o, vad, vad.regionTuning(), call.samples,
          new Random(11));
      assertThat(whole).isNotEmpty();
      assertThat(chunked).usingRecursiveFieldByFieldElementComparator().isEqualTo(whole);
    }
  }

  @Test
  void hoursOfAudioNeedOnlyTheRing() {
    // 10 hours of alternating 4 s speech / 1 s pause at 1 kHz (144 MB as floats): only the ring is kept.
    StreamingSegmenter s = new StreamingSegmenter(turns(0.1, 3, 0.3), new ScriptedDetector(), REGIONS,
        (a, b, samples) -> {});
    float[] block = script(5, 0, 4);
    long before = usedMemory();
    for (int i = 0; i < 10 * 3600 / 5; i++) {
      s.accept(block, 0, block.length);
    }
    s.finish();
    assertThat(s.samples()).isEqualTo(10L * 3600 * RATE);
    assertThat(usedMemory() - before).isLessThan(64L << 20);
  }

  private static long usedMemory() {
    System.gc();
    return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
  }
}
