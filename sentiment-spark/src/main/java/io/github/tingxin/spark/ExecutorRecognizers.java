package io.github.tingxin.spark;

import io.github.tingxin.api.EmotionRecognizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.broadcast.Broadcast;

/**
 * One recognizer per model and settings per JVM: every task an executor runs shares it (recognizers are
 * thread-safe), so the model is loaded into ONNX Runtime once per executor, not per task or per file. The
 * recognizers live until {@link #closeAll()} (the driver calls it after a local run) or the JVM exits.
 *
 * <p>Thread-safe.
 */
final class ExecutorRecognizers {
  private static final Map<String, EmotionRecognizer> RECOGNIZERS = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ExecutorRecognizers::closeAll, "tingxin-recognizers-close"));
  }

  private ExecutorRecognizers() {}

  static EmotionRecognizer get(Broadcast<ShippedModel> model, String sha256, RecognizerSettings settings) {
    return RECOGNIZERS.computeIfAbsent(sha256 + " " + settings,
        k -> settings.build(model.value().toPackage()));
  }

  /** Closes and forgets every recognizer of this JVM. */
  static void closeAll() {
    List<EmotionRecognizer> all = new ArrayList<>(RECOGNIZERS.values());
    RECOGNIZERS.clear();
    for (EmotionRecognizer r : all) {
      r.close();
    }
  }

  static int open() {
    return RECOGNIZERS.size();
  }
}
