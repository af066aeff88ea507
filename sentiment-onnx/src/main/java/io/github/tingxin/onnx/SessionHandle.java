package io.github.tingxin.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of an ONNX Runtime session and of the {@link OrtSession.SessionOptions} it was made with: every
 * session in Tingxin (a model's {@link OnnxSession}, the Silero detector's) lives in one of these.
 *
 * <p>Lifetime, as ONNX Runtime's own {@code NativeObject} counts usages: {@link #use} holds the session open
 * for the work it is given, and {@link #close()} waits until the last such use has returned before it frees
 * the session and then the options (ONNX Runtime's javadoc: options must stay open while a session made with
 * them is). Uses that begin after close has started throw {@link IllegalStateException}; no use ever sees a
 * freed session. Close is idempotent: later calls wait for the same free and return. A thread interrupted
 * while it waits in close returns at once with its interrupt flag set, and the last use frees the session as
 * it returns, so nothing leaks. Close must not be called from inside {@link #use} (it would wait for itself).
 *
 * <p>Close errors: ONNX Runtime may report an error while freeing. Nothing can be retried (the handle is gone
 * either way) and close runs in {@code finally} blocks where throwing would hide the error that matters, so
 * the error is logged as a warning (its message only, never data) and close returns normally. This is the
 * only place Tingxin frees a session.
 *
 * <p>Thread-safe: {@link #use} may run on many threads at once, as ONNX Runtime's {@code run} may.
 */
final class SessionHandle implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SessionHandle.class);

  /** Sets a new handle up: configures its options, loads its session, builds the handle's owner. */
  @FunctionalInterface
  interface Setup<T> {
    T apply(SessionHandle handle) throws OrtException;
  }

  /** Makes the session from the handle's options. */
  @FunctionalInterface
  interface Loader {
    OrtSession load(OrtSession.SessionOptions options) throws OrtException;
  }

  private final String owner;
  private final OrtSession.SessionOptions options;
  private final Object lock = new Object();
  private OrtSession session; // guarded by lock; set once by load
  private int users; // guarded by lock
  private boolean closing; // guarded by lock
  private boolean freed; // guarded by lock

  private SessionHandle(String owner) {
    this.owner = owner;
    this.options = new OrtSession.SessionOptions();
  }

  /**
   * Makes a handle with fresh options and gives it to {@code setup}, which configures
   * {@link #options()}, calls {@link #load} and returns the object that will own the handle. If setup
   * fails, the handle (options and any session) is closed before the failure propagates.
   *
   * @param owner what the session is, for messages, e.g. {@code "The session of model x"}
   */
  static <T> T open(String owner, Setup<T> setup) throws OrtException {
    Objects.requireNonNull(owner, "owner");
    SessionHandle handle = new SessionHandle(owner);
    try {
      return setup.apply(handle);
    } catch (OrtException | RuntimeException | Error e) {
      handle.close();
      throw e;
    }
  }

  /** The options, to configure before {@link #load}; changing them afterwards has no effect. */
  OrtSession.SessionOptions options() {
    return options;
  }

  /**
   * Makes the session with {@link #options()}; once.
   *
   * @throws IllegalStateException if a session was loaded already or the handle is closed
   */
  void load(Loader loader) throws OrtException {
    synchronized (lock) {
      if (session != null || closing) {
        throw new IllegalStateException(owner + " is " + (closing ? "closed." : "loaded already."));
      }
      session = Objects.requireNonNull(loader.load(options), "session");
    }
  }

  /**
   * Runs {@code work} with the session, which stays open until {@code work} returns.
   *
   * @return what {@code work} returns
   * @throws IllegalStateException if the handle is closed (or closing), or no session was loaded
   */
  <T> T use(Function<OrtSession, T> work) {
    OrtSession s;
    synchronized (lock) {
      if (closing || session == null) {
        throw new IllegalStateException(owner + " is " + (closing ? "closed." : "not loaded."));
      }
      users++;
      s = session;
    }
    try {
      return work.apply(s);
    } finally {
      release();
    }
  }

  private void release() {
    synchronized (lock) {
      users--;
      if (users == 0 && closing && !freed) {
        free();
      }
    }
  }

  /** Whether close has been called: uses are refused from then on. */
  boolean isClosed() {
    synchronized (lock) {
      return closing;
    }
  }

  /** Whether the session and options have been freed (after close, once the last use returned). */
  boolean isFreed() {
    synchronized (lock) {
      return freed;
    }
  }

  /** Waits for the uses in progress, then frees the session and the options. Idempotent. */
  @Override
  public void close() {
    synchronized (lock) {
      closing = true;
      if (users == 0 && !freed) {
        free();
      }
      while (!freed) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          // the last use frees the session as it returns
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Frees the session, then its options, and wakes the threads waiting in close. Holds the lock. */
  private void free() {
    freed = true;
    try {
      if (session != null) {
        session.close();
      }
    } catch (OrtException | RuntimeException e) {
      LOG.warn("ONNX Runtime reported an error while freeing {}: {}", owner, e.getMessage());
    } finally {
      session = null;
      try {
        options.close();
      } catch (RuntimeException e) {
        LOG.warn("ONNX Runtime reported an error while freeing the options of {}: {}", owner, e.getMessage());
      }
      lock.notifyAll();
    }
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "SessionHandle[" + owner + (freed ? ", freed" : closing ? ", closing with " + users + " in use"
          : ", " + users + " in use") + "]";
    }
  }
}
