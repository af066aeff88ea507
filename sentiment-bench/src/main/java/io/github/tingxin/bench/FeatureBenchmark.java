package io.github.tingxin.bench;

import io.github.tingxin.core.features.FbankOptions;
import io.github.tingxin.core.features.KaldiFbank;
import io.github.tingxin.core.features.KaldiMfcc;
import io.github.tingxin.core.features.MelOptions;
import io.github.tingxin.core.features.MfccOptions;
import io.github.tingxin.core.features.WaveformNormalizer;
import io.github.tingxin.core.features.WhisperLogMel;
import io.github.tingxin.core.features.WhisperOptions;
import io.github.tingxin.spi.FeatureExtractor;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One thread computing each feature recipe over {@code seconds} of 16 kHz speech-like audio, the same
 * work {@code sentiment-bench/scripts/compare-features.sh} times in torchaudio: Kaldi fbank with 80 bins,
 * Kaldi MFCC (13 cepstra, 23 bins, energy), Whisper log-mel (80 bins, no padding) and wav2vec 2.0
 * waveform normalisation. Each call reads the samples in place and writes into an output array reused
 * from call to call ({@code FeatureExtractor.extract(samples, offset, length, out, outOffset)}), as the
 * recognizer does, so {@code -prof gc} shows what the extractors allocate themselves: nothing.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FeatureBenchmark {
  @Param({"1", "10", "60"})
  public int seconds;

  private float[] samples;
  private float[] fbankOut;
  private float[] mfccOut;
  private float[] whisperOut;
  private float[] wav2vec2Out;
  private KaldiFbank fbank;
  private KaldiMfcc mfcc;
  private WhisperLogMel whisper;
  private WaveformNormalizer wav2vec2;

  @Setup
  public void setup() {
    int rate = 16000;
    float[] x = new float[rate * seconds];
    SplittableRandom rng = new SplittableRandom(seconds);
    double phase = 0;
    for (int i = 0; i < x.length; i++) {
      double t = (double) i / rate;
      phase += 2 * Math.PI * (120 + 40 * Math.sin(2 * Math.PI * 1.3 * t)) / rate;
      x[i] = (float) (0.3 * (1.1 + Math.sin(6 * Math.PI * t)) * (Math.sin(phase) + 0.5 * Math.sin(2 * phase))
          + 0.02 * (rng.nextDouble() * 2 - 1));
    }
    samples = x;
    fbank = new KaldiFbank(FbankOptions.defaults().withMelOpts(MelOptions.defaults().withNumBins(80)));
    mfcc = new KaldiMfcc(MfccOptions.defaults());
    whisper = new WhisperLogMel(WhisperOptions.defaults().withPadToSeconds(0));
    wav2vec2 = new WaveformNormalizer(rate, WaveformNormalizer.Mode.WAV2VEC2);
    fbankOut = output(fbank);
    mfccOut = output(mfcc);
    whisperOut = output(whisper);
    wav2vec2Out = output(wav2vec2);
  }

  private float[] output(FeatureExtractor e) {
    return new float[e.numFrames(samples.length) * e.dim()];
  }

  @Benchmark
  public int kaldiFbank80() {
    return fbank.extract(samples, 0, samples.length, fbankOut, 0);
  }

  @Benchmark
  public int kaldiMfcc() {
    return mfcc.extract(samples, 0, samples.length, mfccOut, 0);
  }

  @Benchmark
  public int whisperLogMel80() {
    return whisper.extract(samples, 0, samples.length, whisperOut, 0);
  }

  @Benchmark
  public int waveformWav2vec2() {
    return wav2vec2.extract(samples, 0, samples.length, wav2vec2Out, 0);
  }
}
