package io.github.tingxin.spark;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.util.Locale;

/**
 * Tells failures of the platform (the Spark master, its executors, the file systems) from those of the input
 * and of Tingxin, and words them as one line with their {@link ErrorCode}: {@link ErrorCode#CLUSTER_FAILED} for
 * the cluster, {@link ErrorCode#OUTPUT_FAILED} for the output. Spark reports all of them as exceptions whose
 * messages run to pages of task traces; a user needs to know which part failed and what to check.
 *
 * <p>Stateless and thread-safe.
 */
public final class SparkFailures {
  private SparkFailures() {}

  /**
   * What to report for a failure while creating a Spark session on {@code master}: the platform's error where
   * it is one, else {@code failure} itself.
   *
   * @param master the master URL asked for
   * @param failure what the session builder threw
   * @return the exception to report (never null)
   */
  public static RuntimeException ofSession(String master, Exception failure) {
    String text = String.valueOf(failure.getMessage());
    if (text.contains("Could not parse Master URL") || text.contains("Master must")) {
      return new TingxinException(ErrorCode.CLUSTER_FAILED, "the Spark master URL '" + master
          + "' is not one Spark knows: use local[N], spark://HOST:PORT, yarn or k8s://https://HOST:PORT", failure);
    }
    TingxinException platform = platform(failure);
    if (platform != null) {
      return platform;
    }
    return new TingxinException(ErrorCode.CLUSTER_FAILED, "could not start Spark on master '" + master + "': "
        + oneLine(rootMessage(failure)), failure);
  }

  /**
   * The Tingxin error for a failure of a Spark job or of the session, or null where it is none of the
   * platform's (a Tingxin exception raised in a task is returned as it is: its code says what failed).
   */
  static TingxinException platform(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof TingxinException te) {
        return te;
      }
    }
    String text = allMessages(failure);
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.contains("stopped sparkcontext") || lower.contains("sparkcontext was shut down")
        || lower.contains("sparkcontext has been shutdown") || lower.contains("all masters are unresponsive")) {
      return new TingxinException(ErrorCode.CLUSTER_FAILED, "the Spark application was stopped before the run"
          + " ended: the master could not be reached, or it removed the application after its executors kept"
          + " failing; see the driver's and the cluster's logs", failure);
    }
    if (text.contains("ExecutorLostFailure") || lower.contains("executor lost")
        || lower.contains("executor heartbeat timed out") || lower.contains("exited caused by")
        || lower.contains("worker lost")) {
      return new TingxinException(ErrorCode.CLUSTER_FAILED, "Spark executors were lost more often than Spark"
          + " retries a task (spark.task.maxFailures): " + oneLine(firstLine(text)) + "; check the executors'"
          + " memory (spark.executor.memory) and the workers' logs", failure);
    }
    if (lower.contains("no space left on device") || lower.contains("disk quota exceeded")
        || lower.contains("read-only file system")) {
      return new TingxinException(ErrorCode.OUTPUT_FAILED, "could not write: " + oneLine(rootMessage(failure)),
          failure);
    }
    return null;
  }

  /**
   * The Tingxin error for a failure of a run's Spark work: {@link #platform}'s where it knows the failure, else
   * {@link ErrorCode#CLUSTER_FAILED} for any other failure Spark reports for a job (the run's tasks turn every
   * failure of Tingxin or of an input into a row or a Tingxin exception, so what remains is the platform's);
   * null for anything else.
   */
  static TingxinException ofJob(Exception failure) {
    TingxinException known = platform(failure);
    if (known != null) {
      return known;
    }
    if (failure instanceof org.apache.spark.SparkException) {
      return new TingxinException(ErrorCode.CLUSTER_FAILED, "the Spark job failed: "
          + oneLine(failure.getMessage().lines().findFirst().orElse("")) + "; see the driver's and the executors'"
          + " logs", failure);
    }
    return null;
  }

  /** The innermost message of a failure's causes: usually the one that says what went wrong. */
  static String rootMessage(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private static String allMessages(Throwable failure) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      b.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
    }
    return b.toString();
  }

  private static String firstLine(String text) {
    for (String line : text.split("\n")) {
      int at = line.indexOf("ExecutorLostFailure");
      if (at >= 0) {
        return line.substring(at);
      }
    }
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }

  /** A message on one line, at most 400 characters (Spark's messages carry whole stack traces). */
  static String oneLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    String line = message.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    return line.length() <= 400 ? line : line.substring(0, 400) + "...";
  }
}
