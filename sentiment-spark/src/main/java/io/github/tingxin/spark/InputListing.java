package io.github.tingxin.spark;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.GlobPattern;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * Turns a run's input (directory, glob, single file or manifest) into call tasks on the driver, sorted by
 * call id. Call ids must be unique: a manifest that repeats one is refused before anything is written.
 */
final class InputListing {
  /**
   * The tasks; how many files under a directory input did not match the pattern; and the input's own paths
   * (the directory, the glob's matches, the file, or the manifest), which must lie apart from the output.
   */
  record Listing(List<CallTask> tasks, long ignoredFiles, List<Path> roots) {}

  private static final Pattern GLOB_CHARS = Pattern.compile("[*?\\[{]");

  private InputListing() {}

  static boolean isManifest(String input) {
    String lower = input.toLowerCase(Locale.ROOT);
    return lower.endsWith(".csv") || lower.endsWith(".parquet");
  }

  static Listing list(SparkSession spark, BatchOptions options) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    try {
      Listing listing = isManifest(options.input()) ? manifest(spark, conf, options) : files(conf, options);
      checkUnique(listing.tasks(), options.input());
      return listing;
    } catch (IOException e) {
      throw new TingxinException(ErrorCode.IO_ERROR, "could not list the input " + options.input() + ": "
          + e.getMessage(), e);
    }
  }

  private static Listing files(Configuration conf, BatchOptions options) throws IOException {
    Path input = new Path(options.input());
    FileSystem fs = input.getFileSystem(conf);
    GlobPattern pattern = new GlobPattern(options.pattern().toLowerCase(Locale.ROOT));
    List<CallTask> tasks = new ArrayList<>();
    long ignored = 0;
    Path root;
    List<FileStatus> found = new ArrayList<>();
    if (GLOB_CHARS.matcher(options.input()).find()) {
      root = globRoot(input);
      FileStatus[] matches = fs.globStatus(input);
      if (matches == null || matches.length == 0) {
        throw new TingxinException(ErrorCode.IO_ERROR, "the glob " + options.input() + " matches no file");
      }
      found.addAll(Arrays.asList(matches));
    } else {
      FileStatus status;
      try {
        status = fs.getFileStatus(input);
      } catch (FileNotFoundException e) {
        throw new TingxinException(ErrorCode.IO_ERROR, "the input " + options.input() + " does not exist", e);
      }
      root = status.isDirectory() ? status.getPath() : status.getPath().getParent();
      found.add(status);
    }
    String rootText = fs.makeQualified(root).toUri().getPath();
    for (FileStatus status : found) {
      if (status.isFile()) {
        tasks.add(task(status, rootText, options));
        continue;
      }
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(status.getPath(), true);
      while (it.hasNext()) {
        LocatedFileStatus f = it.next();
        String name = f.getPath().getName();
        if (hidden(f.getPath(), status.getPath())
            || !pattern.matches(name.toLowerCase(Locale.ROOT))) {
          ignored++;
          continue;
        }
        tasks.add(task(f, rootText, options));
      }
    }
    tasks.sort(Comparator.comparing(CallTask::callId));
    return new Listing(tasks, ignored, found.stream().map(FileStatus::getPath).toList());
  }

  /** Hadoop's convention, which Spark's readers follow: names starting with '.' or '_' are not data. */
  private static boolean hidden(Path file, Path top) {
    for (Path p = file; p != null && !p.equals(top) && p.getParent() != null; p = p.getParent()) {
      String n = p.getName();
      if (n.startsWith(".") || n.startsWith("_")) {
        return true;
      }
    }
    return false;
  }

  private static CallTask task(FileStatus f, String rootText, BatchOptions options) {
    String full = f.getPath().toUri().getPath();
    String rel = full.startsWith(rootText + "/") ? full.substring(rootText.length() + 1) : f.getPath().getName();
    return CallTask.of(f.getPath().toString(), withoutExtension(rel), null, options.channel(), null, f.getLen());
  }

  private static Path globRoot(Path glob) {
    Path p = glob;
    while (p.getParent() != null && GLOB_CHARS.matcher(p.toUri().getPath()).find()) {
      p = p.getParent();
    }
    return p;
  }

  static String withoutExtension(String name) {
    int slash = name.lastIndexOf('/');
    int dot = name.lastIndexOf('.');
    return dot > slash + 1 ? name.substring(0, dot) : name;
  }

  private static Listing manifest(SparkSession spark, Configuration conf, BatchOptions options) throws IOException {
    Path manifest = new Path(options.input());
    FileSystem mfs = manifest.getFileSystem(conf);
    if (!mfs.exists(manifest)) {
      throw new TingxinException(ErrorCode.IO_ERROR, "the manifest " + options.input() + " does not exist");
    }
    Dataset<Row> rows = options.input().toLowerCase(Locale.ROOT).endsWith(".csv")
        ? spark.read().option("header", "true").option("mode", "FAILFAST").csv(options.input())
        : spark.read().parquet(options.input());
    List<String> columns = Arrays.asList(rows.columns());
    if (!columns.contains("path")) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "the manifest " + options.input()
          + " has no 'path' column; it has " + columns + " (optional: call_id, caller_id, channel, started_at)");
    }
    List<org.apache.spark.sql.Column> picked = new ArrayList<>();
    for (String c : List.of("path", "call_id", "caller_id", "channel", "started_at")) {
      picked.add(columns.contains(c) ? rows.col(c).cast(DataTypes.StringType).as(c)
          : org.apache.spark.sql.functions.lit(null).cast(DataTypes.StringType).as(c));
    }
    List<Row> collected = rows.select(picked.toArray(org.apache.spark.sql.Column[]::new)).collectAsList();
    Path base = mfs.makeQualified(manifest).getParent();
    List<CallTask> tasks = new ArrayList<>(collected.size());
    int rowNumber = 0;
    for (Row r : collected) {
      rowNumber++;
      String pathText = blankToNull(r.getString(0));
      String callId = blankToNull(r.getString(1));
      String callerId = blankToNull(r.getString(2));
      String channelText = blankToNull(r.getString(3));
      String startedAt = blankToNull(r.getString(4));
      if (pathText == null) {
        String id = callId != null ? callId : "manifest-row-" + rowNumber;
        tasks.add(new CallTask("", id, callerId, options.channel(), startedAt, -1, ErrorCode.INVALID_OPTION.name(),
            "manifest row " + rowNumber + " has no path"));
        continue;
      }
      Path path = new Path(pathText);
      if (!path.isAbsolute()) {
        path = new Path(base, pathText);
      }
      FileSystem fs = path.getFileSystem(conf);
      path = fs.makeQualified(path);
      if (callId == null) {
        String full = path.toUri().getPath();
        String baseText = base.toUri().getPath();
        callId = withoutExtension(full.startsWith(baseText + "/") ? full.substring(baseText.length() + 1) : full);
      }
      long bytes = -1;
      try {
        bytes = fs.getFileStatus(path).getLen();
      } catch (FileNotFoundException e) {
        // The executor reports it as IO_ERROR, in the errors table, with the rest of the call's ids.
      }
      String channel = options.channel();
      String badChannel = null;
      if (channelText != null) {
        try {
          channel = ChannelSpec.canonical(channelText);
        } catch (TingxinException e) {
          badChannel = "manifest row " + rowNumber + ": " + e.getMessage();
        }
      }
      CallTask task = CallTask.of(path.toString(), callId, callerId, channel, startedAt, bytes);
      if (badChannel != null) {
        task = task.failing(ErrorCode.INVALID_OPTION.name(), badChannel);
      }
      tasks.add(task);
    }
    tasks.sort(Comparator.comparing(CallTask::callId));
    return new Listing(tasks, 0, List.of(mfs.makeQualified(manifest)));
  }

  private static void checkUnique(List<CallTask> sorted, String input) {
    Map<String, Integer> repeats = new HashMap<>();
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).callId().equals(sorted.get(i - 1).callId())) {
        repeats.merge(sorted.get(i).callId(), 2, (a, b) -> a + 1);
      }
    }
    if (!repeats.isEmpty()) {
      String first = repeats.keySet().stream().sorted().limit(5).toList().toString();
      throw new TingxinException(ErrorCode.INVALID_OPTION, repeats.size() + " call id(s) appear more than once in "
          + input + ", e.g. " + first + "; every input row needs its own call_id");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
