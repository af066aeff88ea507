package io.github.tingxin.bench;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.AudioInput;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.EmotionStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Peak heap and native memory (resident set, from {@code /proc/self/status}) of the default model on
 * long and many calls. Not a JMH benchmark: memory is a property of one run, and the JVM must not pre-touch
 * its heap (that would make the resident set the heap size). Run one scenario per JVM, from the
 * repository root:
 * <pre>
 * java -Xms64m -Xmx1g -cp sentiment-bench/target/benchmarks.jar io.github.tingxin.bench.MemoryProfile stream-hour
 * java -Xms64m -Xmx1g -cp sentiment-bench/target/benchmarks.jar io.github.tingxin.bench.MemoryProfile analyze-hour
 * java -Xms64m -Xmx1g -cp sentiment-bench/target/benchmarks.jar io.github.tingxin.bench.MemoryProfile batch-100
 * </pre>
 * <ul>
 *   <li>{@code stream-hour}: one hour of 8 kHz audio fed to a live stream in 100 ms chunks, made on the fly
 *   from the test call (the hour is never held in memory);</li>
 *   <li>{@code analyze-hour}: the same hour held in memory and given to {@code analyze} at once;</li>
 *   <li>{@code batch-100}: 100 calls of 60 s at 8 kHz analysed on two threads sharing one recognizer, all
 *   100 analyses kept.</li>
 * </ul>
 * Prints one line of {@code key=value}: the resident set after the model is loaded (the baseline), the
 * peak resident set during the work ({@code VmHWM}, reset after setup where the kernel allows), the peak
 * heap in use (sum of the heap pools' peaks, reset after setup), the wall time and the process CPU time.
 */
public final class MemoryProfile {
  private MemoryProfile() {}

  public static void main(String[] args) throws Exception {
    String scenario = args.length > 0 ? args[0] : "stream-hour";
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    try (EmotionRecognizer recognizer = EmotionRecognizer.builder().model(BenchDevices.model("default"))
        .threads(scenario.equals("batch-100") ? 1 : threads).build()) {
      Audio call = BenchDevices.tile(8000);
      // Warm the path once (class loading, ONNX Runtime's first-run allocations) on a minute of audio.
      recognizer.analyze(AudioInput.of(BenchDevices.call(60, 8000)));
      System.gc();
      long baselineRss = status("VmRSS");
      boolean hwmReset = resetPeakRss();
      for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
        p.resetPeakUsage();
      }
      long cpu0 = processCpuNanos();
      long t0 = System.nanoTime();
      String work = switch (scenario) {
        case "stream-hour" -> streamHour(recognizer, call);
        case "analyze-hour" -> analyzeHour(recognizer);
        case "batch-100" -> batch100(recognizer, threads);
        default -> throw new IllegalArgumentException("scenario: stream-hour, analyze-hour or batch-100");
      };
      double seconds = (System.nanoTime() - t0) / 1e9;
      double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
      long peakHeap = 0;
      for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
        if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
          peakHeap += p.getPeakUsage().getUsed();
        }
      }
      System.out.printf(Locale.ROOT, "scenario=%s threads=%d %s wall_s=%.2f process_cpu_s=%.2f baseline_rss_mb=%.0f "
              + "peak_rss_mb=%.0f%s peak_heap_used_mb=%.0f heap_committed_mb=%.0f%n",
          scenario, threads, work, seconds, cpuSeconds, baselineRss / 1024.0, status("VmHWM") / 1024.0,
          hwmReset ? "" : "(since_start)", peakHeap / 1048576.0,
          Runtime.getRuntime().totalMemory() / 1048576.0);
    }
  }

  private static String streamHour(EmotionRecognizer recognizer, Audio call) {
    int rate = 8000;
    int chunk = rate / 10;
    float[] buffer = new float[chunk];
    long total = 3600L * rate;
    int[] segments = new int[1];
    try (EmotionStream s = recognizer.openStream(rate, segment -> segments[0]++)) {
      long pos = 0;
      while (pos < total) {
        int n = (int) Math.min(chunk, total - pos);
        int filled = 0;
        while (filled < n) {
          int at = (int) ((pos + filled) % call.length());
          int take = Math.min(n - filled, call.length() - at);
          call.copyTo(at, buffer, filled, take);
          filled += take;
        }
        s.accept(buffer, 0, n);
        pos += n;
      }
      CallAnalysis a = s.finish();
      return "segments=" + a.segments().size() + " listener_segments=" + segments[0];
    }
  }

  private static String analyzeHour(EmotionRecognizer recognizer) {
    CallAnalysis a = recognizer.analyze(AudioInput.of(BenchDevices.call(3600, 8000)));
    return "segments=" + a.segments().size();
  }

  private static String batch100(EmotionRecognizer recognizer, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<CallAnalysis>> futures = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        futures.add(pool.submit(() -> recognizer.analyze(AudioInput.of(BenchDevices.call(60, 8000)))));
      }
      List<CallAnalysis> kept = new ArrayList<>();
      int segments = 0;
      for (Future<CallAnalysis> f : futures) {
        kept.add(f.get());
        segments += kept.get(kept.size() - 1).segments().size();
      }
      return "calls=" + kept.size() + " segments=" + segments;
    } finally {
      pool.shutdown();
    }
  }

  /** CPU time of the whole process (all threads, JIT and GC included): steadier than wall time on a shared machine. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** A field of /proc/self/status, in kB. */
  static long status(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
      }
    }
    return -1;
  }

  /** Writing 5 to clear_refs resets VmHWM to the current resident set (Linux 4.0+). */
  private static boolean resetPeakRss() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
