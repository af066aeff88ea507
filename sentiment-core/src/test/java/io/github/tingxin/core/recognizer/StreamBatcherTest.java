package io.github.tingxin.core.recognizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.Speaker;
import io.github.tingxin.api.TingxinException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batcher alone, with a scoring function the test controls: which requests share a batch, what a full
 * queue does, failures, cancellation and shutdown. Waits are for states (a thread parked in the queue, a
 * batch started), never for durations.
 */
class StreamBatcherTest {
  /** Clip lengths of every batch scored, in the order scored. */
  private final List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
  private volatile CountDownLatch gate;
  private final CountDownLatch started = new CountDownLatch(1);
  private final AtomicInteger entered = new AtomicInteger();
  private StreamBatcher batcher;

  /** "Scores" a clip as its length; fails a batch holding a clip of length 13; waits on the gate. */
  private final BiFunction<List<float[]>, List<DefaultEmotionRecognizer.Span>, List<SegmentResult>> scoring =
      (clips, spans) -> {
        entered.incrementAndGet();
        started.countDown();
        CountDownLatch g = gate;
        if (g != null) {
          try {
            g.await();
          } catch (InterruptedException e) {
            throw new AssertionError(e);
          }
        }
        List<Integer> lengths = clips.stream().map(c -> c.length).toList();
        batches.add(lengths);
        if (lengths.contains(13)) {
          throw new IllegalStateException("model failure on a length-13 clip");
        }
        List<SegmentResult> out = new ArrayList<>();
        for (int i = 0; i < clips.size(); i++) {
          DefaultEmotionRecognizer.Span s = spans.get(i);
          out.add(new SegmentResult(s.index(), s.start(), s.end(), s.speaker(), s.channel(), List.of(),
              OptionalDouble.of(clips.get(i).length / 1000.0), false));
        }
        return out;
      };

  @AfterEach
  void stop() {
    if (gate != null) {
      gate.countDown();
    }
    if (batcher != null) {
      batcher.shutdown();
    }
  }

  private static List<float[]> clips(int... lengths) {
    List<float[]> out = new ArrayList<>();
    for (int n : lengths) {
      out.add(new float[n]);
    }
    return out;
  }

