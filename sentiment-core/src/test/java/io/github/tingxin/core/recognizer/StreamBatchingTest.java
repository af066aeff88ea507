package io.github.tingxin.core.recognizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.AudioInput;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.EmotionStream;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.TingxinException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Live streams scored through the recognizer's shared {@link StreamBatcher}, with {@link FakeBackend}: many
 * concurrent streams each get the offline answer in order, segments from several streams share batches,
 * {@code finish()} waits for its own segments, an interrupted wait loses nothing, and closing the recognizer
 * under load stops cleanly. No timed assertions: waits are for states.
 */
class StreamBatchingTest {
  private final float[] call = TestModels.call();

  StreamBatchingTest() throws Exception {}

  @AfterEach
  void release() {
    FakeBackend.release();
  }

  /** With threads 0 the recognizer has one scoring thread on any machine. */
  private static EmotionRecognizer recognizer(int batchSize) {
    return EmotionRecognizer.builder().model(TestModels.model(true)).backend("fake").threads(0)
        .batchSize(batchSize).build();
  }

  /** The call rotated by {@code k} seconds and scaled, so that streams differ. */
  private float[] variant(int k) {
    float[] x = new float[call.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = call[(i + k * 16000) % call.length] * (0.6f + 0.05f * (k % 7));
    }
    return x;
  }

  @Test
  void manyConcurrentStreamsEachGetTheOfflineAnalysisInOrderAndShareBatches() throws Exception {
    int streams = 12;
    FakeBackend.MAX_BATCH.set(0);
    try (EmotionRecognizer r = recognizer(4)) {
      List<float[]> audio = new ArrayList<>();
      List<CallAnalysis> offline = new ArrayList<>();
      for (int k = 0; k < streams; k++) {
        audio.add(variant(3 * k));
        offline.add(r.analyze(AudioInput.of(Audio.of(audio.get(k), 16000))));
        assertThat(offline.get(k).segments()).hasSizeGreaterThan(3);
      }
      int offlineMax = FakeBackend.MAX_BATCH.get();
      FakeBackend.MAX_BATCH.set(0);
      // Hold the model until every stream has handed over its first segment, so that they pile up.
      FakeBackend.runGate = new CountDownLatch(1);
      List<List<SegmentResult>> heard = new ArrayList<>();
      List<EmotionStream> open = new ArrayList<>();
      for (int k = 0; k < streams; k++) {
        List<SegmentResult> mine = Collections.synchronizedList(new ArrayList<>());
        heard.add(mine);
        open.add(r.openStream(16000, seg -> {
          assertThat(seg.index()).as("in order").isEqualTo(mine.size());
          mine.add(seg);
        }));
      }
      // Feed each stream up to just past the end of its first segment: accept does not wait for the model.
      int[] fed = new int[streams];
      for (int k = 0; k < streams; k++) {
        int firstEnd = (int) Math.round(offline.get(k).segments().get(0).end() * 16000) + 16000;
        open.get(k).accept(audio.get(k), 0, firstEnd);
        fed[k] = firstEnd;
      }
      FakeBackend.runGate.countDown();
      FakeBackend.runGate = null;
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<CallAnalysis>> done = new ArrayList<>();
        for (int k = 0; k < streams; k++) {
          int s = k;
          done.add(pool.submit(() -> {
            Random random = new Random(s);
            EmotionStream stream = open.get(s);
            int i = fed[s];
            float[] x = audio.get(s);
            while (i < x.length) {
              int n = Math.min(x.length - i, 1 + random.nextInt(4000));
              stream.accept(x, i, n);
              i += n;
            }
            return stream.finish();
          }));
        }
        for (int k = 0; k < streams; k++) {
          assertThat(done.get(k).get(2, TimeUnit.MINUTES)).isEqualTo(offline.get(k));
          assertThat(heard.get(k)).isEqualTo(offline.get(k).segments());
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(offlineMax).isGreaterThan(0);
      // the single scoring thread was held on the first segment while the others piled up
      assertThat(FakeBackend.MAX_BATCH.get()).as("segments that waited share a batch, within batchSize")
          .isBetween(2, 4);
    }
  }

  @Test
  void finishWaitsForItsOwnSegmentsAndAnInterruptedWaitLosesNothing() throws Exception {
    try (EmotionRecognizer r = recognizer(8)) {
      CallAnalysis offline = r.analyze(AudioInput.of(Audio.of(call, 16000)));
      List<SegmentResult> heard = new ArrayList<>();
      EmotionStream s = r.openStream(16000, heard::add);
      FakeBackend.runGate = new CountDownLatch(1);
      FakeBackend.runStarted = new CountDownLatch(1);
      // Feed until the first segment is handed over (its scoring then waits at the gate).
      int chunk = 1600;
      int i = 0;
      while (FakeBackend.runStarted.getCount() > 0) {
        s.accept(call, i, chunk);
        i += chunk;
        if (FakeBackend.runStarted.getCount() > 0) {
          Thread.sleep(1); // let the scoring thread reach the model
        }
      }
      // The next accept waits for that segment (per-stream back-pressure); interrupted there, it takes nothing.
      int at = i;
      AtomicReference<Throwable> refused = new AtomicReference<>();
      AtomicBoolean flagLeftSet = new AtomicBoolean();
      Thread waiter = new Thread(() -> {
        try {
          s.accept(call, at, chunk);
        } catch (Throwable e) {
          refused.set(e);
          flagLeftSet.set(Thread.currentThread().isInterrupted());
        }
      });
      waiter.start();
      awaitParked(waiter);
      waiter.interrupt();
      waiter.join();
      assertThat(refused.get()).isInstanceOfSatisfying(TingxinException.class,
          e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERRUPTED));
      assertThat(flagLeftSet).isTrue();
      assertThat(heard).isEmpty();
      // finish() on another thread waits while the model is held, then gives the offline answer.
      AtomicReference<CallAnalysis> result = new AtomicReference<>();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread finisher = new Thread(() -> {
        try {
          int j = at;
          while (j < call.length) {
            int n = Math.min(chunk, call.length - j);
            s.accept(call, j, n);
            j += n;
          }
          result.set(s.finish());
        } catch (Throwable e) {
          failure.set(e);
        }
      });
      finisher.start();
      awaitParked(finisher); // on the held segment
      assertThat(result.get()).isNull();
      FakeBackend.runGate.countDown();
      finisher.join();
      assertThat(failure.get()).isNull();
      assertThat(result.get()).isEqualTo(offline);
      assertThat(heard).isEqualTo(offline.segments());
    }
  }

