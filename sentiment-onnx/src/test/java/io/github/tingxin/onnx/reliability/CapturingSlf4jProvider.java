package io.github.tingxin.onnx.reliability;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * An SLF4J 2 binding for tests that keeps every event at every level (TRACE included, so that every
 * message is formatted with its arguments) with its throwable and stack trace. Chosen with
 * {@code -Dslf4j.provider=io.github.tingxin.onnx.reliability.CapturingSlf4jProvider} in a JVM of its own.
 *
 * <p>Thread-safe.
 */
public final class CapturingSlf4jProvider implements SLF4JServiceProvider {
  /** Every event so far, formatted: level, logger, message, throwable. */
  public static final ConcurrentLinkedQueue<String> EVENTS = new ConcurrentLinkedQueue<>();

  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new BasicMDCAdapter();
  private final ILoggerFactory loggers = CapturingLogger::new;

  /** For SLF4J's service loading. */
  public CapturingSlf4jProvider() {}

  /** A copy of the events so far. */
  public static List<String> events() {
    return List.copyOf(EVENTS);
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggers;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  /** Enabled at every level; records each event. */
  static final class CapturingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    CapturingLogger(String name) {
      this.name = name;
    }

    @Override
    public boolean isTraceEnabled() {
      return true;
    }

    @Override
    public boolean isDebugEnabled() {
      return true;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
        Throwable throwable) {
      StringBuilder sb = new StringBuilder().append(level).append(' ').append(name).append(": ")
          .append(MessageFormatter.basicArrayFormat(pattern, arguments));
      if (throwable != null) {
        StringWriter trace = new StringWriter();
        throwable.printStackTrace(new PrintWriter(trace));
        sb.append('\n').append(trace);
      }
      EVENTS.add(sb.toString());
    }
  }

  /** Never used directly: SLF4J hands out {@link CapturingLogger}s. */
  static Logger logger(String name) {
    return new CapturingLogger(name);
  }
}
