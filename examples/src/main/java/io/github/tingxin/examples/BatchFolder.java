package io.github.tingxin.examples;

import io.github.tingxin.api.AudioInput;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.CallSummary;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.TingxinException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Analyses every WAV file in a folder on several threads with ONE shared recognizer (it is thread-safe,
 * and one copy of the model serves every thread), then prints one line per call, in file order.
 *
 * <pre>
 * java -cp examples/target/examples.jar io.github.tingxin.examples.BatchFolder calls/ [THREADS] [MODEL]
 * </pre>
 */
public final class BatchFolder {
  private BatchFolder() {}

  /** One call's outcome: its analysis, or why it failed. */
  record Outcome(Path file, CallAnalysis call, TingxinException failure) {}

  /**
   * @param args the folder, optionally the number of threads (default 2), optionally a model package
   * @throws IOException if the folder cannot be listed
   * @throws InterruptedException if interrupted while waiting
   */
  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length < 1) {
      System.err.println("usage: BatchFolder FOLDER [THREADS] [MODEL_DIR_OR_ZIP]");
      System.exit(1);
    }
    Path folder = Path.of(args[0]);
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    ModelPackage model = args.length > 2 ? ModelPackage.load(Path.of(args[2])) : ModelPackage.bundledDefault();
    List<Path> files;
    try (Stream<Path> list = Files.list(folder)) {
      files = list.filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith(".wav")).sorted().toList();
    }

    // Each analysis may use one inference thread: the parallelism comes from analysing calls side by side.
    try (EmotionRecognizer recognizer = EmotionRecognizer.builder().model(model).threads(1).build()) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<Outcome>> futures = new ArrayList<>();
        for (Path file : files) {
          futures.add(pool.submit(() -> {
            try {
              return new Outcome(file, recognizer.analyze(AudioInput.file(file)), null);
            } catch (TingxinException e) {
              return new Outcome(file, null, e); // one bad file must not stop the batch
            }
          }));
        }
        for (Future<Outcome> f : futures) {
          Outcome o = f.get();
          if (o.failure() != null) {
            System.out.printf(Locale.ROOT, "%-40s failed: %s (%s)%n", o.file().getFileName(), o.failure().getMessage(),
                o.failure().code());
          } else {
            // Figures without speech have no value: "-" rather than a 0 that reads like a score.
            CallSummary caller = o.call().caller();
            System.out.printf(Locale.ROOT, "%-40s %6.1f s  %3d segments  %6s negative  peak %s%n",
                o.file().getFileName(), o.call().durationSeconds(), o.call().segments().size(),
                caller.negativeShare().isPresent()
                    ? String.format(Locale.ROOT, "%.1f%%", 100 * caller.negativeShare().getAsDouble()) : "-",
                caller.peaks().isEmpty() ? "-"
                    : String.format(Locale.ROOT, "%.2f", caller.peaks().get(0).negativeProbability().orElse(0)));
          }
        }
      } catch (ExecutionException e) {
        throw new IllegalStateException("an analysis failed unexpectedly", e.getCause());
      } finally {
        pool.shutdown();
      }
    }
  }
}
