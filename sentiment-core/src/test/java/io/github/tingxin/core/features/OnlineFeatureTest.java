package io.github.tingxin.core.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class OnlineFeatureTest {
  static Stream<KaldiFrameFeature> extractors() {
    FrameOptions noSnip = FrameOptions.defaults().withSnipEdges(false);
    return Stream.of(
        new KaldiFbank(FbankOptions.defaults().withMelOpts(MelOptions.defaults().withNumBins(80))),
        new KaldiFbank(FbankOptions.defaults().withFrameOpts(noSnip).withUseEnergy(true)),
        new KaldiFbank(FbankOptions.defaults().withFrameOpts(noSnip.withDither(0.01).withDitherSeed(42))),
        new KaldiFbank(FbankOptions.defaults().withFrameOpts(FrameOptions.defaults().withSampFreq(8000)
            .withFrameLengthMs(32).withFrameShiftMs(12.5).withWindowType(WindowType.HAMMING))),
        new KaldiMfcc(MfccOptions.defaults()),
        new KaldiMfcc(MfccOptions.defaults().withFrameOpts(noSnip).withHtkCompat(true)));
  }

  @ParameterizedTest
  @MethodSource("extractors")
  void framesInChunksOfAnySizeEqualTheOneShotFrames(KaldiFrameFeature extractor) {
    int rate = extractor.sampleRate();
    float[] x = TestSignals.speechLike(rate, rate * 2 + 137, 11);
    float[] expected = extractor.compute(x);
    int dim = extractor.dim();
    SplittableRandom rng = new SplittableRandom(3);
    OnlineFeature online = OnlineFeature.of(extractor);
    int pos = 0;
    int checked = 0;
    while (pos < x.length) {
      int chunk = Math.min(x.length - pos, rng.nextInt(1, 700));
      online.acceptWaveform(x, pos, chunk);
      pos += chunk;
      // Frames that are ready never change: compare them as soon as they appear.
      for (; checked < online.numFramesReady(); checked++) {
        float[] row = online.getFrame(checked);
        for (int d = 0; d < dim; d++) {
          assertThat(row[d]).isEqualTo(expected[checked * dim + d]);
        }
      }
      online.discardFramesBefore(checked - 3);
    }
    online.inputFinished();
    assertThat(online.numFramesReady()).isEqualTo(expected.length / dim).isEqualTo(extractor.numFrames(x.length));
    for (; checked < online.numFramesReady(); checked++) {
      float[] row = new float[dim];
      online.getFrame(checked, row, 0);
      for (int d = 0; d < dim; d++) {
        assertThat(row[d]).isEqualTo(expected[checked * dim + d]);
      }
    }
    assertThat(online.isLastFrame(checked - 1)).isTrue();
    assertThatThrownBy(() -> online.acceptWaveform(new float[10])).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> online.getFrame(0)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void withoutSnipEdgesTheLastFramesWaitForTheEnd() {
    KaldiFbank fbank = new KaldiFbank(FbankOptions.defaults().withFrameOpts(
        FrameOptions.defaults().withSnipEdges(false)));
    OnlineFeature online = OnlineFeature.of(fbank);
    online.acceptWaveform(TestSignals.speechLike(16000, 1600, 1));
    // 1600 samples: 10 frames in all, but frames reaching past sample 1600 need the reflected end.
    assertThat(online.numFramesReady()).isLessThan(10);
    online.inputFinished();
    assertThat(online.numFramesReady()).isEqualTo(10);
  }
}
