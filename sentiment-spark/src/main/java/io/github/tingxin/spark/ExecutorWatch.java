package io.github.tingxin.spark;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkStatusTracker;

/**
 * Ends a run that a cluster gives no executor. Spark itself waits for executors without end: a standalone master
 * relaunches executors that die as they start (a JVM option or agent they cannot load, too little memory, a
 * driver they cannot reach) for as long as the application lives, and YARN or Kubernetes may never find room;
 * the run would hang with "Initial job has not accepted any resources" in the log. This watch tags the jobs the
 * run starts on its thread, and cancels them once one has waited the Spark setting {@value #TIMEOUT_KEY}
 * (default {@value #DEFAULT_TIMEOUT}) with no executor at all; the run then ends with
 * {@link ErrorCode#CLUSTER_FAILED}. Other jobs of a shared session are never cancelled. Executors that start and
 * are lost while they run tasks are Spark's to retry ({@code spark.task.maxFailures}), not this watch's.
 *
 * <p>Does nothing in local mode (the driver is the executor). Open and close it on the thread that runs the run
 * (a job tag is a property of that thread). One daemon thread checks once a second; {@link #close()} stops it,
 * removes the tag, and is idempotent.
 */
final class ExecutorWatch implements AutoCloseable {
  /** The Spark setting that bounds the wait; a Spark time ("90s", "10min"); 0 waits as long as Spark does. */
  static final String TIMEOUT_KEY = "spark.tingxin.executorWaitTimeout";
  static final String DEFAULT_TIMEOUT = "10min";

  private final SparkContext sc;
  private final String tag = "tingxin-batch-" + UUID.randomUUID();
  private final long limitSeconds;
  private final ScheduledExecutorService checker;
  private long waitingSince = -1;
  private volatile TingxinException gaveUp;

  private ExecutorWatch(SparkContext sc, long limitSeconds) {
    this.sc = sc;
    this.limitSeconds = limitSeconds;
    if (limitSeconds <= 0 || sc.isLocal()) {
      checker = null;
      return;
    }
    sc.addJobTag(tag);
    checker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "tingxin-batch-executor-watch");
      thread.setDaemon(true);
      return thread;
    });
    checker.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
  }

  /**
   * Starts watching {@code sc}'s jobs.
   *
   * @throws TingxinException {@link ErrorCode#INVALID_OPTION} if {@value #TIMEOUT_KEY} is not a time
   */
  static ExecutorWatch start(SparkContext sc) {
    long limit;
    try {
      limit = sc.getConf().getTimeAsSeconds(TIMEOUT_KEY, DEFAULT_TIMEOUT);
    } catch (RuntimeException e) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, TIMEOUT_KEY + " must be a time such as 90s or 10min,"
          + " not '" + sc.getConf().get(TIMEOUT_KEY, "") + "'", e);
    }
    return new ExecutorWatch(sc, limit);
  }

  private synchronized void check() {
    if (gaveUp != null || sc.isStopped()) {
      return;
    }
    SparkStatusTracker tracker = sc.statusTracker();
    int[] ours = tracker.getJobIdsForTag(tag);
    boolean waiting = Arrays.stream(tracker.getActiveJobIds())
        .anyMatch(id -> Arrays.stream(ours).anyMatch(o -> o == id));
    // The executor list holds the driver's block manager too: one entry is no executor at all.
    boolean starved = waiting && tracker.getExecutorInfos().length <= 1;
    long now = System.nanoTime();
    if (!starved) {
      waitingSince = -1;
    } else if (waitingSince < 0) {
      waitingSince = now;
    } else if (now - waitingSince >= TimeUnit.SECONDS.toNanos(limitSeconds)) {
      gaveUp = new TingxinException(ErrorCode.CLUSTER_FAILED, "the Spark cluster at " + sc.master() + " ran no"
          + " executor for this run in " + limitSeconds + " s (" + TIMEOUT_KEY + "): executors could not start"
          + " (check the workers' logs: executor memory and cores against the workers', the executors' JVM"
          + " options) or none were free");
      sc.cancelJobsWithTag(tag, "no executor in " + limitSeconds + " s");
    }
  }

  /** The run's failure if this watch ended it, else null. */
  TingxinException gaveUp() {
    return gaveUp;
  }

  @Override
  public void close() {
    if (checker != null && !checker.isShutdown()) {
      checker.shutdownNow();
      sc.removeJobTag(tag);
    }
  }
}
