package io.github.tingxin.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code tingxin} command: holds the process's streams for its subcommands. */
@Command(name = "tingxin", mixinStandardHelpOptions = true, versionProvider = TingxinCommand.Version.class,
    description = {
        "Tingxin (听心): speech emotion recognition for psychological-support hotlines.",
        "Results go to standard output; messages and progress to standard error. No network is used."},
    // batch and help are added by Main: batch is found at run time (BatchSupport).
    subcommands = {AnalyzeCommand.class, StreamCommand.class, ModelCommand.class, FeaturesCommand.class},
    footer = {"", "Exit codes: 0 ok, 1 bad usage, 2 bad input audio, 3 bad model,",
        "  4 runtime or device failure (out of memory too), 5 output not written,",
        "  70 internal error, 130 interrupted. See docs/cli.md.", ""})
final class TingxinCommand implements Runnable {
  final InputStream stdin;
  /** Standard output, which notices lost results. */
  final ResultOutput results;
  final PrintStream stderr;

  @Spec CommandSpec spec;

  TingxinCommand(InputStream stdin, ResultOutput results, PrintStream stderr) {
    this.stdin = stdin;
    this.results = results;
    this.stderr = stderr;
  }

  /** Standard error as the command line's UTF-8 writer. */
  java.io.PrintWriter errWriter() {
    return spec.commandLine().getErr();
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a command is needed: analyze, stream, model, features or batch");
  }

  /** The version from the build. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = TingxinCommand.class.getResourceAsStream("/io/github/tingxin/cli/version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {"tingxin " + p.getProperty("version", "(unknown version)")};
    }
  }
}
