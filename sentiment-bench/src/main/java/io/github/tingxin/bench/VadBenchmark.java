package io.github.tingxin.bench;

import io.github.tingxin.api.Audio;
import io.github.tingxin.core.audio.WavReader;
import io.github.tingxin.spi.Providers;
import io.github.tingxin.spi.VoiceActivityDetector;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Voice activity detection alone over 60 s of the EmoDB VAD test call (16 kHz), fed in 20 ms chunks as a
 * live stream would. Run from the repository root:
 * <pre>
 * java -jar sentiment-bench/target/benchmarks.jar VadBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s \
 *     -jvmArgs "-Xms2g -Xmx2g -XX:+AlwaysPreTouch"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class VadBenchmark {

  /** The detector: energy (default) or silero. */
  @Param({"energy", "silero"})
  public String detector;

  /** The call (16 kHz mono WAV), tiled to 60 s. */
  @Param("sentiment-core/src/test/resources/io/github/tingxin/core/vad/vad-call-16k.wav")
  public String callFile;

  public VoiceActivityDetector vad;
  public float[] samples;
  public float[] probabilities;

  @Setup(Level.Trial)
  public void setUp() {
    Audio call = WavReader.read(Path.of(callFile)).channel(0);
    samples = new float[60 * call.sampleRate()];
    for (int i = 0; i < samples.length; i += call.length()) {
      call.copyTo(0, samples, i, Math.min(call.length(), samples.length - i));
    }
    vad = Providers.VOICE_ACTIVITY_DETECTORS.named(detector).open(call.sampleRate());
    probabilities = new float[samples.length / vad.frameSamples() + 2];
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    vad.close();
  }

  /** 60 s through a fresh stream, 320 samples (20 ms) at a time; returns the frames done. */
  @Benchmark
  public long sixtySeconds() {
    VoiceActivityDetector.Stream s = vad.newStream();
    int n = 0;
    for (int i = 0; i < samples.length; i += 320) {
      n += s.accept(samples, i, Math.min(320, samples.length - i), probabilities, n);
    }
    return s.framesDone();
  }
}
