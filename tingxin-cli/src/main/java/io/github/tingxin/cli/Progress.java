package io.github.tingxin.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress bar of {@code analyze} on standard error, in seconds of audio done out of the total, for
 * many files or long ones. Shown only on a terminal and without {@code --quiet}; elsewhere every method
 * does nothing. The recognizer reports no progress within a file, so a single long file shows its
 * elapsed time until it is done. Not thread-safe.
 */
class Progress implements AutoCloseable {
  /** Below this much audio in one file, a single file gets no bar. */
  static final double LONG_FILE_SECONDS = 60;

  private static final Progress NONE = new Progress();

  private Progress() {}

  /** A bar for {@code files}, or a no-op when it should not show. */
  static Progress forFiles(List<Path> files, boolean wanted, PrintStream err) {
    if (!wanted || !isTerminal()) {
      return NONE;
    }
    Map<Path, Long> tenths = new HashMap<>();
    long total = 0;
    for (Path f : files) {
      long t = Math.max(1, Math.round(10 * AudioFiles.durationSeconds(f)));
      tenths.put(f, t);
      total += t;
    }
    if (files.size() == 1 && total < 10 * LONG_FILE_SECONDS) {
      return NONE;
    }
    return new Bar(tenths, total, files.size(), err);
  }

  /** Whether standard input and output are a terminal (Java 22+: and the console says it is one). */
  static boolean isTerminal() {
    java.io.Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException e) {
      return true; // before Java 22, a console exists only on a terminal
    }
  }

  void starting(Path file) {}

  /** Clears the bar's line so that results can be printed. */
  void pause() {}

  void done(Path file) {}

  @Override
  public void close() {}

  private static final class Bar extends Progress {
    private final Map<Path, Long> tenths;
    private final ProgressBar bar;
    private final PrintStream err;
    private final int files;
    private int started;

    Bar(Map<Path, Long> tenths, long total, int files, PrintStream err) {
      this.tenths = tenths;
      this.err = err;
      this.files = files;
      this.bar = new ProgressBarBuilder().setTaskName("Analysing").setInitialMax(total)
          .setUnit(" s", 10).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
          .setConsumer(new ConsoleProgressBarConsumer(err, 100)).clearDisplayOnFinish().build();
    }

    @Override
    void starting(Path file) {
      started++;
      bar.setExtraMessage(files > 1 ? "file " + started + "/" + files : file.getFileName().toString());
    }

    @Override
    void pause() {
      err.print("\r\033[K");
      err.flush();
    }

    @Override
    void done(Path file) {
      bar.stepBy(tenths.getOrDefault(file, 0L));
    }

    @Override
    public void close() {
      bar.close();
    }
  }
}
