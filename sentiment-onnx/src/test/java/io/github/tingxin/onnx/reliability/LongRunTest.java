package io.github.tingxin.onnx.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Long runs keep heap and resident memory flat after warm-up, and every ONNX Runtime object is closed (many
 * sessions opened and closed leave resident memory flat). Measured by {@link LongRunProbe} in a JVM of its own
 * whose heap is resident from the start, so resident growth is native memory.
 *
 * <p>The default run is short: 500 inferences, a 5-minute stream, 100 session cycles. The long run
 * (10,000 inferences, a 2-hour stream, 2,000 session cycles) is
 * {@code mvn -pl sentiment-onnx -am test -Dtest=LongRunTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dtingxin.longRun=true}; its figures are in {@code sentiment-bench/results/reliability.md}.
 *
 * <p>Bounds, after warm-up: heap growth under 4 MiB (plus 4 KiB per segment a stream delivers, as
 * {@code finish()} returns them all); growth of resident memory outside the JVM's own non-heap pools (code
 * cache, metaspace), read after malloc has returned its free memory, under 24 MiB (short run) or 48 MiB (long
 * run). That allows for malloc's arenas settling but not for a leak of a session's memory per cycle
 * (fbank-cnn-tiny's session holds over 1 MiB) or of any per-inference buffer. Raw RSS growth depended on the
 * machine's load (JIT code and the compilers' freed arenas: 4.5 MiB idle, 28 MiB on a busy CI machine for 80
 * session cycles), which is why it is not the measure.
 */
class LongRunTest {
  static final boolean LONG = Boolean.getBoolean("tingxin.longRun");
  static final long MIB = 1 << 20;

  @Test
  void heapAndResidentMemoryStayFlat() {
    List<String> args = LONG ? List.of("10000", "7200", "2000") : List.of("500", "300", "100");
    // Two malloc arenas rather than glibc's eight per core: arenas settling is not what this test looks for.
    ChildJvm.Result r = ChildJvm.run(List.of(), List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch",
        "-XX:+UseSerialGC"), LongRunProbe.class, args, Map.of("MALLOC_ARENA_MAX", "2"), LONG ? 3 * 3600 : 600);
    assertThat(r.exitCode()).as("%s", r).isZero();
    Map<String, Double> f = new LinkedHashMap<>();
    r.stdout().lines().filter(l -> l.contains("=")).forEach(l -> {
      String[] kv = l.split("=", 2);
      f.put(kv[0], Double.parseDouble(kv[1]));
    });
    // The figures, for the results file.
    System.out.println("LongRunTest " + (LONG ? "long" : "short") + " run:\n" + r.stdout());

    long rssBound = (LONG ? 48 : 24) * MIB;
    for (String phase : List.of("inference", "stream", "sessions")) {
      double heapGrowth = f.get(phase + ".heapEnd") - f.get(phase + ".heapAfterWarmup");
      double rssGrowth = f.get(phase + ".rssEnd") - f.get(phase + ".rssAfterWarmup");
      double jvmNonHeapGrowth = f.get(phase + ".jvmNonHeapEnd") - f.get(phase + ".jvmNonHeapAfterWarmup");
      double nativeGrowth = rssGrowth - Math.max(0, jvmNonHeapGrowth);
      double heapBound = 4 * MIB + (phase.equals("stream") ? 4096 * f.get("stream.segmentsAfterWarmup") : 0);
      assertThat(heapGrowth).as("%s: heap growth after warm-up, bytes", phase).isLessThan(heapBound);
      assertThat(nativeGrowth).as("%s: resident growth after warm-up outside the JVM's code cache and metaspace,"
          + " bytes (RSS %+.0f, JVM non-heap %+.0f)", phase, rssGrowth, jvmNonHeapGrowth).isLessThan(rssBound);
    }
    assertThat(f.get("stream.segments")).as("segments of the stream").isGreaterThan(LONG ? 2000 : 80);
  }
}
