package io.github.tingxin.cli;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.github.tingxin.api.AudioInput;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.ChannelSelection;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.LabelScore;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ModelManifest.Calibration;
import io.github.tingxin.api.ModelManifest.Head;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.RecognizerSettings;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.Speaker;
import io.github.tingxin.api.Task;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.core.model.CalibrationFit;
import io.github.tingxin.core.model.ManifestJson;
import io.github.tingxin.core.model.ScoreDecoder;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tingxin model recalibrate}: fits the negative head's Platt calibration to a deployment's own labelled
 * speech and writes a new model package that carries it ({@code heads[].calibration}), so that the reported
 * negative probability means what it says on that line's callers. The input package is only read.
 */
@Command(name = "recalibrate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Fit the negative probability to your own labelled speech and write a new model package with"
        + " that calibration.", "Each labelled file is analysed as `analyze` does; every scored segment takes its"
        + " file's label, and the", "negative head's log-odds are rescaled, p = sigmoid(d / temperature + offset),"
        + " by maximum likelihood. Only", "aggregate figures are printed and written (RECALIBRATION.md): no file"
        + " names, no scores."},
    footer = {"", "The labels file is CSV with a header: file,negative (negative: 1/0, true/false or yes/no);"
        + " paths are", "relative to the labels file's folder. Label short recordings of one emotional state"
        + " (a turn or an utterance):", "every segment of a file takes its label. The model card measured that"
        + " a few hundred files are needed", "(25 are too few); the figures printed are cross-validated across"
        + " files so you can judge.", "", "Examples:",
        "  tingxin model recalibrate --labels labels.csv --out my-line-model/",
        "  tingxin analyze --model my-line-model/ call.wav", ""})
final class RecalibrateCommand implements Callable<Integer> {
  /** Fewest labelled files of each class: below this a fit is noise (the model card measured 25 in all as too few). */
  static final int MIN_FILES_PER_CLASS = 20;
  /** Files below which the output warns that the calibration is uncertain (the model card's measurement). */
  static final int RECOMMENDED_FILES = 200;
  /** Longest labels file, in rows: a bound on what a mistaken file can make the command hold. */
  static final int MAX_ROWS = 1_000_000;
  /** Folds of the cross-validated figures, files held out together. */
  static final int FOLDS = 5;
  static final long FOLD_SEED = 20261205L;
  static final String REPORT_FILE = "RECALIBRATION.md";

  @Spec CommandSpec spec;
  @ParentCommand ModelCommand parent;
  @Mixin GlobalOptions global;
  @Mixin ModelOption model;
  @Mixin ChannelOption channels;
  @Mixin RecognizerOptions.Device device;

  @Option(names = "--labels", required = true, paramLabel = "CSV",
      description = "The labelled recordings: CSV with the header file,negative (see below).")
  Path labels;

  @Option(names = "--flag-budget", paramLabel = "SHARE", defaultValue = "0.25",
      description = {"Also report the --negative-threshold that flags at most this share of the not-negative files'"
          + " segments", "with the new calibration, and the recall there, above 0 and below 1 (default: 0.25)."})
  double flagBudget;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Folder of the new model package: must not exist yet, or be empty. Nothing else is written.")
  Path out;

  /** One labelled recording. */
  record Labelled(Path file, boolean negative) {}

