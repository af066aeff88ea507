package io.github.tingxin.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The session lifetime, step by step, on the Silero graph (small and shipped in the jar). */
class SessionHandleTest {
  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
  private static final Set<String> SILERO_INPUTS = Set.of("input", "state", "sr");
  private static byte[] model;
  private static ExecutorService pool;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = SessionHandleTest.class.getResourceAsStream(SileroVoiceActivityDetector.MODEL_RESOURCE)) {
      assertThat(in).as("the Silero model in the jar").isNotNull();
      model = in.readAllBytes();
    }
    pool = Executors.newCachedThreadPool();
  }

  @AfterAll
  static void stop() {
    pool.shutdownNow();
  }

  private static SessionHandle open() throws OrtException {
    return SessionHandle.open("The test session", h -> {
      h.options().setIntraOpNumThreads(1);
      h.load(o -> ENV.createSession(model, o));
      return h;
    });
  }

  /**
   * A use on another thread that holds the session until {@code finish}, then reads from it (so it must still
   * be alive); returns once the use has begun.
   */
  private static Future<Set<String>> holdInUse(SessionHandle h, CountDownLatch finish) throws InterruptedException {
    CountDownLatch inUse = new CountDownLatch(1);
    Future<Set<String>> user = pool.submit(() -> h.use(session -> {
      inUse.countDown();
      try {
        finish.await();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      return session.getInputNames();
    }));
    inUse.await();
    return user;
  }

  /** Waits (without a time assertion) until close has begun on another thread. */
  private static void awaitClosing(SessionHandle h) throws InterruptedException {
    for (int i = 0; !h.isClosed(); i++) {
      assertThat(i).as("close began within a minute").isLessThan(60_000);
      Thread.sleep(1);
    }
  }

  @Test
  void closeWaitsForTheUseInProgressRefusesNewOnesAndFreesOnce() throws Exception {
    SessionHandle h = open();
    CountDownLatch finish = new CountDownLatch(1);
    Future<Set<String>> user = holdInUse(h, finish);
    Future<?> closer = pool.submit(h::close);
    awaitClosing(h);
    assertThat(h.isFreed()).as("never freed under a use").isFalse();
    assertThat(closer.isDone()).as("close waits for the use").isFalse();
    assertThatThrownBy(() -> h.use(OrtSession::getInputNames)).isInstanceOf(IllegalStateException.class)
        .hasMessage("The test session is closed.");
    finish.countDown();
    assertThat(user.get(60, TimeUnit.SECONDS)).isEqualTo(SILERO_INPUTS);
    closer.get(60, TimeUnit.SECONDS);
    assertThat(h.isFreed()).isTrue();
    h.close(); // idempotent
    h.close();
    assertThat(h.isFreed()).isTrue();
    assertThatThrownBy(() -> h.use(OrtSession::getInputNames)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anInterruptedCloseReturnsAndTheLastUseFrees() throws Exception {
    SessionHandle h = open();
    CountDownLatch finish = new CountDownLatch(1);
    Future<Set<String>> user = holdInUse(h, finish);
    AtomicBoolean flagKept = new AtomicBoolean();
    Thread closer = new Thread(() -> {
      h.close();
      flagKept.set(Thread.currentThread().isInterrupted());
    });
    closer.start();
    awaitClosing(h);
    closer.interrupt();
    closer.join();
    assertThat(flagKept).as("the interrupt flag is set again").isTrue();
    assertThat(h.isFreed()).as("still in use").isFalse();
    finish.countDown();
    assertThat(user.get(60, TimeUnit.SECONDS)).isEqualTo(SILERO_INPUTS);
    assertThat(h.isFreed()).as("freed by the last use").isTrue();
  }

  @Test
  void aFailedSetupFreesWhatItMade() {
    AtomicReference<SessionHandle> made = new AtomicReference<>();
    assertThatThrownBy(() -> SessionHandle.open("A broken session", h -> {
      made.set(h);
      h.load(o -> ENV.createSession(new byte[] {1, 2, 3}, o));
      return h;
    })).isInstanceOf(OrtException.class);
    assertThat(made.get().isFreed()).isTrue();
    assertThatThrownBy(() -> SessionHandle.open("A session refused later", h -> {
      made.set(h);
      h.load(o -> ENV.createSession(model, o));
      throw new IllegalArgumentException("refused after loading");
    })).hasMessage("refused after loading");
    assertThat(made.get().isFreed()).isTrue();
    assertThatThrownBy(() -> made.get().load(o -> ENV.createSession(model, o)))
        .isInstanceOf(IllegalStateException.class);
  }
}
