package io.github.tingxin.onnx.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.AudioInput;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One recognizer with ONNX Runtime and the fixture model {@code fbank-cnn-tiny}, shared as
 * {@link EmotionRecognizer}'s javadoc says it may be: eight threads analysing eight different calls get
 * exactly the sequential answers; {@link EmotionRecognizer#close()} waits for analyses in progress (they
 * finish with their full answers) and then refuses new ones; an interrupted analysis stops promptly with
 * {@link ErrorCode#INTERRUPTED} and leaves the recognizer usable.
 */
class ConcurrencyTest {
  static final int THREADS = 8;
  private static final List<Audio> CALLS = new ArrayList<>();
  private static final List<byte[]> WAVS = new ArrayList<>();
  private static final List<CallAnalysis> SEQUENTIAL = new ArrayList<>();
  private static EmotionRecognizer shared;

  @BeforeAll
  static void sequentialAnswers() {
    shared = build();
    for (int k = 0; k < THREADS; k++) {
      byte[] wav = Calls.wav(Calls.variant(k));
      WAVS.add(wav);
      // The samples the WAV holds (16-bit), so that file and decoded-audio inputs are the same call.
      CALLS.add(io.github.tingxin.core.audio.WavReader.read(new ByteArrayInputStream(wav)).channel(0));
      SEQUENTIAL.add(shared.analyze(AudioInput.stream(new ByteArrayInputStream(WAVS.get(k)))));
    }
    // The calls differ, so a mixed-up answer cannot pass for the right one.
    assertThat(SEQUENTIAL.stream().distinct().count()).isEqualTo(THREADS);
    assertThat(SEQUENTIAL).allSatisfy(a -> assertThat(a.segments()).hasSizeGreaterThan(5));
  }

  @AfterAll
  static void closeShared() {
    shared.close();
  }

  static EmotionRecognizer build() {
    return EmotionRecognizer.builder().model(Calls.fixture("fbank-cnn-tiny")).threads(1).batchSize(4).build();
  }

  @Test
  void eightThreadsAnalysingDifferentCallsGetExactlyTheSequentialAnswers() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<CallAnalysis>>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int k = t;
        futures.add(pool.submit(() -> {
          start.await();
          List<CallAnalysis> got = new ArrayList<>();
          // Each thread analyses its own call, from a stream, a file-like stream and decoded audio.
          got.add(shared.analyze(AudioInput.stream(new ByteArrayInputStream(WAVS.get(k)))));
          got.add(shared.analyze(AudioInput.of(CALLS.get(k))));
          got.add(shared.analyze(AudioInput.stream(new ByteArrayInputStream(WAVS.get((k + 1) % THREADS)))));
          return got;
        }));
      }
      start.countDown();
      for (int t = 0; t < THREADS; t++) {
        List<CallAnalysis> got = futures.get(t).get(5, TimeUnit.MINUTES);
        assertThat(got.get(0)).as("thread %s, stream", t).isEqualTo(SEQUENTIAL.get(t));
        assertThat(got.get(1).segments()).as("thread %s, audio", t).isEqualTo(SEQUENTIAL.get(t).segments());
        assertThat(got.get(2)).as("thread %s, next call", t).isEqualTo(SEQUENTIAL.get((t + 1) % THREADS));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void closeWaitsForTheAnalysesInProgressThenRefusesNewOnes() throws Exception {
    EmotionRecognizer recognizer = build();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
    CountDownLatch inside = new CountDownLatch(THREADS);
    CountDownLatch gate = new CountDownLatch(1);
    try {
      List<Future<CallAnalysis>> analyses = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int k = t;
        // The input is read inside analyze: its first read says "inside", then waits for the gate.
        InputStream held = new GatedStream(WAVS.get(k), inside, gate);
        analyses.add(pool.submit(() -> recognizer.analyze(AudioInput.stream(held))));
      }
      assertThat(inside.await(2, TimeUnit.MINUTES)).as("all analyses started").isTrue();
      Future<?> closing = pool.submit(recognizer::close);
      Thread.sleep(300);
      assertThat(closing.isDone()).as("close waits while analyses run").isFalse();
      gate.countDown();
      closing.get(5, TimeUnit.MINUTES);
      for (int t = 0; t < THREADS; t++) {
        // Each analysis completes with the sequential answer: close did not free the model under it. (Its
        // Future may report done a moment after close returns: analyze leaves the recognizer's lock before the
        // pool marks the task done, so isDone() here would race.)
        assertThat(analyses.get(t).get(1, TimeUnit.MINUTES)).as("analysis %s", t).isEqualTo(SEQUENTIAL.get(t));
      }
      assertThatThrownBy(() -> recognizer.analyze(AudioInput.of(CALLS.get(0))))
          .isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> recognizer.openStream(16000, s -> { }))
          .isInstanceOf(IllegalStateException.class);
      recognizer.close(); // idempotent
    } finally {
      gate.countDown();
      pool.shutdownNow();
      recognizer.close();
    }
  }

  @Test
  void anInterruptedAnalysisStopsPromptlyAndTheRecognizerStaysUsable() throws Exception {
    // Ten minutes of audio: far longer to analyse than the bound on stopping below.
    byte[] longWav = Calls.wav(Calls.longCall(3, 600));
    CountDownLatch reading = new CountDownLatch(1);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> flagAfter = new AtomicReference<>();
    long[] stoppedAt = new long[1];
    Thread worker = new Thread(() -> {
      try {
        shared.analyze(AudioInput.stream(new SignallingStream(longWav, 16000 * 2 * 20, reading)));
      } catch (Throwable t) {
        thrown.set(t);
      }
      stoppedAt[0] = System.nanoTime();
      flagAfter.set(Thread.currentThread().isInterrupted());
    }, "interrupted-analysis");
    worker.start();
    assertThat(reading.await(2, TimeUnit.MINUTES)).as("20 s of the call read").isTrue();
    long interruptedAt = System.nanoTime();
    worker.interrupt();
    worker.join(TimeUnit.MINUTES.toMillis(2));
    assertThat(worker.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(TingxinException.class);
    assertThat(((TingxinException) thrown.get()).code()).isEqualTo(ErrorCode.INTERRUPTED);
    assertThat(flagAfter.get()).as("the interrupt flag stays set").isTrue();
    double seconds = (stoppedAt[0] - interruptedAt) / 1e9;
    // Checked between blocks of about a second of audio and between batches: well under 5 s even on a
    // loaded machine, where analysing the ten minutes takes far longer.
    assertThat(seconds).as("seconds from interrupt to stop").isLessThan(5.0);

    // The recognizer is unharmed: the same answers as before.
    assertThat(shared.analyze(AudioInput.stream(new ByteArrayInputStream(WAVS.get(2))))).isEqualTo(SEQUENTIAL.get(2));

    // A thread interrupted before the call stops at once, and the next call on it works once the flag is cleared.
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> shared.analyze(AudioInput.of(CALLS.get(1))))
          .isInstanceOfSatisfying(TingxinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERRUPTED));
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(shared.analyze(AudioInput.of(CALLS.get(1))).segments()).isEqualTo(SEQUENTIAL.get(1).segments());
  }

  /** WAV bytes whose first read signals {@code inside} and then waits for {@code gate}. */
  static final class GatedStream extends FilterInputStream {
    private final CountDownLatch inside;
    private final CountDownLatch gate;
    private boolean first = true;

    GatedStream(byte[] bytes, CountDownLatch inside, CountDownLatch gate) {
      super(new ByteArrayInputStream(bytes));
      this.inside = inside;
      this.gate = gate;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      hold();
      return super.read(b, off, len);
    }

    @Override
    public int read() throws IOException {
      hold();
      return super.read();
    }

    private void hold() throws IOException {
      if (first) {
        first = false;
        inside.countDown();
        try {
          gate.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while held", e);
        }
      }
    }
  }

  /** WAV bytes that signal once {@code after} bytes have been read. */
  static final class SignallingStream extends FilterInputStream {
    private final long after;
    private final CountDownLatch signal;
    private long read;

    SignallingStream(byte[] bytes, long after, CountDownLatch signal) {
      super(new ByteArrayInputStream(bytes));
      this.after = after;
      this.signal = signal;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0 && (read += n) >= after) {
        signal.countDown();
      }
      return n;
    }
  }
}
