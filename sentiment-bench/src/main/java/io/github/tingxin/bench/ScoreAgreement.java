package io.github.tingxin.bench;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.core.audio.WavReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Two or more model packages on the same clips: how far the others' negative probabilities are from the
 * first's (max and mean difference, decisions flipped at the negative threshold), each one's CPU time per
 * clip, and, where the clips are labelled, each one's AUC of the negative head. For the int8-versus-fp32
 * question (issue 19): the first package is the float model, the others its quantised twins
 * ({@code scripts/quantize-package.py}). Each clip is scored whole, as one segment ({@code score}), one
 * intra-op thread, in batches of {@code --batch-size} (8; 1 scores each clip alone: a dynamically quantised
 * int8 graph takes one activation scale per batch tensor, so its scores depend on the batch's other clips).
 * <pre>
 * java -cp sentiment-bench/target/benchmarks.jar io.github.tingxin.bench.ScoreAgreement \
 *     --clips ../shared/data/emodb --labels emodb FLOAT_PACKAGE INT8_PACKAGE [MORE...]
 * </pre>
 * Labels: {@code emodb} reads the emotion letter of EmoDB file names (negative: anger W, sadness T, fear A,
 * disgust E, boredom L, as the training recipe defines it; not negative: neutral N, happiness F); a path
 * {@code casia} reads CASIA's emotion folders (negative: angry, fear, sad; not negative: happy,
 * neutral, surprise); a path reads a TSV of {@code file name <TAB> 0|1}; {@code none} (the default) reports no AUC. Prints scores
 * only as aggregates; clips are never copied.
 */
public final class ScoreAgreement {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private ScoreAgreement() {}

  public static void main(String[] args) throws IOException {
    Path clipsDir = null;
    String labels = "none";
    int max = Integer.MAX_VALUE;
    int batchSize = 8;
    List<String> packages = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--clips" -> clipsDir = Path.of(args[++i]);
        case "--labels" -> labels = args[++i];
        case "--max" -> max = Integer.parseInt(args[++i]);
        case "--batch-size" -> batchSize = Integer.parseInt(args[++i]);
        default -> packages.add(args[i]);
      }
    }
    if (clipsDir == null || packages.size() < 2) {
      System.err.println("usage: ScoreAgreement --clips DIR [--labels emodb|casia|TSV|none] [--max N] [--batch-size B] REFERENCE OTHER...");
      System.exit(2);
    }
    List<Path> files;
    try (Stream<Path> s = Files.walk(clipsDir)) {
      files = s.filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith(".wav")).sorted().limit(max).toList();
    }
    boolean named = List.of("emodb", "casia", "none").contains(labels);
    Map<String, Integer> tsv = named ? Map.of() : readTsv(Path.of(labels));
    List<Audio> clips = new ArrayList<>();
    int[] truth = new int[files.size()];
    double seconds = 0;
    for (int i = 0; i < files.size(); i++) {
      Audio a = WavReader.read(files.get(i)).channel(0);
      clips.add(a);
      seconds += a.durationSeconds();
      String name = files.get(i).getFileName().toString();
      truth[i] = switch (labels) {
        case "emodb" -> emodbNegative(name);
        case "casia" -> casiaNegative(files.get(i));
        default -> tsv.getOrDefault(name, -1);
      };
    }
    System.out.printf(Locale.ROOT, "clips=%d mean_seconds=%.2f labels=%s batch_size=%d load=%s%n", clips.size(),
        seconds / clips.size(), labels, batchSize, Files.readString(Path.of("/proc/loadavg")).trim());
    double[] reference = null;
    for (String name : packages) {
      ModelPackage pkg = BenchDevices.model(name);
      double[] p = new double[clips.size()];
      long cpu;
      try (EmotionRecognizer r = EmotionRecognizer.builder().model(pkg).threads(1).batchSize(batchSize).build()) {
        r.score(clips.subList(0, Math.min(8, clips.size()))); // warm-up
        long t0 = THREADS.getCurrentThreadCpuTime();
        List<SegmentResult> scored = r.score(clips);
        cpu = THREADS.getCurrentThreadCpuTime() - t0;
        for (int i = 0; i < p.length; i++) {
          p[i] = scored.get(i).negativeProbability().orElse(Double.NaN);
        }
      }
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s: cpu_ms_per_clip=%.2f auc=%s",
          pkg.manifest().name(), cpu / 1e6 / clips.size(), auc(p, truth)));
      if (reference == null) {
        reference = p;
      } else {
        double worst = 0;
        double sum = 0;
        int flipped = 0;
        double threshold = 0.5;
        for (int i = 0; i < p.length; i++) {
          double d = Math.abs(p[i] - reference[i]);
          worst = Math.max(worst, d);
          sum += d;
          if ((p[i] >= threshold) != (reference[i] >= threshold)) {
            flipped++;
          }
        }
        line.append(String.format(Locale.ROOT, " vs_first: max_abs_diff=%.4f mean_abs_diff=%.5f "
            + "flipped_at_0.5=%d", worst, sum / p.length, flipped));
      }
      System.out.println(line);
    }
  }

  /** 1 for EmoDB's negative emotions, 0 for neutral and happiness, -1 if the name has no emotion letter. */
  static int emodbNegative(String fileName) {
    if (fileName.length() < 6) {
      return -1;
    }
    return switch (fileName.charAt(5)) {
      case 'W', 'T', 'A', 'E', 'L' -> 1;
      case 'N', 'F' -> 0;
      default -> -1;
    };
  }

  /**
   * 1 for CASIA's negative emotions (the folder {@code SPEAKER/EMOTION/NNN.wav}: angry, fear, sad), 0 for
   * happy, neutral and surprise (as the training recipe maps them), -1 for any other folder.
   */
  static int casiaNegative(Path file) {
    Path folder = file.getParent();
    String emotion = folder == null ? "" : folder.getFileName().toString();
    return switch (emotion) {
      case "angry", "fear", "sad" -> 1;
      case "happy", "neutral", "surprise" -> 0;
      default -> -1;
    };
  }

  /** Area under the ROC curve of {@code score} for {@code truth} (1 positive, 0 negative, -1 skipped), "-" if undefined. */
  static String auc(double[] score, int[] truth) {
    long pairs = 0;
    double wins = 0;
    for (int i = 0; i < score.length; i++) {
      if (truth[i] != 1) {
        continue;
      }
      for (int j = 0; j < score.length; j++) {
        if (truth[j] != 0) {
          continue;
        }
        pairs++;
        wins += score[i] > score[j] ? 1 : score[i] == score[j] ? 0.5 : 0;
      }
    }
    return pairs == 0 ? "-" : String.format(Locale.ROOT, "%.4f", wins / pairs);
  }

  private static Map<String, Integer> readTsv(Path tsv) throws IOException {
    java.util.HashMap<String, Integer> out = new java.util.HashMap<>();
    for (String line : Files.readAllLines(tsv)) {
      String[] f = line.split("\t");
      if (f.length >= 2 && (f[1].trim().equals("0") || f[1].trim().equals("1"))) {
        out.put(Path.of(f[0].trim()).getFileName().toString(), Integer.parseInt(f[1].trim()));
      }
    }
    return out;
  }
}
