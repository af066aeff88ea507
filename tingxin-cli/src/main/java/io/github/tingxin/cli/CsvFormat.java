package io.github.tingxin.cli;

import io.github.tingxin.api.Label;
import io.github.tingxin.api.LabelScore;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.SegmentResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * The CSV output (RFC 4180, comma-separated, header row): one row per segment. The score columns are
 * {@code head.label}, in manifest order. Stateless.
 */
final class CsvFormat {
  private CsvFormat() {}

  /** The header row for {@code model}. */
  static String header(ModelManifest model) {
    List<String> cols = new ArrayList<>(List.of("file", "index", "start", "end", "speaker", "channel",
        "negative_probability", "top_label", "selected"));
    for (ModelManifest.Head h : model.heads()) {
      for (Label l : h.labels()) {
        cols.add(h.name() + "." + l.id());
      }
    }
    return cols.stream().map(CsvFormat::quote).collect(Collectors.joining(","));
  }

  /** The rows of one file's segments. */
  static void rows(PrintWriter out, String file, ModelManifest model, List<SegmentResult> segments) {
    for (SegmentResult s : segments) {
      List<String> cells = new ArrayList<>();
      cells.add(quote(file));
      cells.add(Integer.toString(s.index()));
      cells.add(number(s.start()));
      cells.add(number(s.end()));
      cells.add(TableFormat.speaker(s.speaker()));
      cells.add(Integer.toString(s.channel()));
      cells.add(optional(s.negativeProbability()));
      cells.add(quote(Labels.top(s, model).map(Label::id).orElse("")));
      cells.add(quote(s.scores().stream().filter(LabelScore::selected)
          .map(ls -> ls.head() + "." + ls.label().id()).collect(Collectors.joining(" "))));
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

  static String quote(String cell) {
    if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
      return cell;
    }
    return '"' + cell.replace("\"", "\"\"") + '"';
  }
}
