package io.github.tingxin.spark;

import io.github.tingxin.api.AudioInput;
import io.github.tingxin.api.ChannelSelection;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.ChannelSelection;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.RecognizerSettings;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.TingxinException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;

/**
 * One Spark task of a run: analyses its calls one at a time, in call-id order, and writes their rows of all
 * three tables as it goes, one Parquet file per table ({@code TABLE/run=N/part-P.snappy.parquet}), so each call
 * is read and analysed once and no result is cached or shuffled. A file that cannot be analysed becomes an
 * errors row with its {@link ErrorCode}: one bad file never fails the task.
 *
 * <p>Commit: a task writes hidden files ({@code .tingxin-ATTEMPT-part-P...}, which Parquet readers skip) and
 * renames them to their final names only when all its calls are written. Every attempt of a partition writes
 * the same rows (the calls and their order are fixed by the driver), so whichever attempt's rename lands, the
 * table holds each call once. What failed attempts leave is hidden, and the driver deletes it.
 */
final class PartitionTask implements Function2<Integer, Iterator<List<CallTask>>, Iterator<PartitionTask.Summary>> {
  private static final long serialVersionUID = 1L;

  /** Error code for a failure that is a defect in Tingxin rather than in the input; report it. */
  static final String INTERNAL_ERROR = "INTERNAL_ERROR";
  /** Prefix of the files a task attempt writes before it commits them. */
  static final String IN_PROGRESS = ".tingxin-";

  /**
   * What one task did, returned to the driver (a result of the job, counted once per partition even when a
   * task is retried).
   */
  record Summary(int partition, long calls, long analysed, long failed, long segments, double audioSeconds,
      long analyseNanos, long writeNanos, long analyseCpuNanos, long writeCpuNanos, String executor)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private final Broadcast<ShippedModel> model;
  private final String sha256;
  private final String modelName;
  private final RecognizerSettings settings;
  private final Broadcast<HadoopConf> hadoop;
  private final LabelColumns labels;
  private final String[] runDirs;
  private final LongAccumulator callsDone;

  /**
   * @param runDirs the run's folders of the segments, calls and errors tables, in that order
   */
  PartitionTask(Broadcast<ShippedModel> model, String sha256, String modelName, RecognizerSettings settings,
      Broadcast<HadoopConf> hadoop, LabelColumns labels, String[] runDirs, LongAccumulator callsDone) {
    this.model = model;
    this.sha256 = sha256;
    this.modelName = modelName;
    this.settings = settings;
    this.hadoop = hadoop;
    this.labels = labels;
    this.runDirs = runDirs.clone();
    this.callsDone = callsDone;
  }

