package io.github.tingxin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartTest {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  @Test
  void drawsAPngWithBothSpeakersBands(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("sub/chart.png");
    TimelineChart.write(Calls.call(true), Calls.manifest(), "test call", png, java.util.List.of());
    // Kept for people to look at: tingxin-cli/target/chart-test.png.
    Files.copy(png, Path.of("target", "chart-test.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img).isNotNull();
    assertThat(img.getWidth()).isEqualTo(TimelineChart.WIDTH);
    assertThat(img.getHeight()).isEqualTo(TimelineChart.HEIGHT);
    // The caller's band is red-dominant, the operator's blue-dominant: both must be drawn somewhere.
    int red = 0;
    int blue = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y);
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        if (r > b + 30 && r > g + 30) {
          red++;
        }
        if (b > r + 30 && b > g + 10) {
          blue++;
        }
      }
    }
    assertThat(red).isGreaterThan(100_000); // three filled caller bands
    assertThat(blue).isGreaterThan(2000); // one low operator band
  }

  /** Sliding windows that overlap (--window 2 --hop 1) used to fail the chart: "X-Data must be in ascending order". */
  @Test
  void overlappingWindowsAreDrawnOneAfterAnother(@TempDir Path dir) throws Exception {
    io.github.tingxin.api.CallAnalysis base = Calls.call(false);
    java.util.List<io.github.tingxin.api.SegmentResult> windows = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      windows.add(Calls.segment(i, i, i + 2.0, io.github.tingxin.api.Speaker.CALLER, -1, (i % 3) / 3.0 + 0.1, 0.2,
          0.3, 0.5));
    }
    io.github.tingxin.api.CallAnalysis call = new io.github.tingxin.api.CallAnalysis(base.model(), 10, windows,
        base.caller(), base.operator());
    Path png = dir.resolve("windows.png");
    TimelineChart.write(call, Calls.manifest(), "overlapping windows", png, java.util.List.of());
    assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(TimelineChart.WIDTH);
  }
}
