package io.github.tingxin.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.tingxin.api.Audio;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.core.model.ScoreDecoder;
import io.github.tingxin.onnx.OnnxBackend;
import io.github.tingxin.spi.FeatureBatch;
import io.github.tingxin.spi.FeatureExtractor;
import io.github.tingxin.spi.Features;
import io.github.tingxin.spi.InferenceSession;
import io.github.tingxin.spi.Providers;
import io.github.tingxin.spi.SessionOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Inference of one segment: Tingxin's session ({@code OnnxBackend}) against a bare {@link OrtSession} run on
 * the same tensor, and Tingxin's whole path from audio (features, batch, inference, scores).
 *
 * <ul>
 *   <li>{@code bareOrt}: a bare ONNX Runtime session with the same options, on input tensors made once in
 *   setup: the floor;</li>
 *   <li>{@code tingxinRun}: {@code InferenceSession.run} on a prepared {@code FeatureBatch} (copy into a pooled
 *   direct buffer, tensors made and closed per call, outputs copied out);</li>
 *   <li>{@code tingxinEndToEnd}: audio to decoded scores: the manifest's feature extractor,
 *   {@code FeatureBatch.of}, {@code run}, {@code ScoreDecoder}.</li>
 * </ul>
 *
 * <p>{@code model} is {@code default} (the bundled model), a fixture name under {@code fixtures/models/} (found
 * from the working directory up) or the path of a package, e.g. one exported by {@code recipes/export/export.py} (see
 * {@code sentiment-bench/results/inference.md}). Everything runs on {@code threads} ONNX Runtime intra-op
 * threads and one inter-op thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class InferenceBenchmark {
  @Param({"fbank-cnn-tiny", "wav2vec2-tiny", "whisper-tiny"})
  public String model;

  @Param({"10"})
  public double seconds;

  @Param({"1"})
  public int threads;

  Audio audio;
  FeatureExtractor extractor;
  FeatureBatch batch;
  ModelManifest manifest;
  InferenceSession session;
  ScoreDecoder decoder;

  OrtEnvironment env;
  OrtSession bare;
  Map<String, OnnxTensor> bareInputs;

  @Setup(Level.Trial)
  public void setUp() throws OrtException {
    ModelPackage pkg = BenchDevices.model(model);
    manifest = pkg.manifest();
    extractor = extractor(manifest);
    audio = Audio.of(speechLike((int) Math.round(seconds * manifest.sampleRate()), manifest.sampleRate()),
        manifest.sampleRate());
    Features features = extractor.extract(audio);
    batch = FeatureBatch.of(List.of(features), manifest.input().layout(), manifest.input().fixedFrames());
    SessionOptions options = new SessionOptions(io.github.tingxin.api.Device.CPU, threads, 1,
        SessionOptions.Optimization.ALL);
    session = new OnnxBackend().open(pkg, options);
    decoder = ScoreDecoder.of(manifest);

    env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      o.setIntraOpNumThreads(threads);
      o.setInterOpNumThreads(1);
      bare = pkg.modelFile().isPresent() ? env.createSession(pkg.modelFile().get().toString(), o)
          : env.createSession(pkg.modelBytes(), o);
    }
    long[] shape = switch (batch.layout()) {
      case BATCH_TIME -> new long[] {1, batch.frames()};
      case BATCH_TIME_FEATURE -> new long[] {1, batch.frames(), batch.dim()};
      case BATCH_FEATURE_TIME -> new long[] {1, batch.dim(), batch.frames()};
    };
    bareInputs = new HashMap<>();
    bareInputs.put(manifest.input().name(), OnnxTensor.createTensor(env, FloatBuffer.wrap(batch.data()), shape));
    if (manifest.input().lengths().isPresent()) {
      bareInputs.put(manifest.input().lengths().get(),
          OnnxTensor.createTensor(env, LongBuffer.wrap(batch.lengths()), new long[] {1}));
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws OrtException {
    session.close();
    for (OnnxTensor t : bareInputs.values()) {
      t.close();
    }
    bare.close();
  }

  /**
   * CPU time of the benchmark thread per call. With one intra-op thread ONNX Runtime computes on the calling
   * thread, so this counts all the work of a call and, unlike wall time, little of the waiting on a loaded
   * machine. JMH sums both counters over the measurement; their ratio is the CPU time per call.
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class CpuTime {
    public long cpuMicros;
    public long calls;

    @Setup(Level.Iteration)
    public void reset() {
      cpuMicros = 0;
      calls = 0;
    }

    void add(long startNanos) {
      cpuMicros += (THREADS.getCurrentThreadCpuTime() - startNanos) / 1000;
      calls++;
    }
  }

  static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  @Benchmark
  public float bareOrt(CpuTime cpu) throws OrtException {
    long t0 = THREADS.getCurrentThreadCpuTime();
    try (OrtSession.Result r = bare.run(bareInputs)) {
      float[] first = ((OnnxTensor) r.get(0)).getFloatBuffer().array();
      return first[0];
    } finally {
      cpu.add(t0);
    }
  }

  @Benchmark
  public Map<String, float[][]> tingxinRun(CpuTime cpu) {
    long t0 = THREADS.getCurrentThreadCpuTime();
    try {
      return session.run(batch);
    } finally {
      cpu.add(t0);
    }
  }

  @Benchmark
  public List<ScoreDecoder.Decoded> tingxinEndToEnd(CpuTime cpu) {
    long t0 = THREADS.getCurrentThreadCpuTime();
    try {
      Features f = extractor.extract(audio);
      FeatureBatch b = FeatureBatch.of(List.of(f), manifest.input().layout(), manifest.input().fixedFrames());
      return decoder.decodeBatch(session.run(b));
    } finally {
      cpu.add(t0);
    }
  }

  static Path resolve(String model) {
    if (model.contains("/")) {
      return Path.of(model);
    }
    try {
      return BenchDevices.findUp(Path.of("fixtures", "models", model));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("fixture " + model + " not found under fixtures/models above the working "
          + "directory; run from the repository root or pass a package path", e);
    }
  }

  static FeatureExtractor extractor(ModelManifest m) {
    return Providers.FEATURE_EXTRACTORS.named(m.features().type()).create(m.features(), m.sampleRate());
  }

  /** A harmonic voice with a wandering pitch and noise, so that features are not degenerate. */
  static float[] speechLike(int n, int rate) {
    Random rng = new Random(42);
    float[] x = new float[n];
    double phase = 0;
    for (int i = 0; i < n; i++) {
      double t = (double) i / rate;
      phase += 2 * Math.PI * (150 + 40 * Math.sin(2 * Math.PI * 3 * t)) / rate;
      double v = 0;
      for (int k = 1; k <= 8; k++) {
        v += Math.sin(k * phase) / k;
      }
      x[i] = (float) (0.2 * v * (0.55 - 0.45 * Math.cos(2 * Math.PI * 4 * t)) + 0.01 * rng.nextGaussian());
    }
    return x;
  }
}