  @Override
  public Iterator<Summary> call(Integer partition, Iterator<List<CallTask>> groups) {
    Configuration conf = hadoop.value().get();
    EmotionRecognizer recognizer = ExecutorRecognizers.get(model, sha256, settings);
    TaskContext context = TaskContext.get();
    String attempt = context == null ? "0" : Long.toString(context.taskAttemptId());
    TableFiles files = new TableFiles(conf, partition, attempt);
    long calls = 0;
    long analysed = 0;
    long segments = 0;
    double audio = 0;
    long analyseNanos = 0;
    long writeNanos = 0;
    long analyseCpu = 0;
    long writeCpu = 0;
    try {
      while (groups.hasNext()) {
        for (CallTask task : groups.next()) {
          long t0 = System.nanoTime();
          long c0 = cpuNanos();
          Object outcome = analyse(recognizer, conf, task);
          long t1 = System.nanoTime();
          long c1 = cpuNanos();
          if (outcome instanceof CallAnalysis call) {
            for (SegmentResult s : call.segments()) {
              files.write(0, Tables.segmentRow(task, s, labels));
            }
            files.write(1, Tables.callRow(task, call, labels));
            analysed++;
            segments += call.segments().size();
            audio += call.durationSeconds();
          } else {
            files.write(2, (Object[]) outcome);
          }
          writeNanos += System.nanoTime() - t1;
          writeCpu += cpuNanos() - c1;
          analyseNanos += t1 - t0;
          analyseCpu += c1 - c0;
          calls++;
          callsDone.add(1);
        }
      }
      long t2 = System.nanoTime();
      long c2 = cpuNanos();
      // Partition 0 writes each table's file even when it has no rows, so that every table of a finished run
      // has a file that gives its columns.
      files.commit(partition == 0);
      writeNanos += System.nanoTime() - t2;
      writeCpu += cpuNanos() - c2;
    } catch (IOException e) {
      files.discard();
      throw new TingxinException(ErrorCode.OUTPUT_FAILED, "could not write the tables into "
          + new Path(runDirs[0]).getParent().getParent() + ": " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      files.discard();
      throw e;
    }
    String executor = SparkEnv.get() == null ? "driver" : SparkEnv.get().executorId();
    return List.of(new Summary(partition, calls, analysed, calls - analysed, segments, audio, analyseNanos,
        writeNanos, analyseCpu, writeCpu, executor)).iterator();
  }

  /** This thread's CPU time: what the work cost, whatever else the machine runs. */
  private static long cpuNanos() {
    return THREADS.getCurrentThreadCpuTime();
  }

  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  /**
   * The task's three Parquet files, opened at their first row. On the local file system they are written and
   * renamed with {@code java.nio} (Hadoop's local file system starts a {@code chmod} process for every file it
   * creates, and adds checksum files); elsewhere with Hadoop's file system.
   */
  private final class TableFiles {
    private final Configuration conf;
    private final int partition;
    private final String attempt;
    private final ParquetRows[] writers = new ParquetRows[3];

    TableFiles(Configuration conf, int partition, String attempt) {
      this.conf = conf;
      this.partition = partition;
      this.attempt = attempt;
    }

    void write(int table, Object[] row) throws IOException {
      writer(table).write(row);
    }

    private ParquetRows writer(int table) throws IOException {
      if (writers[table] == null) {
        Path hidden = hidden(table);
        FileSystem fs = hidden.getFileSystem(conf);
        org.apache.parquet.io.OutputFile file;
        if ("file".equals(fs.getScheme())) {
          java.nio.file.Path local = local(fs, hidden);
          Files.createDirectories(local.getParent());
          file = new org.apache.parquet.io.LocalOutputFile(local);
        } else {
          file = org.apache.parquet.hadoop.util.HadoopOutputFile.fromPath(hidden, conf);
        }
        writers[table] = new ParquetRows(conf, file, schema(table));
      }
      return writers[table];
    }

    private org.apache.spark.sql.types.StructType schema(int table) {
      return switch (table) {
        case 0 -> Tables.segmentsSchema(labels);
        case 1 -> Tables.callsSchema(labels);
        default -> Tables.errorsSchema();
      };
    }

    private Path hidden(int table) {
      return new Path(runDirs[table], IN_PROGRESS + attempt + "-" + finalName());
    }

    private String finalName() {
      return String.format(java.util.Locale.ROOT, "part-%05d.snappy.parquet", partition);
    }

    void commit(boolean everyTable) throws IOException {
      for (int t = 0; t < writers.length; t++) {
        if (writers[t] == null && everyTable) {
          writer(t);
        }
      }
      for (ParquetRows w : writers) {
        if (w != null) {
          w.close();
        }
      }
      for (int t = 0; t < writers.length; t++) {
        if (writers[t] == null) {
          continue;
        }
        Path from = hidden(t);
        Path to = new Path(runDirs[t], finalName());
        FileSystem fs = from.getFileSystem(conf);
        if ("file".equals(fs.getScheme())) {
          // Replaces what another attempt of this partition may have committed: the same rows.
          Files.move(local(fs, from), local(fs, to), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } else if (!fs.rename(from, to)) {
          if (!fs.exists(to)) {
            throw new IOException("could not rename " + from + " to " + to);
          }
          // Another attempt of this partition committed the same rows first.
          fs.delete(from, false);
        }
      }
    }

    /** Closes and deletes what this attempt wrote, as far as it can (a failure is already on its way). */
    void discard() {
      for (int t = 0; t < writers.length; t++) {
        if (writers[t] == null) {
          continue;
        }
        try {
          writers[t].close();
        } catch (IOException | RuntimeException e) {
          // The file is deleted below, or left hidden for the driver to delete.
        }
        try {
          Path p = hidden(t);
          p.getFileSystem(conf).delete(p, false);
        } catch (IOException | RuntimeException e) {
          // Left hidden; the driver deletes it.
        }
      }
    }
  }

  private static java.nio.file.Path local(FileSystem fs, Path p) {
    return Paths.get(fs.makeQualified(p).toUri());
  }

  /** The call's analysis, or its errors row. */
  private Object analyse(EmotionRecognizer recognizer, Configuration conf, CallTask task) {
    if (task.errorCode() != null) {
      return Tables.errorRow(task, modelName, task.errorCode(), task.errorMessage());
    }
    try {
      Path path = new Path(task.path());
      FileSystem fs = path.getFileSystem(conf);
      if ("file".equals(fs.getScheme())) {
        java.nio.file.Path local = Paths.get(fs.makeQualified(path).toUri());
        if (!Files.isRegularFile(local)) {
          return Files.exists(local) ? notRegular(task) : Tables.errorRow(task, modelName, ErrorCode.IO_ERROR.name(),
              "no such file: " + task.path());
        }
        // Local files are read by path, exactly as the recognizer reads them outside Spark.
        return recognizer.analyze(AudioInput.file(local).channels(ChannelSelection.parse(task.channel())));
      }
      FileStatus status = fs.getFileStatus(path);
      if (!status.isFile()) {
        return notRegular(task);
      }
      try (InputStream in = fs.open(path)) {
        return recognizer.analyze(AudioInput.stream(in).channels(ChannelSelection.parse(task.channel())));
      }
    } catch (TingxinException e) {
      if (e.code() == ErrorCode.INTERRUPTED) {
        throw e;
      }
      return Tables.errorRow(task, modelName, e.code().name(), e.getMessage());
    } catch (FileNotFoundException e) {
      return Tables.errorRow(task, modelName, ErrorCode.IO_ERROR.name(), "no such file: " + task.path());
    } catch (IOException e) {
      return Tables.errorRow(task, modelName, ErrorCode.IO_ERROR.name(),
          "could not read " + task.path() + ": " + e.getMessage());
    } catch (RuntimeException e) {
      return Tables.errorRow(task, modelName, INTERNAL_ERROR,
          "unexpected " + e.getClass().getName() + " (please report it): " + e.getMessage());
    }
  }

  private Object[] notRegular(CallTask task) {
    return Tables.errorRow(task, modelName, ErrorCode.IO_ERROR.name(), task.path()
        + " is not a regular file (a folder, FIFO, device or socket) and was not read");
  }
}
