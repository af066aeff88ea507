package io.github.tingxin.bench;

import io.github.tingxin.api.Audio;
import io.github.tingxin.core.audio.Resampler;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * <p>Besides wall-clock time, each op records the CPU time of its thread ({@link CpuTime}: {@code cpuNanos}
 * and {@code calls}, summed per iteration); {@code cpuNanos / calls} is the time on one core, which stays
 * meaningful when other processes share the machine and stretch the wall clock.
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

  /** CPU time of the benchmark thread, per iteration. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class CpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    public long cpuNanos;
    public long calls;

    long now() {
      return THREADS.getCurrentThreadCpuTime();
    }

    void add(long start) {
      cpuNanos += THREADS.getCurrentThreadCpuTime() - start;
      calls++;
    }
  }

  @Benchmark
  public Audio oneShot(CpuTime cpu) {
    long start = cpu.now();
    Audio result = resampler.resample(audio);
    cpu.add(start);
    return result;
  }

  @Benchmark
  public int streaming(CpuTime cpu) {
    long start = cpu.now();
    int result = stream();
    cpu.add(start);
    return result;
  }

  private int stream() {
    Resampler.Stream stream = resampler.newStream();
    int chunk = inputRate / 50;
    int produced = 0;
    for (int pos = 0; pos < samples.length; pos += chunk) {
      produced += stream.accept(samples, pos, Math.min(chunk, samples.length - pos), out, produced);
    }
    return produced + stream.flush(out, produced);
  }
}
