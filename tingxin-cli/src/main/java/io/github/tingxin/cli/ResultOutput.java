package io.github.tingxin.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Standard output for results, which notices when they could not be written (a full disk, {@code /dev/full},
 * a closed pipe): a {@link PrintWriter} alone swallows the error, and the command would exit 0 with results
 * lost. {@link #check()} turns a failed write into exit code 5. Not thread-safe: the command's thread writes.
 */
final class ResultOutput {
  private final OutputStream target;
  private final Recorder recorder;
  private final PrintWriter writer;

  ResultOutput(OutputStream target) {
    this.target = target;
    this.recorder = new Recorder(target);
    this.writer = new PrintWriter(new OutputStreamWriter(recorder, StandardCharsets.UTF_8), true);
  }

  /** The UTF-8 writer the commands print results with (flushed at every line end). */
  PrintWriter writer() {
    return writer;
  }

  /** Whether some output was lost. Flushes first. */
  boolean failed() {
    writer.flush();
    return recorder.failure != null || (target instanceof PrintStream p && p.checkError());
  }

  /**
   * Flushes, and fails if anything written so far was lost, so that a command stops at the first lost result
   * instead of analysing on for nobody.
   *
   * @throws CliException {@link ExitCodes#OUTPUT}, saying why
   */
  void check() {
    if (failed()) {
      IOException cause = recorder.failure;
      throw new CliException(ExitCodes.OUTPUT, "cannot write the results to standard output ("
          + (cause == null ? "the stream reported an error" : cause.getMessage())
          + "); what was printed is incomplete: check the disk or the program reading the output", cause);
    }
  }

  /** Remembers the first failure of the stream it writes to, and passes every failure on. */
  private static final class Recorder extends FilterOutputStream {
    volatile IOException failure;

    Recorder(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      try {
        out.write(b);
      } catch (IOException e) {
        throw remember(e);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        throw remember(e);
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        out.flush();
      } catch (IOException e) {
        throw remember(e);
      }
    }

    private IOException remember(IOException e) {
      if (failure == null) {
        failure = e;
      }
      return e;
    }
  }
}
