package io.github.tingxin.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The output directory. Each run writes its rows under {@code <table>/run=N/} (so Spark reads the tables
 * with a {@code run} column) and then, last, its record {@code _runs/run-N.json}: a run without that record
 * did not finish, and the next run removes what it left. Only Tingxin's own directories are ever deleted.
 */
final class OutputLayout {
  static final List<String> RUN_TABLES = List.of(Tables.SEGMENTS, Tables.CALLS, Tables.ERRORS);
  private static final String RUNS = "_runs";
  private static final Pattern RUN_FILE = Pattern.compile("run-(\\d+)\\.json");
  private static final Pattern RUN_DIR = Pattern.compile("run=(\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final FileSystem fs;
  private final Path root;

  OutputLayout(Configuration conf, String out) throws IOException {
    Path p = new Path(out);
    this.fs = p.getFileSystem(conf);
    this.root = fs.makeQualified(p);
  }

  Path root() {
    return root;
  }

  Path table(String name) {
    return new Path(root, name);
  }

  Path runDir(String table, int run) {
    return new Path(table(table), "run=" + run);
  }

  /** The records of the finished runs, by run number. */
  TreeMap<Integer, Map<String, Object>> finishedRuns() throws IOException {
    TreeMap<Integer, Map<String, Object>> runs = new TreeMap<>();
    Path dir = new Path(root, RUNS);
    if (!fs.exists(dir)) {
      return runs;
    }
    for (FileStatus s : fs.listStatus(dir)) {
      Matcher m = RUN_FILE.matcher(s.getPath().getName());
      if (m.matches()) {
        try (InputStream in = fs.open(s.getPath())) {
          @SuppressWarnings("unchecked")
          Map<String, Object> record = JSON.readValue(in, Map.class);
          runs.put(Integer.parseInt(m.group(1)), record);
        }
      }
    }
    return runs;
  }

  /** Whether any Tingxin table or run record is here (finished or not). */
  boolean holdsTables() throws IOException {
    for (String t : List.of(Tables.SEGMENTS, Tables.CALLS, Tables.ERRORS, Tables.CALLERS, RUNS)) {
      if (fs.exists(table(t))) {
        return true;
      }
    }
    return false;
  }

  /** Deletes Tingxin's tables and run records, and nothing else under the output. */
  void deleteTables() throws IOException {
    for (String t : List.of(Tables.SEGMENTS, Tables.CALLS, Tables.ERRORS, Tables.CALLERS, RUNS)) {
      fs.delete(table(t), true);
    }
  }

  /** Removes the {@code run=N} directories of runs that never wrote their record. @return how many */
  int removeUnfinished(java.util.Set<Integer> finished) throws IOException {
    int removed = 0;
    for (String t : RUN_TABLES) {
      Path dir = table(t);
      if (!fs.exists(dir)) {
        continue;
      }
      for (FileStatus s : fs.listStatus(dir)) {
        Matcher m = RUN_DIR.matcher(s.getPath().getName());
        if (m.matches() && !finished.contains(Integer.parseInt(m.group(1)))) {
          fs.delete(s.getPath(), true);
          removed++;
        }
      }
    }
    return removed;
  }

  /** The finished runs' directories of {@code table}, as Spark paths. */
  List<String> finishedRunDirs(String table, java.util.Set<Integer> finished) throws IOException {
    List<String> dirs = new ArrayList<>();
    for (int run : finished) {
      Path d = runDir(table, run);
      if (fs.exists(d)) {
        dirs.add(d.toString());
      }
    }
    return dirs;
  }

  /** Writes the run's record atomically (write aside, then rename): the run is finished once it exists. */
  void finish(int run, Map<String, Object> record) throws IOException {
    Path dir = new Path(root, RUNS);
    fs.mkdirs(dir);
    Path target = new Path(dir, "run-" + run + ".json");
    Path aside = new Path(dir, ".run-" + run + ".json.tmp");
    try (OutputStream out = fs.create(aside, true)) {
      JSON.writeValue(out, new LinkedHashMap<>(record));
    }
    if (!fs.rename(aside, target)) {
      throw new TingxinException(ErrorCode.IO_ERROR, "could not record run " + run + " as " + target);
    }
  }

  /** Replaces {@code table} with {@code written} (a sibling directory) as nearly atomically as the FS allows. */
  void replace(String table, Path written) throws IOException {
    Path target = table(table);
    fs.delete(target, true);
    if (!fs.rename(written, target)) {
      throw new TingxinException(ErrorCode.IO_ERROR, "could not move " + written + " to " + target);
    }
  }
}
