package io.github.tingxin.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

/**
 * The sizes of a manifest's files, to balance the tasks. On a cluster they are looked up by Spark tasks rather
 * than one by one on the driver: on HDFS or S3 each lookup is a round trip to the name node or store, and 50,000
 * of them in a row take minutes. In local mode the driver is the only executor, so it looks them up itself
 * (a job would only add its own start-up), local files with {@code java.nio}. A file that cannot be found gets
 * -1 (its task reports why).
 */
final class FileSizes implements Function<String, Long> {
  private static final long serialVersionUID = 1L;
  /** Lookups per task: enough to make a task worth starting. */
  private static final int PER_TASK = 2000;

  private final Broadcast<HadoopConf> hadoop;

  private FileSizes(Broadcast<HadoopConf> hadoop) {
    this.hadoop = hadoop;
  }

  /** {@code tasks} with their files' sizes, in the same order. */
  static List<CallTask> lookUp(JavaSparkContext jsc, List<CallTask> tasks, Broadcast<HadoopConf> hadoop) {
    List<String> paths = tasks.stream().map(CallTask::path).toList();
    List<Long> sizes;
    if (jsc.isLocal()) {
      FileSizes here = new FileSizes(hadoop);
      sizes = paths.stream().map(here::call).toList();
    } else {
      int slices = Math.max(1, Math.min(jsc.defaultParallelism(), (paths.size() + PER_TASK - 1) / PER_TASK));
      sizes = jsc.parallelize(paths, slices).map(new FileSizes(hadoop)).collect();
    }
    List<CallTask> sized = new ArrayList<>(tasks.size());
    for (int i = 0; i < tasks.size(); i++) {
      sized.add(tasks.get(i).withBytes(sizes.get(i)));
    }
    return sized;
  }

  @Override
  public Long call(String path) {
    if (path.isEmpty()) {
      return -1L;
    }
    try {
      Path p = new Path(path);
      org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(hadoop.value().get());
      if ("file".equals(fs.getScheme())) {
        return java.nio.file.Files.size(java.nio.file.Paths.get(fs.makeQualified(p).toUri()));
      }
      return fs.getFileStatus(p).getLen();
    } catch (IOException | RuntimeException e) {
      return -1L;
    }
  }
}
