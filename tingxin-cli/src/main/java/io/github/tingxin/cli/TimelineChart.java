package io.github.tingxin.cli;

import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.Speaker;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The {@code --chart} PNG: negative probability of each segment over the call's time, one coloured band
 * per speaker, the negative threshold as a dashed line, and the top label written over the segments.
 * Stateless; each call builds its own chart.
 */
final class TimelineChart {
  static final int WIDTH = 1400;
  static final int HEIGHT = 480;
  /** Above this many segments only the peaks are labelled, so labels stay readable. */
  static final int MAX_LABELLED_SEGMENTS = 60;

  private static final Color CALLER = new Color(0xD3, 0x3F, 0x49);
  private static final Color OPERATOR = new Color(0x3B, 0x75, 0xAF);

  private TimelineChart() {}

  /**
   * Draws the chart of {@code call} and writes it as PNG to {@code png} (making its folder where needed),
   * whole or not at all, never over an input or a file that is not a PNG ({@link OutputFiles}).
   *
   * @throws io.github.tingxin.api.TingxinException {@code INVALID_OPTION} where {@code png} must not be
   *     written over
   */
  static void write(CallAnalysis call, ModelManifest model, String title, Path png, Collection<Path> inputs)
      throws IOException {
    XYChart chart = build(call, model, title);
    Path parent = png.toAbsolutePath().getParent();
    if (parent != null) {
      java.nio.file.Files.createDirectories(parent);
    }
    OutputFiles.write("--chart", png, OutputFiles.Kind.PNG, inputs,
        out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
  }

  static XYChart build(CallAnalysis call, ModelManifest model, String title) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .xAxisTitle("time in the call (s)").yAxisTitle("negative probability").build();
    Styler s = chart.getStyler();
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(1.15); // room for the labels over segments at 1.0
    chart.getStyler().setXAxisMin(0.0);
    chart.getStyler().setXAxisMax(Math.max(call.durationSeconds(), 1e-3));
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotGridLinesColor(new Color(0xE6, 0xE6, 0xE6));
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
    chart.getStyler().setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    chart.getStyler().setAnnotationTextFontColor(Color.DARK_GRAY);
    s.setToolTipsEnabled(false);

    boolean any = false;
    for (Speaker speaker : Speaker.values()) {
      List<SegmentResult> segs = call.segments().stream()
          .filter(x -> x.speaker() == speaker && x.negativeProbability().isPresent()).toList();
      if (segs.isEmpty()) {
        continue;
      }
      any = true;
      // Each segment is a flat band from its start to its end; a drop to 0 between segments breaks the line,
      // so pauses show as gaps rather than as slopes. Overlapping segments (sliding windows with --hop under
      // --window) share the time between them at the midpoint of their centres, as the summary counts each
      // instant once for the window whose centre is nearest; so the bands follow one another in time, as the
      // chart's area needs.
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      List<SegmentResult> byCentre = segs.stream()
          .sorted(java.util.Comparator.comparingDouble(x -> x.start() + x.end())).toList();
      double drawnTo = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < byCentre.size(); i++) {
        SegmentResult seg = byCentre.get(i);
        double from = Math.max(seg.start(), drawnTo);
        double to = seg.end();
        if (i + 1 < byCentre.size() && byCentre.get(i + 1).start() < to) {
          SegmentResult next = byCentre.get(i + 1);
          to = Math.min(to, Math.max(from, (seg.start() + seg.end() + next.start() + next.end()) / 4));
        }
        if (!(to > from)) {
          continue;
        }
        double p = seg.negativeProbability().getAsDouble();
        xs.add(from);
        ys.add(0.0);
        xs.add(from);
        ys.add(p);
        xs.add(to);
        ys.add(p);
        xs.add(to);
        ys.add(0.0);
        drawnTo = to;
      }
      XYSeries series = chart.addSeries(speaker == Speaker.CALLER ? "caller" : "operator", xs, ys);
      Color c = speaker == Speaker.CALLER ? CALLER : OPERATOR;
      series.setLineColor(c);
      series.setFillColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 90));
      series.setMarker(SeriesMarkers.NONE);
      series.setLineWidth(1.5f);
    }
    if (!any) {
      chart.addAnnotation(new AnnotationText("no scored speech", Math.max(call.durationSeconds(), 1e-3) / 2, 0.5,
          false));
    }
    double threshold = call.caller().negativeThreshold();
    XYSeries line = chart.addSeries(String.format(java.util.Locale.ROOT, "negative threshold %.2f", threshold),
        new double[] {0, Math.max(call.durationSeconds(), 1e-3)}, new double[] {threshold, threshold});
    line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    line.setMarker(SeriesMarkers.NONE);
    line.setLineColor(Color.BLACK);
    line.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
        new float[] {6f, 4f}, 0f));

    Set<SegmentResult> labelled = new HashSet<>();
    if (call.segments().size() <= MAX_LABELLED_SEGMENTS) {
      labelled.addAll(call.segments());
    } else {
      labelled.addAll(call.caller().peaks());
      call.operator().ifPresent(o -> labelled.addAll(o.peaks()));
    }
    int i = 0;
    for (SegmentResult seg : call.segments()) {
      java.util.Optional<io.github.tingxin.api.Label> top = Labels.top(seg, model);
      if (!labelled.contains(seg) || top.isEmpty()) {
        continue;
      }
      double p = seg.negativeProbability().orElse(0);
      // Alternate heights so that neighbouring short segments' labels do not overprint each other.
      double y = Math.min(1.1, p + 0.05 + (i++ % 2) * 0.045);
      chart.addAnnotation(new AnnotationText(top.get().english(), (seg.start() + seg.end()) / 2, y,
          false));
    }
    return chart;
  }
}
