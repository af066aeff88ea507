package io.github.tingxin.spark;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.github.tingxin.api.ChannelSelection;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
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
 * call id, listing it once. Call ids must be unique: a manifest that repeats one is refused before anything is
 * written.
 *
 * <p>A directory on the local file system is walked with {@code java.nio} (Hadoop's local listing runs a
 * process per file to read its permissions), other file systems with Hadoop's recursive listing; either way the
 * sizes come with the listing. What is not a regular file (a FIFO, a device, a socket) is counted and never
 * opened. A CSV manifest is read on the driver with a CSV parser (quoted fields may hold commas, newlines and
 * doubled quotes); its files are not looked at here: the tasks open them.
 */
final class InputListing {
  /**
   * The tasks; the input's own paths (the directory, the glob's matches, the file, or the manifest), which
   * must lie apart from the output; how many files under a directory input did not match the pattern; how
   * many entries were not regular files (skipped unread); and whether the tasks' sizes are known (from a
   * listing, not from a manifest).
   */
  record Listing(List<CallTask> tasks, List<Path> roots, long ignoredFiles, long specialFiles, boolean sizesKnown) {}

  /** The longest manifest field (a path is at most a few KiB): more means an unbalanced quote. */
  static final int MAX_FIELD_CHARS = 64 * 1024;

