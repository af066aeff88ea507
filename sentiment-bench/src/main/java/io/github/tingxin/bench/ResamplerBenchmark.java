package io.github.tingxin.bench;

import io.github.tingxin.api.Audio;
import io.github.tingxin.core.audio.Resampler;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Resampling {@code seconds} of audio to 16 kHz, as the recognizer does for telephone (8 kHz) and CD-rate
 * (44.1 kHz) recordings. {@code oneShot} is {@link Resampler#resample(Audio)} (allocates its padded input and
 * its output per call); {@code streaming} feeds 20 ms chunks into a {@link Resampler.Stream} with reused
 * buffers, the steady state of live analysis. Real-time factor = seconds / (ms per op / 1000).
 *
 * <p>Run: {@code java -jar sentiment-bench/target/benchmarks.jar ResamplerBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
 * -jvmArgs "-Xms2g -Xmx2g -XX:+AlwaysPreTouch"}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ResamplerBenchmark {
  @Param({"8000", "44100"})
  public int inputRate;

  @Param({"60"})
  public int seconds;

  @Param({"16000"})
  public int outputRate;

  private Audio audio;
  private float[] samples;
  private float[] out;
  private Resampler resampler;

  @Setup
  public void setup() {
    Random random = new Random(1);
    samples = new float[inputRate * seconds];
    // Speech-like: a wandering tone plus noise, so no branch or denormal shortcut helps.
    double phase = 0;
    for (int i = 0; i < samples.length; i++) {
      phase += 2 * Math.PI * (150 + 100 * Math.sin(i * 2e-5)) / inputRate;
      samples[i] = (float) (0.5 * Math.sin(phase) + 0.1 * random.nextGaussian());
    }
    audio = Audio.of(samples, inputRate);
    resampler = Resampler.of(inputRate, outputRate);
    out = new float[(int) resampler.outputLength(samples.length) + 1024];
  }

  @Benchmark
  public Audio oneShot() {
    return resampler.resample(audio);
  }

  @Benchmark
  public int streaming() {
    Resampler.Stream stream = resampler.newStream();
    int chunk = inputRate / 50;
    int produced = 0;
    for (int pos = 0; pos < samples.length; pos += chunk) {
      produced += stream.accept(samples, pos, Math.min(chunk, samples.length - pos), out, produced);
    }
    return produced + stream.flush(out, produced);
  }
}
