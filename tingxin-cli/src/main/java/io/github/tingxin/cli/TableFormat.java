package io.github.tingxin.cli;

import io.github.tingxin.api.Alert;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.CallSummary;
import io.github.tingxin.api.Label;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.Speaker;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/** The human-readable output: a timeline table and a summary per speaker. Stateless. */
final class TableFormat {
  static final String SEGMENT_HEADER = String.format(Locale.ROOT, "%8s %8s  %-8s %4s %8s  %-24s %s",
      "start", "end", "speaker", "ch", "negative", "top label", "decisions");

  private TableFormat() {}

  /** Prints the whole analysis of {@code name}; with {@code prosody}, a {@link #voiceLine} under each segment. */
  static void print(PrintWriter out, String name, ModelManifest model, CallAnalysis call, boolean prosody) {
    out.printf(Locale.ROOT, "%s: %.2f s, model %s, %d segments%n", Text.printable(name), call.durationSeconds(),
        Text.printable(call.model()), call.segments().size());
    if (call.segments().isEmpty()) {
      out.println("  no speech found");
    } else {
      out.println(SEGMENT_HEADER);
      for (SegmentResult s : call.segments()) {
        out.println(segmentRow(s, model));
        if (prosody) {
          out.println(voiceLine(s));
        }
      }
      if (call.segments().stream().anyMatch(SegmentResult::shortInput)) {
        out.println(shortNote(model));
      }
    }
    out.println();
    summary(out, call.caller());
    call.operator().ifPresent(o -> {
      out.println();
      summary(out, o);
    });
  }

  /** One row of the timeline, aligned under {@link #SEGMENT_HEADER}. */
  static String segmentRow(SegmentResult s, ModelManifest model) {
    String neg = s.negativeProbability().isPresent()
        ? String.format(Locale.ROOT, "%.3f", s.negativeProbability().getAsDouble()) : "-";
    String top = Labels.top(s, model).map(TableFormat::labelName).orElse("-");
    List<Label> selected = s.selectedLabels();
    String decisions = selected.isEmpty() ? "-"
        : selected.stream().map(l -> Text.printable(l.id())).collect(Collectors.joining(","));
    return String.format(Locale.ROOT, "%8.2f %8.2f%s %-8s %4s %8s  ", s.start(), s.end(),
        s.shortInput() ? "*" : " ", speaker(s.speaker()), s.channel() < 0 ? "mix" : Integer.toString(s.channel()),
        neg) + pad(top, 24) + " " + decisions;
  }

  /** The segment's prosodic cues, for under its row: how it sounded, in units a clinician reads. */
  static String voiceLine(SegmentResult s) {
    return s.prosody().map(p -> String.format(Locale.ROOT, "%19s voice: pitch %.0f Hz, range %.1f st; loudness %.1f"
        + " dBFS, range %.1f dB; %.1f syllables/s; %d %s (%.2f s); jitter %.1f %%, shimmer %.1f %%", "",
        p.pitchHz(), p.pitchRangeSemitones(), p.energyDbfs(), p.energyRangeDb(), p.syllableRate(), p.pauseCount(),
        p.pauseCount() == 1 ? "pause" : "pauses", p.pauseSeconds(), 100 * p.jitter(), 100 * p.shimmer()))
        .orElse(String.format(Locale.ROOT, "%19s voice: - (no voiced speech to measure)", ""));
  }

  /** The legend of the {@code *} that marks short segments in the timeline. */
  static String shortNote(ModelManifest model) {
    return String.format(Locale.ROOT, "  * shorter than the model's minimum of %.2f s: scored %s; weigh with care",
        model.segments().minSeconds(), model.segments().shortInput() == ModelManifest.ShortInput.PAD
            ? "padded with silence to it" : "as it is");
  }