  private static final Pattern GLOB_CHARS = Pattern.compile("[*?\\[{]");
  private static final List<String> MANIFEST_COLUMNS = List.of("path", "call_id", "caller_id", "channel", "started_at");
  private static final CsvMapper CSV = new CsvMapper(CsvFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_FIELD_CHARS).build())
      .build());

  private InputListing() {}

  static boolean isManifest(String input) {
    String lower = input.toLowerCase(Locale.ROOT);
    return lower.endsWith(".csv") || lower.endsWith(".parquet");
  }

  static boolean isCsv(String input) {
    return input.toLowerCase(Locale.ROOT).endsWith(".csv");
  }

  static Listing list(SparkSession spark, BatchOptions options) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    try {
      Listing listing = !isManifest(options.input()) ? files(conf, options)
          : isCsv(options.input()) ? csvManifest(conf, options) : parquetManifest(spark, conf, options);
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
    List<FileStatus> found = new ArrayList<>();
    Path root;
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
    Walk walk = new Walk(fs.makeQualified(root).toUri().getPath(), options);
    for (FileStatus status : found) {
      Path p = fs.makeQualified(status.getPath());
      if ("file".equals(fs.getScheme())) {
        walk.local(Paths.get(p.toUri()), status.isDirectory());
      } else if (status.isDirectory()) {
        walk.hadoop(fs, p);
      } else {
        walk.add(p, status.getLen(), false);
      }
    }
    walk.tasks.sort(Comparator.comparing(CallTask::callId));
    return new Listing(walk.tasks, found.stream().map(s -> fs.makeQualified(s.getPath())).toList(), walk.ignored,
        walk.special, true);
  }

  /** One listing of a directory input: the matching regular files as tasks, and what was left out. */
  private static final class Walk {
    final String rootText;
    final BatchOptions options;
    final GlobPattern pattern;
    final List<CallTask> tasks = new ArrayList<>();
    long ignored;
    long special;

    Walk(String rootText, BatchOptions options) {
      this.rootText = rootText;
      this.options = options;
      this.pattern = new GlobPattern(options.pattern().toLowerCase(Locale.ROOT));
    }

    /** A local tree, links followed (a link that loops is skipped). */
    void local(java.nio.file.Path top, boolean directory) throws IOException {
      if (!directory) {
        BasicFileAttributes a = Files.readAttributes(top, BasicFileAttributes.class);
        add(new Path(top.toUri()), a.size(), !a.isRegularFile());
        return;
      }
      Files.walkFileTree(top, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(java.nio.file.Path dir, BasicFileAttributes attrs) {
          return !dir.equals(top) && hidden(dir.getFileName().toString()) ? FileVisitResult.SKIP_SUBTREE
              : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(java.nio.file.Path file, BasicFileAttributes attrs) {
          String name = file.getFileName().toString();
          if (hidden(name)) {
            return FileVisitResult.CONTINUE;
          }
          if (!pattern.matches(name.toLowerCase(Locale.ROOT))) {
            ignored++;
          } else {
            add(new Path(file.toUri()), attrs.size(), !attrs.isRegularFile());
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(java.nio.file.Path file, IOException e) throws IOException {
          if (e instanceof FileSystemLoopException) {
            ignored++;
            return FileVisitResult.CONTINUE;
          }
          throw e;
        }
      });
    }

    /** A tree on another file system: Hadoop lists regular files only. */
    void hadoop(FileSystem fs, Path top) throws IOException {
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(top, true);
      while (it.hasNext()) {
        LocatedFileStatus f = it.next();
        if (hiddenBelow(f.getPath(), top)) {
          continue;
        }
        if (!pattern.matches(f.getPath().getName().toLowerCase(Locale.ROOT))) {
          ignored++;
        } else {
          add(f.getPath(), f.getLen(), !f.isFile());
        }
      }
    }

    void add(Path file, long bytes, boolean notRegular) {
      if (notRegular) {
        // A FIFO would block the task that opens it, a device could be endless: never opened.
        special++;
        return;
      }
      String full = file.toUri().getPath();
      String rel = full.startsWith(rootText + "/") ? full.substring(rootText.length() + 1) : file.getName();
      tasks.add(CallTask.of(file.toString(), withoutExtension(rel), null, options.channel(), null, bytes));
    }
  }

  /** Hadoop's convention, which Spark's readers follow: names starting with '.' or '_' are not data. */
  private static boolean hidden(String name) {
    return name.startsWith(".") || name.startsWith("_");
  }

  private static boolean hiddenBelow(Path file, Path top) {
    for (Path p = file; p != null && !p.equals(top) && p.getParent() != null; p = p.getParent()) {
      if (hidden(p.getName())) {
        return true;
      }
    }
    return false;
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

  /** One manifest row as text: path, call_id, caller_id, channel, started_at (each may be null). */
  private record ManifestRow(String path, String callId, String callerId, String channel, String startedAt) {}

  /**
   * A CSV manifest, read on the driver (no Spark job): UTF-8 (a byte-order mark is allowed), a header row naming
   * the columns (case and surrounding blanks do not matter), RFC 4180 quoting (a quoted field may hold commas
   * and newlines; {@code ""} inside it is one quote). Blank lines are skipped; a row may have fewer fields than
   * the header (the rest are empty).
   */
  private static Listing csvManifest(Configuration conf, BatchOptions options) throws IOException {
    Path manifest = new Path(options.input());
    FileSystem mfs = manifest.getFileSystem(conf);
    List<ManifestRow> rows = new ArrayList<>();
    try (InputStream in = open(mfs, manifest, options.input());
        java.io.PushbackReader reader = new java.io.PushbackReader(new InputStreamReader(in,
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)));
        MappingIterator<String[]> it = CSV.readerFor(String[].class).with(CsvParser.Feature.WRAP_AS_ARRAY)
            .with(CsvParser.Feature.SKIP_EMPTY_LINES).with(CsvSchema.emptySchema())
            .readValues(skipByteOrderMark(reader))) {
      int[] at = null;
      while (it.hasNextValue()) {
        String[] fields = it.nextValue();
        if (at == null) {
          List<String> header = Arrays.stream(fields).map(f -> f.strip().toLowerCase(Locale.ROOT)).toList();
          requirePath(header, options.input());
          at = MANIFEST_COLUMNS.stream().mapToInt(header::indexOf).toArray();
          continue;
        }
        String[] v = new String[at.length];
        for (int i = 0; i < at.length; i++) {
          v[i] = at[i] >= 0 && at[i] < fields.length ? fields[at[i]] : null;
        }
        rows.add(new ManifestRow(v[0], v[1], v[2], v[3], v[4]));
      }
      if (at == null) {
        requirePath(List.of(), options.input());
      }
    } catch (CharacterCodingException e) {
      throw notUtf8(options.input(), e);
    } catch (JacksonException | RuntimeException e) {
      if (e.getCause() instanceof CharacterCodingException c) {
        throw notUtf8(options.input(), c);
      }
      if (e instanceof TingxinException t) {
        throw t;
      }
      throw badCsv(options.input(), e);
    }
    return manifestTasks(mfs, manifest, rows, options);
  }

  private static Reader skipByteOrderMark(java.io.PushbackReader reader) throws IOException {
    int first = reader.read();
    if (first >= 0 && first != '\uFEFF') {
      reader.unread(first);
    }
    return reader;
  }

  private static TingxinException notUtf8(String manifest, CharacterCodingException e) {
    return new TingxinException(ErrorCode.INVALID_OPTION, "the manifest " + manifest + " is not UTF-8 text ("
        + e.getMessage() + "); save it as UTF-8 (\"CSV UTF-8\" in spreadsheet programs)", e);
  }

  /** A manifest that the CSV parser refuses: one line naming the manifest, the line and what is wrong. */
  private static TingxinException badCsv(String manifest, Exception e) {
    Throwable t = e;
    while (!(t instanceof JacksonException) && t.getCause() != null) {
      t = t.getCause();
    }
    String where = "";
    String what = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    if (t instanceof JacksonException j) {
      JsonLocation loc = j.getLocation();
      if (loc != null && loc.getLineNr() > 0) {
        where = " at line " + loc.getLineNr();
      }
      what = j.getOriginalMessage();
    }
    if (what.contains("String value length") || what.contains("exceeds the maximum")) {
      what = "a field longer than " + MAX_FIELD_CHARS + " characters: probably a quote that is never closed";
    } else if (what.toLowerCase(Locale.ROOT).contains("missing closing quote")
        || what.toLowerCase(Locale.ROOT).contains("eof")) {
      what = "a quote that is never closed (in CSV, a quote inside a quoted field is written twice: \"\")";
    }
    return new TingxinException(ErrorCode.INVALID_OPTION, "the manifest " + manifest + " is not valid CSV" + where
        + ": " + SparkFailures.oneLine(what), e);
  }

  /** A Parquet manifest, read with Spark (it may be a folder of part files). */
  private static Listing parquetManifest(SparkSession spark, Configuration conf, BatchOptions options)
      throws IOException {
    Path manifest = new Path(options.input());
    FileSystem mfs = manifest.getFileSystem(conf);
    open(mfs, manifest, options.input()).close();
    List<Row> collected;
    try {
      Dataset<Row> rows = spark.read().parquet(options.input());
      List<String> columns = Arrays.asList(rows.columns());
      requirePath(columns, options.input());
      List<org.apache.spark.sql.Column> picked = new ArrayList<>();
      for (String c : MANIFEST_COLUMNS) {
        picked.add(columns.contains(c) ? rows.col(c).cast(DataTypes.StringType).as(c)
            : org.apache.spark.sql.functions.lit(null).cast(DataTypes.StringType).as(c));
      }
      collected = rows.select(picked.toArray(org.apache.spark.sql.Column[]::new)).collectAsList();
    } catch (TingxinException e) {
      throw e;
    } catch (Exception e) {
      // Spark throws its (checked) SparkException from Scala without declaring it.
      TingxinException platform = SparkFailures.platform(e);
      if (platform != null) {
        throw platform;
      }
      throw new TingxinException(ErrorCode.INVALID_OPTION, "the manifest " + options.input()
          + " is not a Parquet file Spark can read (" + SparkFailures.oneLine(SparkFailures.rootMessage(e))
          + "); give a Parquet file or folder, or a .csv manifest", e);
    }
    List<ManifestRow> rows = new ArrayList<>(collected.size());
    for (Row r : collected) {
      rows.add(new ManifestRow(r.getString(0), r.getString(1), r.getString(2), r.getString(3), r.getString(4)));
    }
    return manifestTasks(mfs, manifest, rows, options);
  }

  private static InputStream open(FileSystem fs, Path manifest, String text) throws IOException {
    FileStatus status;
    try {
      status = fs.getFileStatus(manifest);
    } catch (FileNotFoundException e) {
      throw new TingxinException(ErrorCode.IO_ERROR, "the manifest " + text + " does not exist", e);
    }
    if (status.isDirectory()) {
      return InputStream.nullInputStream();
    }
    if ("file".equals(fs.getScheme()) && !Files.isRegularFile(Paths.get(fs.makeQualified(manifest).toUri()))) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "the manifest " + text
          + " is not a regular file (a FIFO, device or socket); give a manifest file");
    }
    return fs.open(manifest);
  }

  private static void requirePath(List<String> columns, String manifest) {
    if (!columns.contains("path")) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "the manifest " + manifest
          + " has no 'path' column; it has " + columns + " (optional: call_id, caller_id, channel, started_at)");
    }
  }

  private static Listing manifestTasks(FileSystem mfs, Path manifest, List<ManifestRow> rows, BatchOptions options)
      throws IOException {
    Path base = mfs.makeQualified(manifest).getParent();
    String baseText = base.toUri().getPath();
    List<CallTask> tasks = new ArrayList<>(rows.size());
    int rowNumber = 0;
    for (ManifestRow r : rows) {
      rowNumber++;
      String pathText = blankToNull(r.path());
      String callId = blankToNull(r.callId());
      String callerId = blankToNull(r.callerId());
      String channelText = blankToNull(r.channel());
      String startedAt = blankToNull(r.startedAt());
      if (pathText == null) {
        String id = callId != null ? callId : "manifest-row-" + rowNumber;
        tasks.add(new CallTask("", id, callerId, options.channel(), startedAt, -1, ErrorCode.INVALID_OPTION.name(),
            "manifest row " + rowNumber + " has no path"));
        continue;
      }
      Path path;
      try {
        path = new Path(pathText);
        if (!path.isAbsolute()) {
          path = new Path(base, pathText);
        }
        path = path.getFileSystem(mfs.getConf()).makeQualified(path);
      } catch (IllegalArgumentException | IOException e) {
        String id = callId != null ? callId : "manifest-row-" + rowNumber;
        tasks.add(new CallTask(pathText, id, callerId, options.channel(), startedAt, -1,
            ErrorCode.INVALID_OPTION.name(), "manifest row " + rowNumber + ": the path is not one this cluster can"
                + " open (" + SparkFailures.oneLine(e.getMessage()) + ")"));
        continue;
      }
      if (callId == null) {
        String full = path.toUri().getPath();
        callId = withoutExtension(full.startsWith(baseText + "/") ? full.substring(baseText.length() + 1) : full);
      }
      String channel = options.channel();
      String badChannel = null;
      if (channelText != null) {
        try {
          channel = ChannelSelection.parse(channelText).toString();
        } catch (TingxinException e) {
          badChannel = "manifest row " + rowNumber + ": " + e.getMessage();
        }
      }
      CallTask task = CallTask.of(path.toString(), callId, callerId, channel, startedAt, -1);
      if (badChannel != null) {
        task = task.failing(ErrorCode.INVALID_OPTION.name(), badChannel);
      }
      tasks.add(task);
    }
    tasks.sort(Comparator.comparing(CallTask::callId));
    return new Listing(tasks, List.of(mfs.makeQualified(manifest)), 0, 0, false);
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
