package io.github.tingxin.bench;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.onnx.OnnxBackend;
import io.github.tingxin.spi.FeatureBatch;
import io.github.tingxin.spi.FeatureExtractor;
import io.github.tingxin.spi.Features;
import io.github.tingxin.spi.InferenceSession;
import io.github.tingxin.spi.SessionOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * One inference call on a batch of {@code batch} segments of {@code segmentSeconds} each (different slices
 * of the test call), on {@code device}. Time per call divided by {@code batch} is the cost of a segment;
 * {@code batch * segmentSeconds / time} is the throughput in audio-hours per hour.
 *
 * <p>{@code device=cuda} throws from setup where the CUDA provider is absent (JMH prints "SKIPPED
 * device=cuda ..."): no figure is ever recorded for a GPU that is not there.
 * <pre>
 * java -jar sentiment-bench/target/benchmarks.jar BatchScalingBenchmark -p device=cpu
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class BatchScalingBenchmark {

  /** {@code default} (bundled), a fixture name, or a package path. */
  @Param({"default", "wav2vec2-tiny"})
  public String model;

  /** Segments per inference call. */
  @Param({"1", "4", "16", "64"})
  public int batch;

  /** Length of each segment, seconds. */
  @Param({"4"})
  public double segmentSeconds;

  /** Intra-op threads. */
  @Param({"2"})
  public int threads;

  /** {@code cpu} or {@code cuda}. */
  @Param({"cpu", "cuda"})
  public String device;

  public InferenceSession session;
  public FeatureBatch input;

  @Setup(Level.Trial)
  public void setUp() {
    ModelPackage pkg = BenchDevices.model(model);
    ModelManifest m = pkg.manifest();
    SessionOptions options = new SessionOptions(BenchDevices.require(device), threads, 1,
        SessionOptions.Optimization.ALL);
    FeatureExtractor extractor = InferenceBenchmark.extractor(m);
    int segment = (int) Math.round(segmentSeconds * m.sampleRate());
    Audio call = BenchDevices.call(segmentSeconds * 12, m.sampleRate());
    List<Features> features = new ArrayList<>(batch);
    for (int i = 0; i < batch; i++) {
      int from = (int) ((long) (i % 11) * segment);
      features.add(extractor.extract(call.slice(from, from + segment)));
    }
    input = FeatureBatch.of(features, m.input().layout(), m.input().fixedFrames());
    session = new OnnxBackend().open(pkg, options);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    session.close();
  }

  /**
   * Also counts the CPU time of the benchmark thread per call ({@code cpuMicros / calls}): with
   * {@code threads=1} ONNX Runtime computes on the calling thread, so on a loaded machine this is the cost of
   * a batch where wall time is mostly waiting for a core.
   */
  @Benchmark
  public Map<String, float[][]> run(InferenceBenchmark.CpuTime cpu) {
    long t0 = InferenceBenchmark.THREADS.getCurrentThreadCpuTime();
    try {
      return session.run(input);
    } finally {
      cpu.add(t0);
    }
  }
}
