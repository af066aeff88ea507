package io.github.tingxin.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Counts a run's calls as they finish, not as tasks finish: a task adds each call to an accumulator, and the
 * executors report running tasks' accumulators to the driver with every heartbeat
 * ({@code spark.executor.heartbeatInterval}, 10 s by default). Calls done = the final counts of the tasks that
 * succeeded + the latest counts of those still running; a failed attempt's count is dropped (its calls are
 * done again by the retry).
 *
 * <p>Thread-safe: Spark calls it from its listener thread, the run's progress reporter reads it.
 */
final class CallProgress extends SparkListener {
  private final long accumulatorId;
  private final Map<Long, Long> running = new ConcurrentHashMap<>();
  private final AtomicLong finished = new AtomicLong();
  private final java.util.Set<Long> ended = ConcurrentHashMap.newKeySet();

  CallProgress(long accumulatorId) {
    this.accumulatorId = accumulatorId;
  }

  /** Calls analysed so far. */
  long done() {
    long sum = finished.get();
    for (long v : running.values()) {
      sum += v;
    }
    return sum;
  }

  @Override
  public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
    for (Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> task
        : CollectionConverters.asJava(update.accumUpdates())) {
      Long calls = ours(task._4());
      Long id = (Long) task._1();
      // Spark delivers events one at a time, in order; a heartbeat sent before a task's end may still arrive
      // after it, and must not bring the task back.
      if (calls != null && !ended.contains(id)) {
        running.merge(id, calls, Math::max);
      }
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    long id = end.taskInfo().taskId();
    ended.add(id);
    running.remove(id);
    if (end.taskInfo().successful()) {
      Long calls = ours(end.taskInfo().accumulables());
      if (calls != null) {
        finished.addAndGet(calls);
      }
    }
  }

  private Long ours(scala.collection.Seq<AccumulableInfo> infos) {
    for (AccumulableInfo info : CollectionConverters.asJava(infos)) {
      if (info.id() == accumulatorId && info.update().isDefined()) {
        return ((Number) info.update().get()).longValue();
      }
    }
    return null;
  }
}
