package io.github.tingxin.bench;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.AudioInput;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.EmotionStream;
import io.github.tingxin.api.StreamListener;
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
 * The whole path a user runs, on {@code device}: {@code analyze} of a call held in memory, and the same
 * call fed to a live {@link EmotionStream} in 100 ms chunks. The call is the EmoDB test call tiled to
 * {@code seconds} and resampled to {@code rate} (8000: telephone), so the recognizer's resampler, VAD,
 * segmentation, features, batched inference and summaries all run. {@code seconds} over 10, 60 and 600
 * shows how cost grows with the length of a call.
 *
 * <p>{@code device=cuda} throws from setup (JMH prints "SKIPPED device=cuda ...") where the CUDA provider is
 * absent; see {@link BenchDevices#require(String)}. Run from the repository root:
 * <pre>
 * java -jar sentiment-bench/target/benchmarks.jar EndToEndBenchmark -p device=cpu
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EndToEndBenchmark {

  /** {@code default} (bundled), a fixture name, or a package path. */
  @Param({"default", "wav2vec2-tiny"})
  public String model;

  /** Length of the call, seconds. */
  @Param({"10", "60", "600"})
  public int seconds;

  /** Sample rate of the call as it arrives. */
  @Param({"8000"})
  public int rate;

  /** Intra-op threads of the inference session. */
  @Param({"2"})
  public int threads;

  /** {@code cpu} or {@code cuda}. */
  @Param({"cpu", "cuda"})
  public String device;

  public EmotionRecognizer recognizer;
  public Audio audio;
  public StreamListener listener;

  @Setup(Level.Trial)
  public void setUp() {
    recognizer = EmotionRecognizer.builder().model(BenchDevices.model(model)).device(BenchDevices.require(device))
        .threads(threads).build();
    audio = BenchDevices.call(seconds, rate);
    listener = segment -> { };
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    recognizer.close();
  }

  /** The whole call at once. */
  @Benchmark
  public CallAnalysis analyze() {
    return recognizer.analyze(AudioInput.of(audio));
  }

  /** The same call fed live in 100 ms chunks (one scratch array, as a telephony socket would). */
  @Benchmark
  public CallAnalysis stream() {
    int chunk = rate / 10;
    float[] buffer = new float[chunk];
    try (EmotionStream s = recognizer.openStream(rate, listener)) {
      for (int i = 0; i < audio.length(); i += chunk) {
        int n = Math.min(chunk, audio.length() - i);
        audio.copyTo(i, buffer, 0, n);
        s.accept(buffer, 0, n);
      }
      return s.finish();
    }
  }
}
