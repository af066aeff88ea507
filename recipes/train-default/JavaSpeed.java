import io.github.tingxin.api.*;
import io.github.tingxin.spi.*;
import io.github.tingxin.onnx.OnnxBackend;
import java.lang.management.*;
import java.nio.file.Path;
import java.util.*;

/** CPU time of the bundled model in Tingxin's Java pipeline, one thread: see MODEL_CARD.md for the command. */
public class Speed {
  public static void main(String[] a) throws Exception {
    ModelPackage pkg = ModelPackage.load(Path.of(a[0]));
    ModelManifest m = pkg.manifest();
    FeatureExtractor fx = Providers.FEATURE_EXTRACTORS.named(m.features().type()).create(m.features(), m.sampleRate());
    Random r = new Random(1);
    float[] x = new float[32000];
    for (int i = 0; i < x.length; i++) x[i] = (float) (0.1 * Math.sin(2 * Math.PI * 150 * i / 16000.0) * (1 + 0.5 * Math.sin(i / 800.0)) + 0.01 * r.nextGaussian());
    Audio audio = Audio.of(x, 16000);
    ThreadMXBean tb = ManagementFactory.getThreadMXBean();
    try (InferenceSession s = new OnnxBackend().open(pkg, new SessionOptions(Device.CPU, 1, 1, SessionOptions.Optimization.ALL))) {
      Features f = fx.extract(audio);
      FeatureBatch b = FeatureBatch.of(List.of(f), m.input().layout(), 0);
      for (int i = 0; i < 300; i++) s.run(b);
      for (int rep = 0; rep < 3; rep++) {
        int n = 1000;
        long c0 = tb.getCurrentThreadCpuTime(), w0 = System.nanoTime();
        for (int i = 0; i < n; i++) s.run(b);
        long c1 = tb.getCurrentThreadCpuTime(), w1 = System.nanoTime();
        for (int i = 0; i < n; i++) fx.extract(audio);
        long c2 = tb.getCurrentThreadCpuTime();
        double model = (c1 - c0) / 1e6 / n, fb = (c2 - c1) / 1e6 / n;
        System.out.printf("model %.3f ms CPU (wall %.3f ms), fbank %.3f ms CPU per 2 s: %.0fx / %.0fx real time%n", model, (w1 - w0) / 1e6 / n, fb, 2000 / model, 2000 / (model + fb));
      }
    }
  }
}
