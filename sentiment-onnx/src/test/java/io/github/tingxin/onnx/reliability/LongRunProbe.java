package io.github.tingxin.onnx.reliability;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.EmotionStream;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.StreamListener;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Measures heap (after full collections) and resident memory (VmRSS) of a JVM whose heap is fully resident
 * from the start ({@code -Xms} = {@code -Xmx}, {@code -XX:+AlwaysPreTouch}), so that resident growth is native
 * memory (ONNX Runtime, malloc) and JIT code, not the heap filling in. Prints {@code key=value} lines.
 *
 * <p>Arguments: {@code inferences streamSeconds sessionCycles}. Phases:
 * <ol>
 *   <li>{@code inferences} single-clip inferences through {@link EmotionRecognizer#score} with fixture
 *   {@code fbank-cnn-tiny}, memory sampled after a warm-up of a tenth (at least 100);</li>
 *   <li>a live stream of {@code streamSeconds} of audio fed in 100 ms chunks, sampled after the first
 *   tenth (at least 60 s of audio);</li>
 *   <li>{@code sessionCycles} recognizers built, used for one inference and closed (each opens and closes an
 *   ONNX Runtime session), sampled after a tenth (at least 20).</li>
 * </ol>
 */
public final class LongRunProbe {
  private LongRunProbe() {}

  public static void main(String[] args) {
    int inferences = Integer.parseInt(args[0]);
    double streamSeconds = Double.parseDouble(args[1]);
    int cycles = Integer.parseInt(args[2]);
    Audio call = Calls.call();
    List<Audio> clips = new ArrayList<>();
    for (int k = 0; k < 8; k++) {
      int from = (int) Math.round((1.3 + 3.9 * k) * 16000);
      clips.add(call.slice(from, from + 16000 + 4000 * k));
    }
    System.out.println("rss.start=" + Calls.rssBytes());

    try (EmotionRecognizer r = build()) {
      int warm = Math.max(100, inferences / 10);
      long[] at = null;
      long start = System.nanoTime();
      for (int i = 0; i < inferences; i++) {
        if (i == warm) {
          at = sample();
        }
        r.score(List.of(clips.get(i % clips.size())));
      }
      long[] end = sample();
      report("inference", inferences, at, end, System.nanoTime() - start);
    }

    try (EmotionRecognizer r = build()) {
      int[] segments = {0};
      EmotionStream stream = r.openStream(16000, new StreamListener() {
        @Override
        public void onSegment(SegmentResult segment) {
          segments[0]++;
        }
      });
      int chunk = 1600;
      long total = Math.round(streamSeconds * 16000);
      long warm = Math.max(60 * 16000L, total / 10);
      float[] buf = new float[chunk];
      long[] at = null;
      int segmentsAtWarm = 0;
      long start = System.nanoTime();
      for (long fed = 0; fed < total; fed += chunk) {
        if (at == null && fed >= warm) {
          at = sample();
          segmentsAtWarm = segments[0];
        }
        int n = (int) Math.min(chunk, total - fed);
        long round = fed / call.length();
        float gain = 0.5f + 0.05f * (round % 7);
        for (int i = 0; i < n; i++) {
          buf[i] = gain * call.sample((int) ((fed + i) % call.length()));
        }
        stream.accept(buf, 0, n);
      }
      CallAnalysis analysis = stream.finish();
      long[] end = sample();
      report("stream", total / 16000, at, end, System.nanoTime() - start);
      System.out.println("stream.segments=" + analysis.segments().size());
      System.out.println("stream.segmentsAfterWarmup=" + (segments[0] - segmentsAtWarm));
    }

    int warm = Math.max(20, cycles / 10);
    long[] at = null;
    long start = System.nanoTime();
    for (int i = 0; i < cycles; i++) {
      if (i == warm) {
        at = sample();
      }
      try (EmotionRecognizer r = build()) {
        r.score(List.of(clips.get(i % clips.size())));
      }
    }
    long[] end = sample();
    report("sessions", cycles, at, end, System.nanoTime() - start);
    System.out.println("rss.end=" + Calls.rssBytes());
  }

  static EmotionRecognizer build() {
    return EmotionRecognizer.builder().model(Calls.fixture("fbank-cnn-tiny")).threads(1).batchSize(4).build();
  }

  /**
   * {heap after GC, RSS, committed bytes of the JVM's non-heap pools}. Before RSS is read, glibc's malloc is
   * asked to return its free memory ({@code System.trim_native_heap}): the JIT compilers' arenas are freed
   * after each compilation but stay resident in malloc's free lists, in amounts that depend on how busy the
   * machine is, and would otherwise read as native growth. The non-heap pools (code cache, metaspace) are
   * the JVM's own and are reported so that the test can count only native memory outside them.
   */
  static long[] sample() {
    long heap = Calls.heapAfterGc();
    trimNativeHeap();
    long jvmNonHeap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.NON_HEAP) {
        jvmNonHeap += pool.getUsage().getCommitted();
      }
    }
    return new long[] {heap, Calls.rssBytes(), jvmNonHeap};
  }

  static void trimNativeHeap() {
    try {
      ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "systemTrimNativeHeap",
          new Object[] {null}, new String[] {String[].class.getName()});
    } catch (JMException e) {
      throw new IllegalStateException("System.trim_native_heap is not available in this JVM", e);
    }
  }

  static void report(String phase, long count, long[] warm, long[] end, long nanos) {
    System.out.println(phase + ".count=" + count);
    System.out.println(phase + ".heapAfterWarmup=" + warm[0]);
    System.out.println(phase + ".heapEnd=" + end[0]);
    System.out.println(phase + ".rssAfterWarmup=" + warm[1]);
    System.out.println(phase + ".rssEnd=" + end[1]);
    System.out.println(phase + ".jvmNonHeapAfterWarmup=" + warm[2]);
    System.out.println(phase + ".jvmNonHeapEnd=" + end[2]);
    System.out.println(phase + ".seconds=" + String.format(Locale.ROOT, "%.1f", nanos / 1e9));
  }
}
