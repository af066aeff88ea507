package io.github.tingxin.cli;

import io.github.tingxin.api.Label;
import io.github.tingxin.api.LabelScore;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ProsodicCues;
import io.github.tingxin.api.SegmentResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * The CSV output (RFC 4180, comma-separated, header row): one row per segment. With prosody, the cue columns
 * ({@link ProsodicCues#COLUMNS}) follow {@code selected}. The score columns are {@code head.label}, in
 * manifest order. Stateless.
 */
final class CsvFormat {
  private CsvFormat() {}

  /** The header row for {@code model}. */
  static String header(ModelManifest model, boolean prosody) {
    List<String> cols = new ArrayList<>(List.of("file", "index", "start", "end", "short", "speaker", "channel",
        "negative_probability", "top_label", "selected"));
    if (prosody) {
      cols.addAll(ProsodicCues.COLUMNS);
    }
    for (ModelManifest.Head h : model.heads()) {
      for (Label l : h.labels()) {
        cols.add(h.name() + "." + l.id());
      }
    }
    return cols.stream().map(CsvFormat::quote).collect(Collectors.joining(","));
  }

  /** The rows of one file's segments. */
  static void rows(PrintWriter out, String file, ModelManifest model, List<SegmentResult> segments,
      boolean prosody) {
    for (SegmentResult s : segments) {
      List<String> cells = new ArrayList<>();
      cells.add(quote(file));
      cells.add(Integer.toString(s.index()));
      cells.add(number(s.start()));
      cells.add(number(s.end()));
      cells.add(Boolean.toString(s.shortInput()));
      cells.add(TableFormat.speaker(s.speaker()));
      cells.add(Integer.toString(s.channel()));
      cells.add(optional(s.negativeProbability()));
      cells.add(quote(Labels.top(s, model).map(Label::id).orElse("")));
      cells.add(quote(s.scores().stream().filter(LabelScore::selected)
          .map(ls -> ls.head() + "." + ls.label().id()).collect(Collectors.joining(" "))));
      if (prosody) {
        for (int i = 0; i < ProsodicCues.COLUMNS.size(); i++) {
          int column = i;
          cells.add(s.prosody().map(p -> p.values().get(column))
              .map(v -> v instanceof Integer ? v.toString() : number(v.doubleValue())).orElse(""));
        }
      }
      for (ModelManifest.Head h : model.heads()) {
        for (Label l : h.labels()) {
          cells.add(s.scores().stream().filter(ls -> ls.head().equals(h.name()) && ls.label().id().equals(l.id()))
              .findFirst().map(ls -> number(ls.score())).orElse(""));
        }
      }
      out.println(String.join(",", cells));
    }
  }

  static String number(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
  }

  private static String optional(OptionalDouble v) {
    return v.isPresent() ? number(v.getAsDouble()) : "";
  }

  /**
   * The cell as RFC 4180 wants it: quoted where it holds a comma, a quote or a line break, so that a line
   * break in a label or file name stays inside its cell and never starts a row.
   */
  static String quote(String cell) {
    if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
      return cell;
    }
    return '"' + cell.replace("\"", "\"\"") + '"';
  }
}
