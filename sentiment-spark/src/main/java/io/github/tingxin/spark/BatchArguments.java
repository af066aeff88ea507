package io.github.tingxin.spark;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.RecognizerSettings;
import io.github.tingxin.api.TingxinException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The command line of a batch run, read without picocli for the spark-submit entry point
 * ({@link BatchCommand}): the same options, spelt the same, as {@code tingxin batch} (docs/cli.md), and the
 * recognizer options read by the one reader every Tingxin command uses,
 * {@link RecognizerSettings#withOptions}. A test in tingxin-cli parses the same command lines both ways and
 * compares the results.
 *
 * <p>{@code --name value} and {@code --name=value} are both accepted; {@code --} ends the options.
 *
 * <p>Immutable and thread-safe.
 *
 * @param options the run's options; null when {@code help} or {@code version} was asked for
 * @param master the Spark master, if {@code --master} names one
 * @param sparkConf Spark settings from {@code --conf KEY=VALUE}, in order
 * @param verbose {@code -v}: stack traces with errors, Spark's own log levels
 * @param quiet {@code -q}: no progress lines
 * @param help {@code -h}: print the usage and stop
 * @param version {@code -V}: print the version and stop
 */
public record BatchArguments(BatchOptions options, Optional<String> master, Map<String, String> sparkConf,
    boolean verbose, boolean quiet, boolean help, boolean version) {

  /** The usage line; the options are described in docs/cli.md under {@code tingxin batch}. */
  public static final String USAGE = "usage: spark-submit [SPARK OPTIONS] --class " + BatchCommand.class.getName()
      + " sentiment-spark-VERSION-job.jar INPUT --out DIR [--incremental | --overwrite] [-m MODEL]"
      + " [--channel downmix|N|C,O] [--pattern GLOB] [--callers] [--master URL] [--partitions N] [--balance bytes|count] [--threads N]"
      + " [--device DEV] [--vad energy|silero|none] [--window S [--hop S]] [--batch-size N]"
      + " [--negative-threshold P] [--max-audio-seconds S] [--prosody] [--conf KEY=VALUE]... [-v] [-q]\n"
      + "The options are those of `tingxin batch`: see docs/cli.md and docs/batch.md.";

  private static final Set<String> FLAGS = Set.of("--incremental", "--overwrite", "--callers", "--prosody", "-v",
      "--verbose", "-q", "--quiet", "-h", "--help", "-V", "--version");
  private static final Set<String> VALUED = Set.of("--out", "-m", "--model", "--channel", "--pattern", "--master",
      "--partitions", "--balance", "--conf", "--threads", "--threads-per-task", "--device", "--vad", "--window", "--hop",
      "--batch-size", "--negative-threshold", "--max-audio-seconds");

  /** @throws NullPointerException if a reference is null */
  public BatchArguments {
    java.util.Objects.requireNonNull(master, "master");
    sparkConf = Collections.unmodifiableMap(new LinkedHashMap<>(sparkConf));
  }

  /**
   * Reads a batch command line.
   *
   * @param args the arguments after the job jar
   * @return what they say
   * @throws TingxinException {@link ErrorCode#INVALID_OPTION} naming the option that is unknown, repeated,
   *     missing its value, or whose value is out of range
   */
  public static BatchArguments parse(String... args) {
    String input = null;
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> conf = new LinkedHashMap<>();
    Set<String> flags = new java.util.HashSet<>();
    boolean optionsEnded = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!optionsEnded && arg.equals("--")) {
        optionsEnded = true;
        continue;
      }
      if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
        if (input != null) {
          throw invalid("one INPUT is taken, but '" + input + "' and '" + arg + "' were given");
        }
        input = arg;
        continue;
      }
      int eq = arg.indexOf('=');
      String name = eq > 0 && arg.startsWith("--") ? arg.substring(0, eq) : arg;
      if (FLAGS.contains(name) && name.equals(arg)) {
        flags.add(longName(name));
      } else if (VALUED.contains(name)) {
        String value;
        if (!name.equals(arg)) {
          value = arg.substring(eq + 1);
        } else if (i + 1 < args.length) {
          value = args[++i];
        } else {
          throw invalid("Missing required parameter for option '" + name + "'");
        }
        String key = longName(name);
        if (key.equals("--conf")) {
          int kv = value.indexOf('=');
          if (kv <= 0) {
            throw invalid("--conf takes KEY=VALUE, got '" + value + "'");
          }
          conf.put(value.substring(0, kv), value.substring(kv + 1));
        } else if (values.put(key, value) != null) {
          throw invalid("option '" + key + "' should be specified only once");
        }
      } else {
        throw invalid("Unknown option: '" + arg + "'");
      }
    }
    boolean help = flags.contains("--help");
    boolean version = flags.contains("--version");
    if (help || version) {
      return new BatchArguments(null, Optional.empty(), conf, false, false, help, version);
    }
    if (input == null) {
      throw invalid("Missing required parameter: 'INPUT'");
    }
    if (!values.containsKey("--out")) {
      throw invalid("Missing required option: '--out=DIR'");
    }
    boolean incremental = flags.contains("--incremental");
    boolean overwrite = flags.contains("--overwrite");
    if (incremental && overwrite) {
      throw invalid("--incremental and --overwrite exclude each other");
    }
    Map<String, String> recognizer = new LinkedHashMap<>();
    for (String option : RecognizerSettings.OPTION_NAMES) {
      String value = values.get("--" + option);
      if (value != null) {
        recognizer.put(option, value);
      }
    }
    if (flags.contains("--prosody")) {
      recognizer.put("prosody", "true");
    }
    try {
      BatchOptions.Builder b = BatchOptions.builder(input, values.get("--out"))
          .mode(incremental ? BatchOptions.WriteMode.INCREMENTAL
              : overwrite ? BatchOptions.WriteMode.OVERWRITE : BatchOptions.WriteMode.ERROR_IF_EXISTS)
          .model(values.get("--model"))
          .callers(flags.contains("--callers"))
          .recognizer(BatchOptions.DEFAULT_RECOGNIZER.withOptions(recognizer));
      if (values.containsKey("--channel")) {
        b.channel(values.get("--channel"));
      }
      if (values.containsKey("--pattern")) {
        b.pattern(values.get("--pattern"));
      }
      if (values.containsKey("--partitions")) {
        b.partitions(partitions(values.get("--partitions")));
      }
      if (values.containsKey("--balance")) {
        b.balance(BatchOptions.Balance.parse(values.get("--balance")));
      }
      return new BatchArguments(b.build(), Optional.ofNullable(values.get("--master")), conf,
          flags.contains("--verbose"), flags.contains("--quiet"), false, false);
    } catch (IllegalArgumentException e) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, e.getMessage(), e);
    }
  }

  private static int partitions(String text) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw invalid("--partitions takes a whole number, got '" + text + "'");
    }
  }

  private static String longName(String name) {
    return switch (name) {
      case "-m" -> "--model";
      case "-v" -> "--verbose";
      case "-q" -> "--quiet";
      case "-h" -> "--help";
      case "-V" -> "--version";
      // The spelling of the first release, kept: it is --threads, per task.
      case "--threads-per-task" -> "--threads";
      default -> name;
    };
  }

  private static TingxinException invalid(String message) {
    return new TingxinException(ErrorCode.INVALID_OPTION, message);
  }
}