  @Override
  public Integer call() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    if (!(flagBudget > 0 && flagBudget < 1)) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "--flag-budget: " + flagBudget + " is not above 0 and"
          + " below 1 (a share of not-negative segments, e.g. 0.25)");
    }
    List<Labelled> rows = readLabels(labels);
    long negatives = rows.stream().filter(Labelled::negative).count();
    if (negatives < MIN_FILES_PER_CLASS || rows.size() - negatives < MIN_FILES_PER_CLASS) {
      // Before any analysis: a labels file this short cannot succeed.
      throw tooFew(negatives, rows.size() - negatives, 0, 0);
    }
    checkOut(out, rows);
    ModelPackage pkg = model.load(parent.root.stderr, global.quiet);
    ModelManifest manifest = pkg.manifest();
    Head head = manifest.negativeHeadSpec().filter(RecalibrateCommand::recalibratable).orElseThrow(() ->
        new TingxinException(ErrorCode.UNSUPPORTED_OPTION, "model '" + manifest.name() + "' has no binary"
            + " negative head with softmax or sigmoid; only such a head's probability can be recalibrated"));
    ChannelSelection selection = channels.selection();
    RecognizerSettings settings = RecognizerOptions.settings(RecognizerSettings.DEFAULT, device);

    List<Double> logOdds = new ArrayList<>();
    List<Boolean> segmentLabels = new ArrayList<>();
    List<Integer> groups = new ArrayList<>();
    int[] filesUsed = new int[2];
    int unreadable = 0;
    int silent = 0;
    int saturated = 0;
    int exit = ExitCodes.OK;
    List<Path> files = rows.stream().map(Labelled::file).toList();
    try (EmotionRecognizer recognizer = EmotionRecognizer.builder().model(pkg).settings(settings).build();
        Progress progress = Progress.forFiles(files, !global.quiet, parent.root.stderr)) {
      for (Labelled row : rows) {
        progress.starting(row.file());
        CallAnalysis call;
        try {
          call = recognizer.analyze(AudioInput.file(row.file()).channels(selection));
        } catch (TingxinException e) {
          if (e.code() == ErrorCode.INTERRUPTED || ExitCodes.of(e.code()) != ExitCodes.BAD_AUDIO) {
            throw e;
          }
          progress.pause();
          Main.report(new CliException(ExitCodes.BAD_AUDIO, row.file() + ": " + e.getMessage() + " (left out)", e),
              parent.root.errWriter(), global.verbose);
          unreadable++;
          exit = ExitCodes.BAD_AUDIO;
          progress.done(row.file());
          continue;
        }
        int group = filesUsed[0] + filesUsed[1];
        int scored = 0;
        for (SegmentResult s : call.segments()) {
          if (s.speaker() != Speaker.CALLER) {
            continue; // the label describes the caller: with --channel C,O the operator's turns are not labelled
          }
          List<LabelScore> scores = s.scores().stream()
              .filter(ls -> ls.head().equals(head.name())).toList();
          if (scores.size() != head.labels().size()) {
            continue; // too short to score: nothing to learn from
          }
          double d = ScoreDecoder.logOdds(head, scores);
          if (!Double.isFinite(d)) {
            saturated++;
            continue;
          }
          logOdds.add(d);
          segmentLabels.add(row.negative());
          groups.add(group);
          scored++;
        }
        if (scored == 0) {
          silent++;
        } else {
          filesUsed[row.negative() ? 1 : 0]++;
        }
        progress.done(row.file());
      }
    }
    if (filesUsed[0] < MIN_FILES_PER_CLASS || filesUsed[1] < MIN_FILES_PER_CLASS) {
      throw tooFew(filesUsed[1], filesUsed[0], unreadable, silent);
    }
    int n = logOdds.size();
    double[] d = new double[n];
    boolean[] y = new boolean[n];
    int[] g = new int[n];
    for (int i = 0; i < n; i++) {
      d[i] = logOdds.get(i);
      y[i] = segmentLabels.get(i);
      g[i] = groups.get(i);
    }
    Calibration fitted;
    Calibration combined;
    double[] heldOut;
    try {
      fitted = CalibrationFit.fit(d, y);
      heldOut = CalibrationFit.outOfFold(d, y, g, FOLDS, FOLD_SEED);
      // Composed with the package's own, the calibration must still be one a manifest can hold.
      combined = head.calibration().isPresent() ? head.calibration().get().then(fitted) : fitted;
    } catch (IllegalArgumentException e) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "--labels " + labels + ": " + e.getMessage());
    }
    double[] fittedProbabilities = probabilities(d, fitted);
    Figures before = Figures.of(probabilities(d, new Calibration(1, 0)), y);
    Figures inSample = Figures.of(fittedProbabilities, y);
    Figures crossValidated = Figures.of(heldOut, y);
    OperatingPoint budget = OperatingPoint.of(fittedProbabilities, y, flagBudget);

    String date = LocalDate.now(ZoneOffset.UTC).toString();
    ModelManifest recalibrated = withCalibration(manifest, head, combined, filesUsed, date);
    String report = report(manifest, recalibrated, head, fitted, combined, filesUsed, n, unreadable, silent,
        saturated, before, inSample, crossValidated, budget, date);
    writePackage(out, pkg, recalibrated, report);

    stdout.println("Recalibrated " + manifest.name() + " " + manifest.version() + " -> " + Text.printable(
        out.toString()) + " (version " + recalibrated.version() + ")");
    stdout.print(summary(filesUsed, n, unreadable, silent, saturated, fitted, combined, head, before, inSample,
        crossValidated, budget));
    stdout.flush();
    return exit;
  }

  private TingxinException tooFew(long negative, long notNegative, int unreadable, int silent) {
    return new TingxinException(ErrorCode.INVALID_OPTION, "--labels " + labels + ": " + negative + " negative and "
        + notNegative + " not-negative files" + (unreadable + silent == 0 ? "" : " with scored speech")
        + "; a calibration needs at least " + MIN_FILES_PER_CLASS + " of each (a few hundred in all to be reliable)"
        + leftOut(unreadable, silent));
  }

  static boolean recalibratable(Head h) {
    return h.task() == Task.BINARY && h.activation() != ModelManifest.Activation.NONE;
  }

  private static String leftOut(int unreadable, int silent) {
    return unreadable + silent == 0 ? "" : " (" + unreadable + " files could not be read, " + silent
        + " had no speech the model could score)";
  }

  /** Reads and checks the labels file: every row's file exists; paths relative to the labels file's folder. */
  static List<Labelled> readLabels(Path csv) {
    if (!Files.isRegularFile(csv)) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "--labels " + csv + ": no such file");
    }
    Path base = csv.toAbsolutePath().getParent();
    CsvMapper mapper = CsvMapper.builder().enable(CsvParser.Feature.TRIM_SPACES)
        .enable(CsvParser.Feature.FAIL_ON_MISSING_COLUMNS).build();
    CsvSchema schema = CsvSchema.emptySchema().withHeader().withStrictHeaders(false);
    List<Labelled> rows = new ArrayList<>();
    // each recording once: a second row would weigh it twice, or give it two labels, and put the same speech on
    // both sides of the held-out folds
    Map<Path, Integer> firstLine = new HashMap<>();
    try (Reader reader = withoutByteOrderMark(Files.newBufferedReader(csv, StandardCharsets.UTF_8));
        MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class).with(schema)
            .readValues(reader)) {
      while (it.hasNextValue()) {
        Map<String, String> row = it.nextValue();
        int line = rows.size() + 2;
        if (!row.containsKey("file") || !row.containsKey("negative")) {
          throw new TingxinException(ErrorCode.INVALID_OPTION, "--labels " + csv + ": the header must name the"
              + " columns file and negative (found " + Text.printable(String.join(",", row.keySet())) + ")");
        }
        if (rows.size() == MAX_ROWS) {
          throw new TingxinException(ErrorCode.INVALID_OPTION, "--labels " + csv + ": more than " + MAX_ROWS
              + " rows");
        }
        String name = row.get("file");
        if (name == null || name.isBlank()) {
          throw new TingxinException(ErrorCode.INVALID_OPTION, "--labels " + csv + ": line " + line
              + ": the file column is empty");
        }
        Path file;
        try {
          file = base.resolve(name);
        } catch (java.nio.file.InvalidPathException e) {
          throw new TingxinException(ErrorCode.INVALID_OPTION, "--labels " + csv + ": line " + line + ": '"
              + Text.printable(name) + "' is not a path");
        }
        if (!Files.isRegularFile(file)) {
          throw new TingxinException(ErrorCode.INVALID_OPTION, "--labels " + csv + ": line " + line + ": "
              + Text.printable(file.toString()) + " is not a file");
        }
        Integer earlier = firstLine.putIfAbsent(file.toRealPath(), line);
        if (earlier != null) {
          throw new TingxinException(ErrorCode.INVALID_OPTION, "--labels " + csv + ": line " + line + ": "
              + Text.printable(file.toString()) + " is listed again (first on line " + earlier + "); give each"
              + " recording one row");
        }
        rows.add(new Labelled(file, label(row.get("negative"), csv, line)));
      }
    } catch (IOException | RuntimeJsonMappingException e) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "--labels " + csv + ": not a readable CSV file ("
          + Text.printable(Main.oneLine(String.valueOf(e.getMessage()))) + ")", e);
    }
    if (rows.isEmpty()) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "--labels " + csv + ": no rows after the header");
    }
    return rows;
  }

  /** Spreadsheets write UTF-8 CSV with a byte order mark, which would otherwise become part of the first column's name. */
  private static Reader withoutByteOrderMark(Reader reader) throws IOException {
    java.io.PushbackReader in = new java.io.PushbackReader(reader, 1);
    int first = in.read();
    if (first != -1 && first != '\uFEFF') {
      in.unread(first);
    }
    return in;
  }

  private static boolean label(String value, Path csv, int line) {
    String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "1", "true", "yes" -> true;
      case "0", "false", "no" -> false;
      default -> throw new TingxinException(ErrorCode.INVALID_OPTION, "--labels " + csv + ": line " + line
          + ": negative is '" + Text.printable(v) + "'; write 1/0, true/false or yes/no");
    };
  }

  /** Refuses an --out that exists and is not an empty folder, or that is one of the labelled files. */
  static void checkOut(Path dir, List<Labelled> rows) {
    for (Labelled r : rows) {
      if (r.file().toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize())) {
        throw new TingxinException(ErrorCode.INVALID_OPTION, "--out " + dir + ": refusing to write there, since"
            + " it is one of the labelled recordings");
      }
    }
    if (Files.exists(dir) && !isEmptyDirectory(dir)) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "--out " + dir + ": refusing to write there, since it"
          + " exists and is not an empty folder (name a new folder)");
    }
  }

  private static boolean isEmptyDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      return !entries.iterator().hasNext();
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Writes the package's files into {@code dir} (created, or empty), each new. On any failure it removes exactly
   * what it created (the files it opened, then the folders it made, deepest first) and reports
   * {@link ErrorCode#OUTPUT_FAILED}, saying whether anything could not be removed.
   */
  static void writePackage(Path dir, ModelPackage source, ModelManifest manifest, String report) {
    List<Path> created = new ArrayList<>(); // files and folders this call made, in the order made
    try {
      List<Path> missing = new ArrayList<>();
      for (Path p = dir.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) {
        missing.add(0, p);
      }
      if (missing.isEmpty() && !isEmptyDirectory(dir)) {
        throw new IOException(dir + " is no longer empty");
      }
      for (Path folder : missing) {
        Files.createDirectory(folder);
        created.add(folder);
      }
      writeNew(dir.resolve(ModelPackage.MODEL_FILE), source.modelBytes(), created);
      writeNew(dir.resolve(ModelPackage.MANIFEST_FILE), ManifestJson.writeBytes(manifest), created);
      String card = manifest.provenance().modelCard();
      if (!card.isBlank() && source.modelCard().isPresent()) {
        writeNew(dir.resolve(card), source.modelCard().get().getBytes(StandardCharsets.UTF_8), created);
      }
      writeNew(dir.resolve(REPORT_FILE), report.getBytes(StandardCharsets.UTF_8), created);
    } catch (IOException | RuntimeException e) {
      List<Path> left = new ArrayList<>();
      for (int i = created.size() - 1; i >= 0; i--) {
        try {
          Files.deleteIfExists(created.get(i));
        } catch (IOException notRemoved) {
          left.add(created.get(i));
        }
      }
      String cause = e instanceof TingxinException t ? t.getMessage() : String.valueOf(e.getMessage());
      throw new TingxinException(ErrorCode.OUTPUT_FAILED, "--out " + dir + ": the recalibrated package could not be"
          + " written (" + cause + "); " + (left.isEmpty() ? "nothing was left behind"
              : "these could not be removed: " + left), e);
    }
  }

  /** Creates {@code file} (never an existing one), records it as created, then writes it. */
  private static void writeNew(Path file, byte[] bytes, List<Path> created) throws IOException {
    try (java.io.OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      created.add(file); // ours from here: a write that fails part way leaves a file to remove
      out.write(bytes);
    }
  }

  /** {@code manifest} with {@code head} recalibrated by {@code calibration}, and a version and description that say so. */
  static ModelManifest withCalibration(ModelManifest manifest, Head head, Calibration calibration, int[] files,
      String date) {
    ModelManifest m = manifest.withHeadCalibration(head.name(), Optional.of(calibration));
    String description = (manifest.description().isBlank() ? "" : manifest.description() + " ")
        + "Recalibrated on " + date + " by tingxin model recalibrate on a deployment's own " + (files[0] + files[1])
        + " labelled recordings (" + files[1] + " negative): see " + REPORT_FILE + ".";
    String version = manifest.version() + "+recalibrated." + date.replace("-", "");
    return new ModelManifest(m.formatVersion(), m.name(), version, m.license(), description, m.sampleRate(),
        m.features(), m.input(), m.heads(), m.negativeHead(), m.segments(), m.provenance());
  }

  private static double[] probabilities(double[] d, Calibration c) {
    double[] p = new double[d.length];
    for (int i = 0; i < d.length; i++) {
      p[i] = ScoreDecoder.sigmoid(c.apply(d[i]));
    }
    return p;
  }

  /** Calibration error, and the decisions at 0.5, of segment probabilities against their files' labels. */
  record Figures(double ece, double flaggedNotNegative, double recallNegative) {
    static Figures of(double[] p, boolean[] y) {
      int[] c = decided(p, y, RecognizerSettings.DEFAULT.negativeThreshold()); // analyze's default: 0.5
      return new Figures(CalibrationFit.expectedCalibrationError(p, y), (double) c[0] / (y.length - c[2]),
          (double) c[1] / c[2]);
    }
  }

  /** At {@code threshold}: not-negative segments flagged, negative segments caught, negative segments. */
  static int[] decided(double[] p, boolean[] y, double threshold) {
    int[] c = new int[3];
    for (int i = 0; i < p.length; i++) {
      if (y[i]) {
        c[2]++;
        c[1] += p[i] >= threshold ? 1 : 0;
      } else {
        c[0] += p[i] >= threshold ? 1 : 0;
      }
    }
    return c;
  }

  /**
   * The threshold that flags at most {@code budget} of the not-negative segments, with the recall there, on
   * the labelled segments' recalibrated probabilities.
   */
  record OperatingPoint(double budget, String threshold, double flaggedNotNegative, double recallNegative) {
    static OperatingPoint of(double[] p, boolean[] y, double budget) {
      double[] calm = java.util.stream.IntStream.range(0, p.length).filter(i -> !y[i]).mapToDouble(i -> p[i])
          .map(v -> -v).sorted().map(v -> -v).toArray(); // descending
      int allowed = (int) Math.floor(budget * calm.length);
      // Between the last calm segment allowed and the first one not; above the highest when none is allowed.
      double t = allowed == 0 ? Math.nextUp(calm[0])
          : allowed == calm.length ? calm[calm.length - 1] : (calm[allowed - 1] + calm[allowed]) / 2;
      if (allowed < calm.length && t <= calm[allowed]) {
        t = Math.nextUp(calm[allowed]); // ties at the boundary: flag fewer, never more
      }
      t = Math.max(Math.min(t, Math.nextDown(1.0)), Double.MIN_NORMAL);
      int[] exact = decided(p, y, t);
      // The shortest decimal at or above t that decides every labelled segment as t does.
      String text = Double.toString(t);
      for (int digits = 2; digits <= 17; digits++) {
        BigDecimal up = BigDecimal.valueOf(t).setScale(digits, RoundingMode.CEILING);
        if (up.compareTo(BigDecimal.ONE) < 0 && java.util.Arrays.equals(decided(p, y, up.doubleValue()), exact)) {
          text = up.stripTrailingZeros().toPlainString();
          break;
        }
      }
      return new OperatingPoint(budget, text, (double) exact[0] / calm.length, (double) exact[1] / exact[2]);
    }
  }

  private static String summary(int[] files, int segments, int unreadable, int silent, int saturated,
      Calibration fitted, Calibration combined, Head head, Figures before, Figures inSample, Figures heldOut,
      OperatingPoint budget) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "  files          %d labelled (%d negative, %d not negative)%s%n",
        files[0] + files[1], files[1], files[0], leftOut(unreadable, silent)));
    s.append(String.format(Locale.ROOT, "  segments       %d scored%s%n", segments,
        saturated == 0 ? "" : " (" + saturated + " with a probability that rounded to 0 or 1 left out)"));
    s.append(String.format(Locale.ROOT, "  calibration    temperature %.4f, offset %.4f (head '%s')%s%n",
        fitted.temperature(), fitted.offset(), head.name(), head.calibration().isEmpty() ? ""
            : String.format(Locale.ROOT, "; with the package's own: temperature %.4f, offset %.4f",
                combined.temperature(), combined.offset())));
    s.append("                 before    after, files held out (" + FOLDS + "-fold)    after, on the files fitted\n");
    s.append(String.format(Locale.ROOT, "  ECE            %.3f     %.3f                           %.3f%n",
        before.ece(), heldOut.ece(), inSample.ece()));
    s.append(String.format(Locale.ROOT, "  flagged calm   %5.1f %%   %5.1f %%                         %5.1f %%%n",
        100 * before.flaggedNotNegative(), 100 * heldOut.flaggedNotNegative(), 100 * inSample.flaggedNotNegative()));
    s.append(String.format(Locale.ROOT, "  recall neg.    %5.1f %%   %5.1f %%                         %5.1f %%%n",
        100 * before.recallNegative(), 100 * heldOut.recallNegative(), 100 * inSample.recallNegative()));
    s.append(String.format(Locale.ROOT, "  at most %s calm flagged: --negative-threshold %s (on the files fitted:"
        + " %.1f %% calm flagged, recall %.1f %%)%n", percent(budget.budget()), budget.threshold(),
        100 * budget.flaggedNotNegative(), 100 * budget.recallNegative()));
    if (files[0] + files[1] < RECOMMENDED_FILES) {
      s.append("  note: fewer than " + RECOMMENDED_FILES + " files; the model card measured a calibration on so few"
          + " as uncertain: judge it by the held-out column\n");
    }
    if (heldOut.ece() > before.ece()) {
      s.append("  note: on held-out files the recalibration is worse calibrated than the package was; do not"
          + " deploy it without more labelled speech\n");
    }
    return s.toString();
  }

  private static String percent(double share) {
    return BigDecimal.valueOf(share).movePointRight(2).stripTrailingZeros().toPlainString() + " %";
  }

  private static String report(ModelManifest source, ModelManifest result, Head head, Calibration fitted,
      Calibration combined, int[] files, int segments, int unreadable, int silent, int saturated, Figures before,
      Figures inSample, Figures heldOut, OperatingPoint budget, String date) {
    return "# Recalibration of " + source.name() + " " + source.version() + "\n\n"
        + "Written by `tingxin model recalibrate` on " + date + " (UTC). This package is " + source.name() + " "
        + result.version() + ": the same graph (" + ModelPackage.MODEL_FILE + ", byte for byte) and the same"
        + " model card, with the negative head '" + head.name() + "' recalibrated in " + ModelPackage.MANIFEST_FILE
        + " (`heads[].calibration`): its probability is sigmoid(d / temperature + offset) of the head's log-odds"
        + " d.\n\n"
        + "The labelled speech is the deployment's own and is not part of this package; no file name, score or"
        + " audio was written.\n\n"
        + "```\n" + summary(files, segments, unreadable, silent, saturated, fitted, combined, head, before,
            inSample, heldOut, budget) + "```\n\n"
        + "How to read it:\n\n"
        + "- *before*: the package as it came; *after, files held out*: each file scored by a calibration fitted"
        + " without it (" + FOLDS + " folds of whole files), the honest estimate for new callers; *after, on the"
        + " files fitted*: this calibration on the files it was fitted on (optimistic).\n"
        + "- ECE is the expected calibration error over 10 equal bins; *flagged calm* is the share of segments of"
        + " not-negative files at or over 0.5, *recall neg.* that of negative files.\n"
        + "- The fit is maximum likelihood: it keeps these files' own share of negative speech. A calibrated 0.5"
        + " is where errors balance on speech like this, not a false-alarm budget: choose the alert threshold"
        + " (`--negative-threshold`) for the line's own costs.\n"
        + "- The threshold for at most " + percent(budget.budget()) + " of calm segments flagged is chosen on"
        + " the labelled files themselves, so new callers will see somewhat more: check it on files it was not"
        + " chosen on before relying on it.\n"
        + "- Every segment takes its file's label. Files that mix calm and negative stretches blur the fit.\n"
        + "- The calibration is only as good as the labelled speech is like the calls it will hear: recalibrate"
        + " again when the line, its callers or its audio chain change.\n";
  }
}