  private static List<DefaultEmotionRecognizer.Span> spans(int first, int count) {
    List<DefaultEmotionRecognizer.Span> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new DefaultEmotionRecognizer.Span(first + i, first + i, first + i + 0.5, Speaker.CALLER, -1, 0));
    }
    return out;
  }

  private StreamBatcher.Request submit(int index, int... lengths) {
    return batcher.submit(clips(lengths), spans(index, lengths.length), false);
  }

  /** Waits until {@code t} parks (blocked in the queue), or fails if it ends first. */
  private static void awaitParked(Thread t) throws InterruptedException {
    while (t.getState() != Thread.State.WAITING) {
      assertThat(t.isAlive()).as("thread still running").isTrue();
      Thread.sleep(1);
    }
  }

  @Test
  void aFreeThreadTakesWhatWaitsOldestFirstUpToTheBatchSizeAndSplitsResultsBack() throws Exception {
    batcher = new StreamBatcher(scoring, 3, 100, 1, "test-scoring");
    gate = new CountDownLatch(1);
    StreamBatcher.Request first = submit(0, 101);
    assertThat(started.await(1, TimeUnit.MINUTES)).isTrue(); // the only thread is busy with the first
    StreamBatcher.Request a = submit(1, 102, 103);
    StreamBatcher.Request b = submit(3, 104);
    StreamBatcher.Request c = submit(4, 105); // would make 4 segments: waits for the next batch
    StreamBatcher.Request big = submit(5, 106, 107, 108, 109); // larger than a batch: taken alone
    gate.countDown();
    assertThat(big.result.get(1, TimeUnit.MINUTES)).hasSize(4);
    assertThat(batches).containsExactly(List.of(101), List.of(102, 103, 104), List.of(105),
        List.of(106, 107, 108, 109));
    assertThat(a.result.get()).extracting(SegmentResult::index).containsExactly(1, 2);
    assertThat(a.result.get()).extracting(s -> s.negativeProbability().getAsDouble()).containsExactly(0.102, 0.103);
    assertThat(b.result.get()).extracting(SegmentResult::index).containsExactly(3);
    assertThat(c.result.get().get(0).negativeProbability().getAsDouble()).isEqualTo(0.105);
    assertThat(first.result.get()).hasSize(1);
  }

  @Test
  void aRequestMarkedAloneNeverSharesABatchNeitherWithStreamsNorWithAnother() throws Exception {
    batcher = new StreamBatcher(scoring, 8, 100, 1, "test-scoring");
    gate = new CountDownLatch(1);
    submit(0, 500);
    assertThat(started.await(1, TimeUnit.MINUTES)).isTrue(); // what follows piles up behind the gate
    StreamBatcher.Request stream1 = submit(1, 501);
    StreamBatcher.Request analysis1 = batcher.submit(clips(502, 503), spans(2, 2), true);
    StreamBatcher.Request analysis2 = batcher.submit(clips(504), spans(4, 1), true);
    StreamBatcher.Request stream2 = submit(5, 505);
    StreamBatcher.Request stream3 = submit(6, 506);
    gate.countDown();
    for (StreamBatcher.Request r : List.of(stream1, analysis1, analysis2, stream2, stream3)) {
      r.result.get(1, TimeUnit.MINUTES);
    }
    // room for 8 segments in every batch, yet each analysis request is a batch of its own
    assertThat(batches).containsExactly(List.of(500), List.of(501), List.of(502, 503), List.of(504),
        List.of(505, 506));
  }

  @Test
  void aFullQueueMakesSubmitWaitAndAnInterruptedWaitQueuesNothing() throws Exception {
    batcher = new StreamBatcher(scoring, 1, 2, 1, "test-scoring");
    gate = new CountDownLatch(1);
    StreamBatcher.Request inFlight = submit(0, 200);
    assertThat(started.await(1, TimeUnit.MINUTES)).isTrue();
    StreamBatcher.Request q1 = submit(1, 201);
    StreamBatcher.Request q2 = submit(2, 202); // the queue holds 2: full
    AtomicReference<Throwable> refused = new AtomicReference<>();
    Thread interrupted = new Thread(() -> {
      try {
        submit(3, 203);
      } catch (Throwable e) {
        refused.set(e);
        assertThat(Thread.currentThread().isInterrupted()).as("flag left set").isTrue();
      }
    });
    interrupted.start();
    awaitParked(interrupted);
    interrupted.interrupt();
    interrupted.join();
    assertThat(refused.get()).isInstanceOfSatisfying(TingxinException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERRUPTED));
    AtomicReference<StreamBatcher.Request> admitted = new AtomicReference<>();
    Thread waiting = new Thread(() -> admitted.set(submit(4, 204)));
    waiting.start();
    awaitParked(waiting);
    assertThat(admitted.get()).as("still waiting for room").isNull();
    gate.countDown(); // the thread takes the next batch: room for one
    waiting.join();
    admitted.get().result.get(1, TimeUnit.MINUTES);
    for (StreamBatcher.Request r : List.of(inFlight, q1, q2)) {
      assertThat(r.result.get(1, TimeUnit.MINUTES)).hasSize(1);
    }
    assertThat(batches).containsExactly(List.of(200), List.of(201), List.of(202), List.of(204));
  }

  @Test
  void whenABatchFailsEachRequestIsScoredAloneSoOnlyTheFailingOneFails() throws Exception {
    batcher = new StreamBatcher(scoring, 8, 100, 1, "test-scoring");
    gate = new CountDownLatch(1);
    submit(0, 300);
    assertThat(started.await(1, TimeUnit.MINUTES)).isTrue();
    StreamBatcher.Request good1 = submit(1, 301);
    StreamBatcher.Request bad = submit(2, 13, 302);
    StreamBatcher.Request good2 = submit(4, 303);
    gate.countDown();
    assertThat(good1.result.get(1, TimeUnit.MINUTES)).hasSize(1);
    assertThat(good2.result.get(1, TimeUnit.MINUTES)).hasSize(1);
    assertThatThrownBy(bad.result::join).isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(batches).containsExactly(List.of(300), List.of(301, 13, 302, 303), List.of(301), List.of(13, 302),
        List.of(303));
  }

  @Test
  void cancelledRequestsAreSkippedAndShutdownFinishesTheRunningBatchThenStops() throws Exception {
    batcher = new StreamBatcher(scoring, 1, 100, 2, "test-scoring-shutdown");
    gate = new CountDownLatch(1);
    StreamBatcher.Request running = submit(0, 400);
    assertThat(started.await(1, TimeUnit.MINUTES)).isTrue();
    StreamBatcher.Request second = submit(1, 401); // the other thread takes it and waits at the gate too
    while (entered.get() < 2) {
      Thread.sleep(1);
    }
    StreamBatcher.Request cancelled = submit(2, 402);
    cancelled.cancel();
    StreamBatcher.Request waiting = submit(3, 403);
    Thread closing = new Thread(batcher::shutdown);
    closing.start();
    awaitParked(closing); // joins the scoring threads, which are in their batches
    gate.countDown();
    closing.join();
    assertThat(running.result.get()).hasSize(1);
    assertThat(second.result.get()).hasSize(1);
    for (StreamBatcher.Request r : List.of(cancelled, waiting)) {
      assertThatThrownBy(r.result::join).isInstanceOf(CancellationException.class);
    }
    assertThat(batches).containsExactlyInAnyOrder(List.of(400), List.of(401));
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("test-scoring-shutdown"));
    assertThatThrownBy(() -> submit(4, 404)).isInstanceOf(IllegalStateException.class);
    batcher.shutdown(); // idempotent
  }
}
