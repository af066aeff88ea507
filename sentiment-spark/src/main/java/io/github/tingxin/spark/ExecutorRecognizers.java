package io.github.tingxin.spark;

import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.RecognizerSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.broadcast.Broadcast;

/**
 * One recognizer per model and settings per JVM: every task an executor runs shares it (recognizers are
 * thread-safe), so the model is loaded into ONNX Runtime once per executor, not per task or per file. On
 * executors the recognizers live until the JVM exits. In local mode the driver is the executor: each run
 * {@link #retain retains} its key and {@link #release releases} it at the end, and the last run to release a
 * key closes that recognizer, so concurrent runs in one JVM never close each other's.
 *
 * <p>Thread-safe.
 */
final class ExecutorRecognizers {
  private static final Map<String, EmotionRecognizer> RECOGNIZERS = new ConcurrentHashMap<>();
  private static final Map<String, Integer> RUNS = new java.util.HashMap<>();
  private static final java.util.concurrent.atomic.AtomicInteger BUILT = new java.util.concurrent.atomic.AtomicInteger();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ExecutorRecognizers::closeAll, "tingxin-recognizers-close"));
  }

  private ExecutorRecognizers() {}

  static String key(String sha256, RecognizerSettings settings) {
    return sha256 + " " + settings;
  }

  static EmotionRecognizer get(Broadcast<ShippedModel> model, String sha256, RecognizerSettings settings) {
    return RECOGNIZERS.computeIfAbsent(key(sha256, settings), k -> {
      BUILT.incrementAndGet();
      return EmotionRecognizer.builder().model(model.value().toPackage()).settings(settings).build();
    });
  }

  /** A local run starts using {@code key}. */
  static synchronized void retain(String key) {
    RUNS.merge(key, 1, Integer::sum);
  }

  /** A local run is done with {@code key}; the last one closes its recognizer. */
  static synchronized void release(String key) {
    Integer left = RUNS.merge(key, -1, Integer::sum);
    if (left == null || left <= 0) {
      RUNS.remove(key);
      EmotionRecognizer r = RECOGNIZERS.remove(key);
      if (r != null) {
        r.close();
      }
    }
  }

  /** Closes and forgets every recognizer of this JVM. */
  static void closeAll() {
    List<EmotionRecognizer> all = new ArrayList<>(RECOGNIZERS.values());
    RECOGNIZERS.clear();
    for (EmotionRecognizer r : all) {
      r.close();
    }
  }

  /** How many recognizers this JVM has built. */
  static int built() {
    return BUILT.get();
  }

  static int open() {
    return RECOGNIZERS.size();
  }
}
