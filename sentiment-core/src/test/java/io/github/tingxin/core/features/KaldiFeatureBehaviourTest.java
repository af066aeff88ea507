package io.github.tingxin.core.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tingxin.api.Audio;
import io.github.tingxin.spi.Features;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class KaldiFeatureBehaviourTest {
  @Test
  void audioShorterThanOneFrameGivesZeroFramesWithSnipEdges() {
    KaldiFbank fbank = new KaldiFbank(FbankOptions.defaults());
    Features f = fbank.extract(Audio.of(new float[399], 16000));
    assertThat(f.frames()).isZero();
    assertThat(f.dim()).isEqualTo(23);
    assertThat(fbank.numFrames(399)).isZero();
    assertThat(fbank.numFrames(400)).isEqualTo(1);
    assertThat(fbank.extract(Audio.empty(16000)).frames()).isZero();
    KaldiMfcc mfcc = new KaldiMfcc(MfccOptions.defaults());
    assertThat(mfcc.extract(Audio.of(new float[100], 16000)).frames()).isZero();
    // Without snip_edges Kaldi counts (n + shift/2) / shift frames, reflecting short audio.
    KaldiFbank centred = new KaldiFbank(FbankOptions.defaults().withFrameOpts(
        FrameOptions.defaults().withSnipEdges(false)));
    assertThat(centred.extract(Audio.of(TestSignals.speechLike(16000, 100, 1), 16000)).frames()).isEqualTo(1);
    assertThat(centred.extract(Audio.of(new float[79], 16000)).frames()).isZero();
  }

  @Test
  void ditherIsSeededAndReproducible() {
    float[] x = TestSignals.speechLike(16000, 8000, 2);
    FrameOptions dithered = FrameOptions.defaults().withDither(0.5);
    float[] a = new KaldiFbank(FbankOptions.defaults().withFrameOpts(dithered)).compute(x);
    float[] b = new KaldiFbank(FbankOptions.defaults().withFrameOpts(dithered)).compute(x);
    float[] c = new KaldiFbank(FbankOptions.defaults().withFrameOpts(dithered.withDitherSeed(7))).compute(x);
    float[] none = new KaldiFbank(FbankOptions.defaults()).compute(x);
    assertThat(a).containsExactly(b);
    assertThat(a).isNotEqualTo(c);
    assertThat(a).isNotEqualTo(none);
    // Dither of 0.5 on a signal of amplitude ~0.3 must move the log energies a lot.
    double diff = 0;
    for (int i = 0; i < a.length; i++) {
      diff = Math.max(diff, Math.abs(a[i] - none[i]));
    }
    assertThat(diff).isGreaterThan(0.5);
  }

  @Test
  void ditherNoiseHasTheRequestedStandardDeviation() {
    // Rectangular window, no DC removal or pre-emphasis: the frame energy of silence is the noise power.
    FrameOptions plain = FrameOptions.defaults().withDither(0.1).withRemoveDcOffset(false).withPreemphCoeff(0)
        .withWindowType(WindowType.RECTANGULAR);
    KaldiFbank fbank = new KaldiFbank(FbankOptions.defaults().withFrameOpts(plain).withUseEnergy(true)
        .withEnergyFloor(0));
    float[] f = fbank.compute(new float[160_000]);
    double mean = 0;
    int frames = f.length / fbank.dim();
    for (int t = 0; t < frames; t++) {
      mean += Math.exp(f[t * fbank.dim()]) / 400;
    }
    assertThat(mean / frames).isCloseTo(0.01, org.assertj.core.data.Offset.offset(0.0005));
  }

  @Test
  void oneExtractorGivesTheSameFramesOnManyThreads() throws Exception {
    KaldiFbank fbank = new KaldiFbank(FbankOptions.defaults().withMelOpts(MelOptions.defaults().withNumBins(80)));
    WhisperLogMel whisper = new WhisperLogMel(WhisperOptions.defaults().withPadToSeconds(0));
    List<float[]> inputs = new ArrayList<>();
    List<float[]> fbankExpected = new ArrayList<>();
    List<float[]> whisperExpected = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      float[] x = TestSignals.speechLike(16000, 8000 + 997 * i, 100 + i);
      inputs.add(x);
      fbankExpected.add(fbank.compute(x));
      whisperExpected.add(whisper.compute(x));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int r = 0; r < 64; r++) {
        int i = r % inputs.size();
        results.add(pool.submit(() -> java.util.Arrays.equals(fbank.compute(inputs.get(i)), fbankExpected.get(i))
            && java.util.Arrays.equals(whisper.compute(inputs.get(i)), whisperExpected.get(i))));
      }
      for (Future<Boolean> f : results) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void waveformScaleEqualsScaledInput() {
    float[] x = TestSignals.speechLike(16000, 6000, 4);
    float[] scaled = x.clone();
    for (int i = 0; i < scaled.length; i++) {
      scaled[i] *= 32768f;
    }
    FbankOptions opts = FbankOptions.defaults().withUseEnergy(true);
    float[] a = new KaldiFbank(opts.withFrameOpts(FrameOptions.defaults().withWaveformScale(32768))).compute(x);
    float[] b = new KaldiFbank(opts).compute(scaled);
    for (int i = 0; i < a.length; i++) {
      assertThat(a[i]).isCloseTo(b[i], org.assertj.core.data.Offset.offset(1e-4f));
    }
  }
}