  @Test
  void anAnalysisInterruptedWhileItsBatchesAreScoredThrowsInterruptedAndTheRecognizerStaysUsable() throws Exception {
    try (EmotionRecognizer r = recognizer(8)) {
      CallAnalysis expected = r.analyze(AudioInput.of(Audio.of(call, 16000)));
      FakeBackend.runGate = new CountDownLatch(1);
      AtomicReference<Throwable> thrown = new AtomicReference<>();
      AtomicBoolean flagLeftSet = new AtomicBoolean();
      Thread analysis = new Thread(() -> {
        try {
          r.analyze(AudioInput.of(Audio.of(call, 16000)));
        } catch (Throwable e) {
          thrown.set(e);
          flagLeftSet.set(Thread.currentThread().isInterrupted());
        }
      });
      analysis.start();
      awaitParked(analysis); // all read: waiting for its batches, held at the model
      analysis.interrupt();
      analysis.join();
      assertThat(thrown.get()).isInstanceOfSatisfying(TingxinException.class,
          e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERRUPTED));
      assertThat(flagLeftSet).isTrue();
      FakeBackend.runGate.countDown();
      assertThat(r.analyze(AudioInput.of(Audio.of(call, 16000)))).isEqualTo(expected);
    }
  }

  /** Waits until {@code t} parks (waits for a result or for room), or fails if it ends first. */
  private static void awaitParked(Thread t) throws InterruptedException {
    while (t.getState() != Thread.State.WAITING) {
      assertThat(t.isAlive()).as("thread still running").isTrue();
      Thread.sleep(1);
    }
  }

  @Test
  void closingTheRecognizerUnderLoadWaitsForCallsStopsTheScoringThreadsAndNeverRunsAClosedSession()
      throws Exception {
    FakeBackend.RUNS_ON_CLOSED.set(0);
    EmotionRecognizer r = recognizer(2);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    AtomicBoolean stop = new AtomicBoolean();
    List<Throwable> unexpected = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch running = new CountDownLatch(4);
    try {
      for (int t = 0; t < 4; t++) {
        int k = t;
        pool.submit(() -> {
          float[] x = variant(5 * k);
          boolean counted = false;
          try {
            while (!stop.get()) {
              try (EmotionStream s = r.openStream(16000, seg -> { })) {
                for (int i = 0; i < x.length; i += 3200) {
                  s.accept(x, i, Math.min(3200, x.length - i));
                  if (!counted) {
                    running.countDown();
                    counted = true;
                  }
                }
                s.finish();
              }
            }
          } catch (IllegalStateException closed) {
            // the recognizer was closed: the expected end of this feeder
          } catch (Throwable e) {
            unexpected.add(e);
          }
          return null;
        });
      }
      assertThat(running.await(2, TimeUnit.MINUTES)).isTrue();
      r.close();
      stop.set(true);
      pool.shutdown();
      assertThat(pool.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
      assertThat(unexpected).isEmpty();
      assertThat(FakeBackend.RUNS_ON_CLOSED.get()).isZero();
      assertThat(Thread.getAllStackTraces().keySet()).noneMatch(th -> th.getName().startsWith("tingxin-scoring"));
      assertThatThrownBy(() -> r.openStream(16000, seg -> { })).isInstanceOf(IllegalStateException.class);
    } finally {
      pool.shutdownNow();
      r.close();
    }
  }
}
