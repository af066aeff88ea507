package io.github.tingxin.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The output directory, and what Tingxin provably wrote there.
 *
 * <p>Each run first records that it starts ({@code _runs/run-N.started.json}, naming the folders it will
 * write: {@code segments/run=N}, {@code calls/run=N}, {@code errors/run=N}, and whether it writes the
 * {@code callers} table), then writes those folders, then, last, its record {@code _runs/run-N.json}. A run
 * with a start record and no record did not finish; the next run removes what it wrote.
 *
 * <p>Whether the output "holds tables" is decided from those records alone, never from folder names, and
 * nothing is ever deleted that a record does not name: a user's own folder called {@code calls} or
 * {@code _runs} is not Tingxin's. Before a run writes anything it checks that the table folders hold only
 * what the records name, and refuses otherwise, so a run never mixes its files with someone else's.
 *
 * <p>Not thread-safe: one run uses one instance.
 */
final class OutputLayout {
  static final List<String> RUN_TABLES = List.of(Tables.SEGMENTS, Tables.CALLS, Tables.ERRORS);
  static final String RUNS = "_runs";
  /** The {@code writer} of every record Tingxin writes: a file without it is not Tingxin's. */
  static final String WRITER = "tingxin batch";
  private static final Pattern FINISHED = Pattern.compile("run-(\\d+)\\.json");
  private static final Pattern STARTED = Pattern.compile("run-(\\d+)\\.started\\.json");
  /** What a crash can leave in {@code _runs}: a record written aside, or the callers table being written. */
  private static final Pattern ASIDE = Pattern.compile("\\.(run-(\\d+)(\\.started)?\\.json\\.tmp|callers-(\\d+))");
  /** Hadoop's local file system keeps a checksum file {@code .NAME.crc} beside each file it writes. */
  private static final Pattern CHECKSUM = Pattern.compile("\\.(.+)\\.crc");
  private static final Pattern RUN_DIR = Pattern.compile("run=(\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The run records found under the output. */
  record Records(TreeMap<Integer, Map<String, Object>> started, TreeMap<Integer, Map<String, Object>> finished) {
    /** Whether any Tingxin run (finished or not) wrote here. */
    boolean any() {
      return !started.isEmpty() || !finished.isEmpty();
    }

    Set<Integer> unfinished() {
      Set<Integer> runs = new TreeSet<>(started.keySet());
      runs.removeAll(finished.keySet());
      return runs;
    }

    /** The number of the next run. */
    int next() {
      int last = 0;
      for (int r : started.keySet()) {
        last = Math.max(last, r);
      }
      for (int r : finished.keySet()) {
        last = Math.max(last, r);
      }
      return last + 1;
    }

    /** Whether a record of {@code run} names {@code folder} ("calls/run=3") as written by it. */
    boolean names(int run, String folder) {
      return folders(started.get(run)).contains(folder) || folders(finished.get(run)).contains(folder);
    }

    /** Whether any record says its run writes the callers table. */
    boolean ownsCallers() {
      return started.values().stream().anyMatch(r -> Boolean.TRUE.equals(r.get("callers")))
          || finished.values().stream().anyMatch(r -> Boolean.TRUE.equals(r.get("callers")));
    }

    private static List<?> folders(Map<String, Object> record) {
      return record == null ? List.of() : (List<?>) record.get("folders");
    }
  }

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

  private Path runs() {
    return new Path(root, RUNS);
  }

  /** The folders run {@code run} writes, relative to the output. */
  static List<String> folders(int run) {
    return RUN_TABLES.stream().map(t -> t + "/run=" + run).toList();
  }

  /**
   * Refuses an input that lies inside the output (the run would write its tables among the recordings, and a
   * later --overwrite could reach them) and an output inside an input (the next run would read the tables).
   *
   * @param inputs the input's directories and files as listed (a directory, a glob's matches, a file, a
   *     manifest)
   * @throws TingxinException {@link ErrorCode#INVALID_OPTION} naming both
   */
  void checkApartFrom(List<Path> inputs) throws IOException {
    String out = canonical(root);
    for (Path input : inputs) {
      String in = canonical(input);
      if (inside(in, out)) {
        throw new TingxinException(ErrorCode.INVALID_OPTION, "the input " + input + " is inside the output "
            + root + "; write the tables to a directory of their own, outside the recordings");
      }
      if (inside(out, in)) {
        throw new TingxinException(ErrorCode.INVALID_OPTION, "the output " + root + " is inside the input "
            + input + "; write the tables to a directory of their own, outside the recordings");
      }
    }
  }

  /** Whether {@code child} is {@code parent} or lies below it (both canonical, ending in '/'). */
  private static boolean inside(String child, String parent) {
    return child.startsWith(parent);
  }

  /**
   * The path as a URI text ending in '/', with links resolved where the file system is local, so that a path
   * and a link to it compare equal.
   */
  private String canonical(Path p) throws IOException {
    Path q = p.getFileSystem(fs.getConf()).makeQualified(p);
    URI uri = q.toUri();
    String text;
    if ("file".equals(uri.getScheme())) {
      java.nio.file.Path local = Paths.get(uri).normalize();
      java.nio.file.Path existing = local;
      while (existing != null && !Files.exists(existing)) {
        existing = existing.getParent();
      }
      java.nio.file.Path real = existing == null ? local : existing.toRealPath().resolve(existing.relativize(local));
      text = "file:" + real;
    } else {
      text = uri.getScheme() + "://" + uri.getAuthority() + new Path(uri.getPath()).toUri().getPath();
    }
    return text.endsWith("/") ? text : text + "/";
  }

  /** Reads the run records; files in {@code _runs} that are not Tingxin's records are left out. */
  Records records() throws IOException {
    TreeMap<Integer, Map<String, Object>> started = new TreeMap<>();
    TreeMap<Integer, Map<String, Object>> finished = new TreeMap<>();
    for (FileStatus s : list(runs())) {
      String name = s.getPath().getName();
      Matcher f = FINISHED.matcher(name);
      Matcher b = STARTED.matcher(name);
      if (s.isFile() && f.matches()) {
        int run = Integer.parseInt(f.group(1));
        readRecord(s.getPath(), run).ifPresent(r -> finished.put(run, r));
      } else if (s.isFile() && b.matches()) {
        int run = Integer.parseInt(b.group(1));
        readRecord(s.getPath(), run).ifPresent(r -> started.put(run, r));
      }
    }
    return new Records(started, finished);
  }

  /** The record in {@code file} if it is one Tingxin wrote for {@code run}, naming only that run's folders. */
  private java.util.Optional<Map<String, Object>> readRecord(Path file, int run) throws IOException {
    if (fs.getFileStatus(file).getLen() > 1 << 20) {
      return java.util.Optional.empty();
    }
    Object parsed;
    try (InputStream in = fs.open(file)) {
      parsed = JSON.readValue(in, Object.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      return java.util.Optional.empty();
    }
    if (!(parsed instanceof Map<?, ?> map) || !WRITER.equals(map.get("writer"))
        || !(map.get("run") instanceof Integer n) || n != run || !(map.get("folders") instanceof List<?> folders)
        || !folders(run).containsAll(folders)) {
      return java.util.Optional.empty();
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> record = (Map<String, Object>) map;
    return java.util.Optional.of(record);
  }

  /**
   * Refuses to go on if a table folder or {@code _runs} holds anything the records do not name: the output
   * is then someone else's (or holds someone else's files among the tables), and a run must neither mix its
   * rows with them nor delete them.
   *
   * @throws TingxinException {@link ErrorCode#INVALID_OPTION} naming a file that is not Tingxin's
   */
  void checkOnlyTingxinFiles(Records records) throws IOException {
    for (String t : RUN_TABLES) {
      for (FileStatus s : list(table(t))) {
        Matcher m = RUN_DIR.matcher(s.getPath().getName());
        if (!s.isDirectory() || !m.matches() || !records.names(Integer.parseInt(m.group(1)),
            t + "/" + s.getPath().getName())) {
          throw notOurs(s.getPath());
        }
      }
    }
    if (fs.exists(table(Tables.CALLERS)) && !records.ownsCallers()) {
      throw notOurs(table(Tables.CALLERS));
    }
    for (FileStatus s : list(runs())) {
      if (!ours(s, records)) {
        throw notOurs(s.getPath());
      }
    }
  }

  /** Whether {@code s}, an entry of {@code _runs}, is a record of {@code records} or what a crash left of one. */
  private boolean ours(FileStatus s, Records records) {
    String name = s.getPath().getName();
    Matcher crc = CHECKSUM.matcher(name);
    if (crc.matches() && !name.startsWith("..")) {
      name = crc.group(1);
    }
    Matcher f = FINISHED.matcher(name);
    if (f.matches()) {
      return records.finished().containsKey(Integer.parseInt(f.group(1)));
    }
    Matcher b = STARTED.matcher(name);
    if (b.matches()) {
      return records.started().containsKey(Integer.parseInt(b.group(1)));
    }
    Matcher a = ASIDE.matcher(name);
    if (a.matches()) {
      int run = Integer.parseInt(a.group(2) != null ? a.group(2) : a.group(4));
      return records.started().containsKey(run) || records.finished().containsKey(run);
    }
    return false;
  }

  private TingxinException notOurs(Path p) {
    return new TingxinException(ErrorCode.INVALID_OPTION, "the output " + root + " holds " + p
        + ", which Tingxin did not write (its run records in " + runs() + " name all it wrote there); choose"
        + " another output directory, or move that file away");
  }

  private List<FileStatus> list(Path dir) throws IOException {
    if (!fs.exists(dir)) {
      return List.of();
    }
    FileStatus status = fs.getFileStatus(dir);
    return status.isDirectory() ? List.of(fs.listStatus(dir)) : List.of(status);
  }

  /**
   * Records that run {@code run} starts and names the folders it will write. Written aside and renamed, so
   * the record is whole or absent.
   */
  void begin(int run, boolean callers, Map<String, Object> details) throws IOException {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("writer", WRITER);
    record.put("run", run);
    record.put("folders", folders(run));
    record.put("callers", callers);
    record.putAll(details);
    write(run + ".started", record);
  }

  /** Writes the run's record (aside, then renamed): the run is finished once it exists. */
  void finish(int run, boolean callers, Map<String, Object> details) throws IOException {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("writer", WRITER);
    record.put("run", run);
    record.put("folders", folders(run));
    record.put("callers", callers);
    record.putAll(details);
    write(Integer.toString(run), record);
  }

  private void write(String name, Map<String, Object> record) throws IOException {
    Path dir = runs();
    fs.mkdirs(dir);
    Path target = new Path(dir, "run-" + name + ".json");
    Path aside = new Path(dir, ".run-" + name + ".json.tmp");
    try (OutputStream out = fs.create(aside, true)) {
      JSON.writeValue(out, record);
    }
    if (!fs.rename(aside, target)) {
      throw new TingxinException(ErrorCode.IO_ERROR, "could not write the run record " + target);
    }
  }

  /**
   * Deletes every table folder the records name, the callers table where a record claims it, and then the
   * records themselves: all that Tingxin wrote here, and nothing else. Call {@link #checkOnlyTingxinFiles}
   * first. Folders go before records, so a crash half-way leaves records naming what is left.
   */
  void deleteAll(Records records) throws IOException {
    Set<Integer> runs = new TreeSet<>(records.started().keySet());
    runs.addAll(records.finished().keySet());
    for (int run : runs) {
      deleteFolders(run);
    }
    if (records.ownsCallers()) {
      fs.delete(table(Tables.CALLERS), true);
    }
    for (int run : runs) {
      deleteRecords(run);
    }
    for (String t : RUN_TABLES) {
      deleteIfEmpty(table(t));
    }
    deleteIfEmpty(runs());
  }

  /** Deletes what the runs that never finished wrote, and their start records. @return those runs */
  Set<Integer> removeUnfinished(Records records) throws IOException {
    Set<Integer> unfinished = records.unfinished();
    for (int run : unfinished) {
      deleteFolders(run);
      deleteRecords(run);
      records.started().remove(run);
    }
    return unfinished;
  }

  /**
   * Ends run {@code run}'s writing: deletes what task attempts that failed or lost the race left (hidden files
   * in the run's folders, by the tasks' own prefix) and marks each folder complete with {@code _SUCCESS}, as
   * Spark's writers do.
   */
  void seal(int run) throws IOException {
    for (String t : RUN_TABLES) {
      Path dir = runDir(t, run);
      fs.mkdirs(dir);
      for (FileStatus s : fs.listStatus(dir)) {
        String name = s.getPath().getName();
        if (name.startsWith(PartitionTask.IN_PROGRESS) || name.startsWith("." + PartitionTask.IN_PROGRESS)) {
          fs.delete(s.getPath(), false);
        }
      }
      fs.create(new Path(dir, "_SUCCESS"), true).close();
    }
  }

  /** Deletes what run {@code run} wrote and its records, as far as it can: the run failed and is given up. */
  void abandon(int run) {
    try {
      deleteFolders(run);
      deleteRecords(run);
      for (String t : RUN_TABLES) {
        deleteIfEmpty(table(t));
      }
      deleteIfEmpty(runs());
    } catch (IOException | RuntimeException e) {
      // The failure that made the run give up is the one to report; its start record stays, and the next run
      // removes what is left.
    }
  }

  private void deleteFolders(int run) throws IOException {
    for (String t : RUN_TABLES) {
      fs.delete(runDir(t, run), true);
    }
    fs.delete(callersAside(run), true);
  }

  private void deleteRecords(int run) throws IOException {
    for (String name : List.of("run-" + run + ".json", "run-" + run + ".started.json",
        ".run-" + run + ".json.tmp", ".run-" + run + ".started.json.tmp")) {
      fs.delete(new Path(runs(), name), false);
    }
  }

  private void deleteIfEmpty(Path dir) throws IOException {
    if (fs.exists(dir) && fs.getFileStatus(dir).isDirectory() && fs.listStatus(dir).length == 0) {
      fs.delete(dir, false);
    }
  }

  /** The finished runs' directories of {@code table}, as Spark paths. */
  List<String> finishedRunDirs(String table, Set<Integer> finished) throws IOException {
    List<String> dirs = new ArrayList<>();
    for (int run : finished) {
      Path d = runDir(table, run);
      if (fs.exists(d)) {
        dirs.add(d.toString());
      }
    }
    return dirs;
  }

  /** Where run {@code run} writes the callers table before it replaces the old one. */
  Path callersAside(int run) {
    return new Path(runs(), ".callers-" + run);
  }

  /** Replaces the callers table with {@code written} as nearly atomically as the file system allows. */
  void replaceCallers(Path written) throws IOException {
    Path target = table(Tables.CALLERS);
    fs.delete(target, true);
    if (!fs.rename(written, target)) {
      throw new TingxinException(ErrorCode.IO_ERROR, "could not move " + written + " to " + target);
    }
  }
}
