import io.github.tingxin.api.Audio;
import io.github.tingxin.api.Device;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.onnx.OnnxBackend;
import io.github.tingxin.spi.FeatureBatch;
import io.github.tingxin.spi.FeatureExtractor;
import io.github.tingxin.spi.Features;
import io.github.tingxin.spi.InferenceSession;
import io.github.tingxin.spi.Providers;
import io.github.tingxin.spi.SessionOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * CPU time of a model package in Tingxin's Java pipeline on one thread, per segment of each length given:
 * the manifest's feature extractor and the ONNX Runtime session (1 intra-op, 1 inter-op thread, on the
 * calling thread). Thread CPU time over N runs after warm-up, three repetitions; wall time beside it.
 *
 *   mvn -q -o -pl sentiment-bench -am package -DskipTests
 *   java -cp sentiment-bench/target/benchmarks.jar recipes/train-whisper/JavaSpeed.java \
 *       sentiment-models/src/main/resources/io/github/tingxin/models/default 2 1 4
 */
public class JavaSpeed {
  public static void main(String[] a) throws Exception {
    ModelPackage pkg = ModelPackage.load(Path.of(a[0]));
    ModelManifest m = pkg.manifest();
    FeatureExtractor fx = Providers.FEATURE_EXTRACTORS.named(m.features().type()).create(m.features(), m.sampleRate());
    ThreadMXBean tb = ManagementFactory.getThreadMXBean();
    try (InferenceSession s = new OnnxBackend().open(pkg, new SessionOptions(Device.CPU, 1, 1, SessionOptions.Optimization.ALL))) {
      for (int arg = 1; arg < Math.max(2, a.length); arg++) {
        double seconds = a.length > arg ? Double.parseDouble(a[arg]) : 2.0;
        Random r = new Random(1);
        float[] x = new float[(int) (seconds * m.sampleRate())];
        for (int i = 0; i < x.length; i++) {
          double t = i / (double) m.sampleRate();
          x[i] = (float) (0.1 * Math.sin(2 * Math.PI * (150 + 30 * Math.sin(2 * Math.PI * 2 * t)) * t)
              * (1 + 0.5 * Math.sin(i / 800.0)) + 0.01 * r.nextGaussian());
        }
        Audio audio = Audio.of(x, m.sampleRate());
        Features f = fx.extract(audio);
        FeatureBatch b = FeatureBatch.of(List.of(f), m.input().layout(), 0);
        int n = (int) Math.max(20, 200 / seconds);
        for (int i = 0; i < n; i++) {
          s.run(b);
        }
        for (int rep = 0; rep < 3; rep++) {
          long c0 = tb.getCurrentThreadCpuTime();
          long w0 = System.nanoTime();
          for (int i = 0; i < n; i++) {
            s.run(b);
          }
          long c1 = tb.getCurrentThreadCpuTime();
          long w1 = System.nanoTime();
          for (int i = 0; i < n; i++) {
            fx.extract(audio);
          }
          long c2 = tb.getCurrentThreadCpuTime();
          double model = (c1 - c0) / 1e6 / n;
          double feats = (c2 - c1) / 1e6 / n;
          System.out.printf("%.1f s segment: model %.2f ms CPU (wall %.2f ms), features %.2f ms CPU: %.0fx real time "
              + "(model + features, CPU)%n", seconds, model, (w1 - w0) / 1e6 / n, feats, seconds * 1000 / (model + feats));
        }
      }
    }
  }
}
