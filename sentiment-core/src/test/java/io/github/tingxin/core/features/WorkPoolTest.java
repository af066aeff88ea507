package io.github.tingxin.core.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link WorkPool}: a buffer serves one call at a time, idle buffers are reused and bounded, and an
 * extractor's work goes with the extractor (a per-instance {@code ThreadLocal} kept it in every thread that had
 * used it).
 */
class WorkPoolTest {
  static final class Buffer {
    final AtomicBoolean lent = new AtomicBoolean();
  }

  @Test
  void idleBuffersAreReusedAndBounded() {
    AtomicInteger built = new AtomicInteger();
    WorkPool<Buffer> pool = new WorkPool<>(() -> {
      built.incrementAndGet();
      return new Buffer();
    }, 3);
    Buffer a = pool.take();
    pool.give(a);
    assertThat(pool.take()).isSameAs(a);
    List<Buffer> five = new ArrayList<>(List.of(a));
    for (int i = 0; i < 4; i++) {
      five.add(pool.take());
    }
    assertThat(built).hasValue(5);
    five.forEach(pool::give);
    assertThat(pool.idle()).isEqualTo(3);
    for (int i = 0; i < 3; i++) {
      assertThat(five).contains(pool.take());
    }
    assertThat(built).hasValue(5);
    pool.take();
    assertThat(built).hasValue(6);
  }

  @Test
  void aBufferServesOneCallAtATime() throws Exception {
    WorkPool<Buffer> pool = new WorkPool<>(Buffer::new, 4);
    AtomicInteger clashes = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        done.add(threads.submit(() -> {
          for (int i = 0; i < 20_000; i++) {
            Buffer b = pool.take();
            if (!b.lent.compareAndSet(false, true)) {
              clashes.incrementAndGet();
            }
            Thread.onSpinWait();
            b.lent.set(false);
            pool.give(b);
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(clashes).hasValue(0);
    assertThat(pool.idle()).isBetween(1, 4);
  }

  /** A block extractor that copies its samples, remembering the work it builds. */
  static final class CopyingExtractor extends BlockExtractor<BlockExtractor.Work> {
    final List<WeakReference<Work>> built = new ArrayList<>();

    @Override
    Work newWork() {
      Work w = new Work();
      synchronized (built) {
        built.add(new WeakReference<>(w));
      }
      return w;
    }

    @Override
    void compute(Work w, int numSamples, float[] out, int outOffset) {
      for (int i = 0; i < numSamples; i++) {
        out[outOffset + i] = w.source.get(i);
      }
    }

    @Override
    public int sampleRate() {
      return 16000;
    }

    @Override
    public int dim() {
      return 1;
    }

    @Override
    public int numFrames(int numSamples) {
      return numSamples;
    }
  }

  @Test
  void anExtractorsWorkGoesWithIt() throws InterruptedException {
    float[] x = TestSignals.speechLike(16000, 4000, 5);
    List<WeakReference<BlockExtractor.Work>> works = new ArrayList<>();
    for (int k = 0; k < 20; k++) {
      CopyingExtractor e = new CopyingExtractor();
      assertThat(java.util.Arrays.copyOf(e.extract(x, 0, x.length).data(), x.length)).containsExactly(x);
      works.addAll(e.built);
    }
    assertThat(works).hasSize(20);
    for (int i = 0; i < 50 && works.stream().anyMatch(w -> w.get() != null); i++) {
      System.gc();
      Thread.sleep(10);
    }
    assertThat(works.stream().filter(w -> w.get() != null).count())
        .as("work buffers still reachable after their extractors were dropped").isZero();
  }
}
