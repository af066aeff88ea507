package io.github.tingxin.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tingxin.api.ModelManifest.Calibration;
import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Holds {@link CalibrationFit} to the training recipe's own Platt fit and ECE, on fresh seeded cases written
 * by {@code tools/reference/calibration/make_reference.py}.
 */
class CalibrationFitTest {
  static JsonNode reference() throws IOException {
    try (InputStream in = CalibrationFitTest.class.getResourceAsStream("calibration-reference.json")) {
      assertThat(in).as("calibration-reference.json: run tools/reference/calibration/make_reference.py").isNotNull();
      return new ObjectMapper().readTree(in);
    }
  }

  static double[] logOdds(JsonNode c) {
    double[] d = new double[c.get("logOdds").size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = c.get("logOdds").get(i).doubleValue();
    }
    return d;
  }

  static boolean[] labels(JsonNode c) {
    boolean[] y = new boolean[c.get("negative").size()];
    for (int i = 0; i < y.length; i++) {
      y[i] = c.get("negative").get(i).booleanValue();
    }
    return y;
  }

  static double[] recalibrated(double[] d, Calibration c) {
    double[] p = new double[d.length];
    for (int i = 0; i < d.length; i++) {
      p[i] = ScoreDecoder.sigmoid(c.apply(d[i]));
    }
    return p;
  }

  @Test
  void fitsAsTheRecipeDoes() throws IOException {
    JsonNode cases = reference().get("cases");
    assertThat(cases.size()).isEqualTo(5);
    for (JsonNode c : cases) {
      double[] d = logOdds(c);
      boolean[] y = labels(c);
      Calibration fitted = CalibrationFit.fit(d, y);
      double t = c.get("temperature").doubleValue();
      double b = c.get("offset").doubleValue();
      // torch's LBFGS stops once the loss changes by under 1e-9, where the likelihood is flat (60 items: the
      // temperature is then 9e-5 off); Newton's method goes on to rounding, so its loss is at most the recipe's
      // and within that tolerance of it.
      assertThat(fitted.temperature()).as("temperature, %d items", d.length).isCloseTo(t, within(1e-3 * t));
      assertThat(fitted.offset()).as("offset, %d items", d.length).isCloseTo(b, within(1e-3));
      double javaLoss = CalibrationFit.logLoss(d, y, 1 / fitted.temperature(), fitted.offset());
      double recipeLoss = CalibrationFit.logLoss(d, y, 1 / t, b);
      assertThat(javaLoss).isLessThanOrEqualTo(recipeLoss + 1e-15).isGreaterThan(recipeLoss - 1e-9);
      assertThat(CalibrationFit.expectedCalibrationError(recalibrated(d, new Calibration(1, 0)), y))
          .isCloseTo(c.get("eceBefore").doubleValue(), within(1e-12));
      assertThat(CalibrationFit.expectedCalibrationError(recalibrated(d, new Calibration(t, b)), y))
          .isCloseTo(c.get("eceAfter").doubleValue(), within(1e-12));
    }
  }

  @Test
  void outOfFoldProbabilitiesComeFromFitsWithoutTheirGroup() throws IOException {
    JsonNode c = reference().get("cases").get(1);
    double[] d = logOdds(c);
    boolean[] y = labels(c);
    int[] group = new int[d.length];
    for (int i = 0; i < d.length; i++) {
      group[i] = i / 3; // three segments per file
    }
    double[] p = CalibrationFit.outOfFold(d, y, group, 5, 7);
    assertThat(p).doesNotContain(Double.NaN);
    // Items of one group share their fold, so the same calibration: equal log-odds give equal probabilities.
    double[] twin = d.clone();
    twin[1] = twin[0];
    double[] q = CalibrationFit.outOfFold(twin, y, group, 5, 7);
    assertThat(q[1]).isEqualTo(q[0]);
    // Reproducible from its seed, and the seed matters.
    assertThat(CalibrationFit.outOfFold(d, y, group, 5, 7)).containsExactly(p);
    assertThat(CalibrationFit.outOfFold(d, y, group, 5, 8)).isNotEqualTo(p);
    // With one fold per group, whatever the seed, each item's probability is the fit on every other group.
    int groups = group[d.length - 1] + 1;
    double[] perGroup = CalibrationFit.outOfFold(d, y, group, groups, 99);
    for (int g : new int[] {0, 17, groups - 1}) {
      int held = 0;
      for (int i = 0; i < d.length; i++) {
        held += group[i] == g ? 1 : 0;
      }
      double[] rest = new double[d.length - held];
      boolean[] restY = new boolean[d.length - held];
      int k = 0;
      for (int i = 0; i < d.length; i++) {
        if (group[i] != g) {
          rest[k] = d[i];
          restY[k++] = y[i];
        }
      }
      Calibration without = CalibrationFit.fit(rest, restY);
      for (int i = 0; i < d.length; i++) {
        if (group[i] == g) {
          assertThat(perGroup[i]).isCloseTo(ScoreDecoder.sigmoid(without.apply(d[i])), within(1e-15));
        }
      }
    }
    assertThatThrownBy(() -> CalibrationFit.outOfFold(d, y, group, groups + 1, 1)).hasMessageContaining("groups");
  }

  @Test
  void refusesWhatNoCalibrationCanFit() {
    double[] d = {-2, -1, 0, 1, 2, 3};
    assertThatThrownBy(() -> CalibrationFit.fit(d, new boolean[] {true, true, true, true, true, true}))
        .hasMessageContaining("same label");
    assertThatThrownBy(() -> CalibrationFit.fit(d, new boolean[] {false, false, false, true, true, true}))
        .hasMessageContaining("separate");
    assertThatThrownBy(() -> CalibrationFit.fit(d, new boolean[] {true, true, false, true, false, false}))
        .hasMessageContaining("do not rank");
    assertThatThrownBy(() -> CalibrationFit.fit(new double[] {1, 1, 1, 1}, new boolean[] {true, false, true, false}))
        .hasMessageContaining("do not vary");
    // many items a model's own training speech would give: separated with a wide margin, so the fit runs off to
    // an infinite slope; the refusal says so and what to do, as for a few items
    double[] wide = new double[400];
    boolean[] side = new boolean[400];
    for (int i = 0; i < wide.length; i++) {
      side[i] = i % 2 == 0;
      wide[i] = (side[i] ? 3 : -3) + Math.sin(i) * 2;
    }
    assertThatThrownBy(() -> CalibrationFit.fit(wide, side)).hasMessageContaining("separate the labels")
        .hasMessageContaining("speech it never heard");
    assertThatThrownBy(() -> CalibrationFit.fit(new double[] {1, Double.NaN}, new boolean[] {true, false}))
        .hasMessageContaining("not finite");
    assertThatThrownBy(() -> CalibrationFit.fit(new double[] {1, 2}, new boolean[] {true}))
        .hasMessageContaining("2 scores but 1 labels");
  }

  @Test
  void aLargeFitStaysFastAndExact() {
    SplittableRandom r = new SplittableRandom(11);
    int n = 200_000;
    double[] d = new double[n];
    boolean[] y = new boolean[n];
    for (int i = 0; i < n; i++) {
      d[i] = r.nextGaussian() * 3 - 1;
      y[i] = r.nextDouble() < ScoreDecoder.sigmoid(d[i] / 2.5 + 0.7);
    }
    Calibration c = CalibrationFit.fit(d, y);
    // The maximum-likelihood estimate of a known model, within its standard error (~0.02 at this size).
    assertThat(c.temperature()).isCloseTo(2.5, within(0.1));
    assertThat(c.offset()).isCloseTo(0.7, within(0.05));
  }
}
