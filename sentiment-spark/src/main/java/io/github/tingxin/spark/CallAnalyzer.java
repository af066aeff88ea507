package io.github.tingxin.spark;

import io.github.tingxin.api.AudioInput;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.RecognizerSettings;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Paths;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

/**
 * Runs on executors: analyses one task's calls, one at a time, in call-id order, and turns each into an
 * outcome row. A file that cannot be analysed becomes an error row with its {@link ErrorCode}; nothing but an
 * interrupt (the task being killed) or a JVM error escapes, so one bad file never fails the job.
 */
final class CallAnalyzer implements FlatMapFunction<List<CallTask>, Row> {
  private static final long serialVersionUID = 1L;

  /** Error code for a failure that is a defect in Tingxin rather than in the input; report it. */
  static final String INTERNAL_ERROR = "INTERNAL_ERROR";

  private final Broadcast<ShippedModel> model;
  private final String sha256;
  private final String modelName;
  private final RecognizerSettings settings;
  private final Broadcast<HadoopConf> hadoop;
  private final LabelColumns labels;
  private final LongAccumulator callsDone;

  CallAnalyzer(Broadcast<ShippedModel> model, String sha256, String modelName, RecognizerSettings settings,
      Broadcast<HadoopConf> hadoop, LabelColumns labels, LongAccumulator callsDone) {
    this.model = model;
    this.sha256 = sha256;
    this.modelName = modelName;
    this.settings = settings;
    this.hadoop = hadoop;
    this.labels = labels;
    this.callsDone = callsDone;
  }

  @Override
  public Iterator<Row> call(List<CallTask> tasks) {
    EmotionRecognizer recognizer = ExecutorRecognizers.get(model, sha256, settings);
    Iterator<CallTask> it = tasks.iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Row next() {
        Row row = analyse(recognizer, it.next());
        callsDone.add(1);
        return row;
      }
    };
  }

  private Row analyse(EmotionRecognizer recognizer, CallTask task) {
    if (task.errorCode() != null) {
      return Tables.error(task, modelName, task.errorCode(), task.errorMessage(), labels);
    }
    try {
      Path path = new Path(task.path());
      FileSystem fs = path.getFileSystem(hadoop.value().get());
      if ("file".equals(fs.getScheme())) {
        // Local files are read by path, exactly as the recognizer reads them outside Spark.
        CallAnalysis call = recognizer.analyze(ChannelSpec.apply(
            AudioInput.file(Paths.get(fs.makeQualified(path).toUri())), task.channel()));
        return Tables.ok(task, call, labels);
      }
      try (InputStream in = fs.open(path)) {
        CallAnalysis call = recognizer.analyze(ChannelSpec.apply(AudioInput.stream(in), task.channel()));
        return Tables.ok(task, call, labels);
      }
    } catch (TingxinException e) {
      if (e.code() == ErrorCode.INTERRUPTED) {
        throw e;
      }
      return Tables.error(task, modelName, e.code().name(), e.getMessage(), labels);
    } catch (FileNotFoundException e) {
      return Tables.error(task, modelName, ErrorCode.IO_ERROR.name(), "no such file: " + task.path(), labels);
    } catch (IOException e) {
      return Tables.error(task, modelName, ErrorCode.IO_ERROR.name(),
          "could not read " + task.path() + ": " + e.getMessage(), labels);
    } catch (RuntimeException e) {
      return Tables.error(task, modelName, INTERNAL_ERROR,
          "unexpected " + e.getClass().getName() + " (please report it): " + e.getMessage(), labels);
    }
  }
}
