package io.github.tingxin.bench;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.AudioInput;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.EmotionRecognizer;
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
 * The project's headline target: one hour of 8 kHz telephone audio analysed with the default model on 2
 * cores (issue 8: under 10 s with the compact CNN; issue 19: under 20 s with the Whisper-encoder default). Single-shot: each measurement is one whole {@code analyze} of the hour (the EmoDB
 * test call tiled and resampled to 8 kHz), after one warm-up analysis.
 * <pre>
 * java -jar sentiment-bench/target/benchmarks.jar TelephoneHourBenchmark -p device=cpu
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class TelephoneHourBenchmark {

  @Param({"default"})
  public String model;

  @Param({"3600"})
  public int seconds;

  /**
   * Intra-op threads of one inference: 1 gives two scoring threads on 2 cores (an analysis scores its
   * batches on them while it reads on), 2 gives one scoring thread whose inferences use both cores.
   */
  @Param({"1", "2"})
  public int threads;

  @Param({"cpu", "cuda"})
  public String device;

  public EmotionRecognizer recognizer;
  public Audio audio;

  @Setup(Level.Trial)
  public void setUp() {
    recognizer = EmotionRecognizer.builder().model(BenchDevices.model(model)).device(BenchDevices.require(device))
        .threads(threads).maxAudioSeconds(seconds + 1).build();
    audio = BenchDevices.call(seconds, 8000);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    recognizer.close();
  }

  @Benchmark
  public CallAnalysis analyzeHour() {
    return recognizer.analyze(AudioInput.of(audio));
  }
}