  /** One line for an alert of a live stream. */
  static String alertLine(Alert a) {
    return String.format(Locale.ROOT,
        "ALERT at %.2f s: %.1f s of speech with negative probability >= %.2f within the last %.0f s",
        a.at(), a.negativeSpeechSeconds(), a.rule().probability(), a.rule().windowSeconds());
  }

  static void summary(PrintWriter out, CallSummary c) {
    out.printf(Locale.ROOT, "Summary: %s%n", speaker(c.speaker()));
    out.printf(Locale.ROOT, "  speech             %.1f s in %d segments%s%n", c.speechSeconds(), c.segments(),
        c.shortSegments() > 0 ? " (" + c.shortSegments() + " short, marked *)" : "");
    if (c.negativeShare().isPresent()) {
      out.printf(Locale.ROOT, "  negative           %.1f %% of speech (%.1f s with negative probability >= %.2f)%n",
          100 * c.negativeShare().getAsDouble(), c.negativeSeconds().orElse(Double.NaN), c.negativeThreshold());
    } else {
      out.println("  negative           -");
    }
    out.println("  longest negative   " + figure(c.longestNegativeRunSeconds(), "%.1f s"));
    out.println("  trend              " + c.trend().map(t -> String.format(Locale.ROOT,
        "%.3f at the start, %.3f at the end (%+.3f)", t.start(), t.end(), t.change())).orElse("-"));
    out.println("  changes            " + figure(c.changesPerMinute(), "%.2f per minute of speech"));
    String peaks = c.peaks().isEmpty() ? "-" : c.peaks().stream()
        .map(p -> String.format(Locale.ROOT, "%.2f-%.2f s (%s)", p.start(), p.end(),
            p.negativeProbability().isPresent()
                ? String.format(Locale.ROOT, "%.3f", p.negativeProbability().getAsDouble()) : "-"))
        .collect(Collectors.joining(", "));
    out.printf(Locale.ROOT, "  peaks              %s%n", peaks);
    if (!c.labels().isEmpty()) {
      int width = 2 + c.labels().stream().mapToInt(l -> displayWidth(summaryLabel(l))).max().orElse(0);
      out.println("  " + pad("label", width) + String.format(Locale.ROOT, "%7s %7s %9s", "mean", "max", "decided"));
      for (CallSummary.LabelSummary l : c.labels()) {
        out.println("  " + pad(summaryLabel(l), width)
            + String.format(Locale.ROOT, "%7s %7s %9s", figure(l.mean(), "%.3f"), figure(l.max(), "%.3f"),
                l.selectedShare().isPresent()
                    ? String.format(Locale.ROOT, "%.1f%%", 100 * l.selectedShare().getAsDouble()) : "-"));
      }
    }
  }

  /** A figure in {@code format}, or "-" where it has no value. */
  static String figure(OptionalDouble value, String format) {
    return value.isPresent() && Double.isFinite(value.getAsDouble())
        ? String.format(Locale.ROOT, format, value.getAsDouble()) : "-";
  }

  private static String summaryLabel(CallSummary.LabelSummary l) {
    return Text.printable(l.head()) + "/" + labelName(l.label());
  }

  /** A label's English and Chinese names, escaped for printing (names come from the model's manifest). */
  static String labelName(Label l) {
    return Text.printable(l.chinese().isBlank() ? l.english() : l.english() + " " + l.chinese());
  }

  static String speaker(Speaker s) {
    return s.name().toLowerCase(Locale.ROOT);
  }

  /** Pads to {@code width} terminal columns, counting CJK characters as two columns. */
  static String pad(String text, int width) {
    int w = displayWidth(text);
    StringBuilder sb = new StringBuilder(text);
    for (int i = w; i < width; i++) {
      sb.append(' ');
    }
    return sb.toString();
  }

  static int displayWidth(String text) {
    int w = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      w += isWide(cp) ? 2 : 1;
      i += Character.charCount(cp);
    }
    return w;
  }

  private static boolean isWide(int cp) {
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3)
        || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60)
        || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
  }
}
