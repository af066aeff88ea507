package io.github.tingxin.core.model;

import io.github.tingxin.api.ModelManifest.Calibration;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Fits a binary head's {@link Calibration} to labelled speech, and measures calibration, as the training
 * recipe does ({@code recipes/train-whisper/heads.py fit_calibration(z, y, "platt", balanced=False)} and
 * {@code evaluate.py ece}); {@code CalibrationFitTest} holds it to that recipe's own figures.
 *
 * <p>The fit is plain maximum likelihood of {@code sigmoid(a d + c)} over the log-odds {@code d}, so it keeps
 * the labelled set's own share of negative speech (a deployment's recalibration should), solved by Newton's
 * method on the convex problem in {@code (a, c)}; the calibration is {@code temperature = 1 / a},
 * {@code offset = c}.
 *
 * <p>Stateless and thread-safe.
 */
public final class CalibrationFit {
  private static final String SEPARATED = "the scores separate the labels (almost) perfectly, so no finite"
      + " calibration fits; label more speech, including speech the model gets wrong (a model scores the speech"
      + " it was trained on almost perfectly: recalibrate on speech it never heard)";

  /** Bins of the expected calibration error: ten of equal width, as the model cards report it. */
  public static final int ECE_BINS = 10;

  private static final int MAX_ITERATIONS = 100;

  private CalibrationFit() {}

  /**
   * The maximum-likelihood calibration of {@code logOdds} against {@code negative}.
   *
   * @param logOdds each item's log-odds of being negative, as the head gives them now
   * @param negative each item's label
   * @return the calibration that makes {@code sigmoid(logOdds / temperature + offset)} the labels' likeliest
   *     probabilities
   * @throws IllegalArgumentException naming what is wrong: arrays of different lengths, a non-finite value,
   *     only one class, scores that do not rank the labels (the fitted slope is not positive), labels the
   *     scores separate perfectly (no finite fit), or a fit outside {@link Calibration}'s ranges
   */
  public static Calibration fit(double[] logOdds, boolean[] negative) {
    Objects.requireNonNull(logOdds, "logOdds");
    Objects.requireNonNull(negative, "negative");
    int n = logOdds.length;
    if (negative.length != n) {
      throw new IllegalArgumentException(n + " scores but " + negative.length + " labels");
    }
    int positives = 0;
    boolean varied = false;
    double highestNotNegative = Double.NEGATIVE_INFINITY;
    double lowestNegative = Double.POSITIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(logOdds[i])) {
        throw new IllegalArgumentException("log-odds " + i + " is not finite");
      }
      positives += negative[i] ? 1 : 0;
      varied |= logOdds[i] != logOdds[0];
      if (negative[i]) {
        lowestNegative = Math.min(lowestNegative, logOdds[i]);
      } else {
        highestNotNegative = Math.max(highestNotNegative, logOdds[i]);
      }
    }
    if (positives == 0 || positives == n) {
      throw new IllegalArgumentException("every item has the same label; a calibration needs negative and"
          + " not-negative speech");
    }
    if (!varied) {
      throw new IllegalArgumentException("the scores do not vary (every item scored alike), so no calibration"
          + " can be fitted to them");
    }
    if (highestNotNegative <= lowestNegative) {
      // (quasi-)complete separation: the likelihood rises without end as the slope grows, so there is no
      // maximum to find; Newton's method would stop wherever rounding stops it, at an arbitrary sharp fit
      throw new IllegalArgumentException(SEPARATED);
    }
    double a = 1;
    double c = 0;
    double loss = logLoss(logOdds, negative, a, c);
    boolean converged = false;
    for (int iteration = 0; iteration < MAX_ITERATIONS && !converged; iteration++) {
      double ga = 0;
      double gc = 0;
      double haa = 0;
      double hac = 0;
      double hcc = 0;
      for (int i = 0; i < n; i++) {
        double d = logOdds[i];
        double p = ScoreDecoder.sigmoid(a * d + c);
        double r = p - (negative[i] ? 1 : 0);
        double w = p * (1 - p);
        ga += r * d;
        gc += r;
        haa += w * d * d;
        hac += w * d;
        hcc += w;
      }
      double det = haa * hcc - hac * hac;
      if (!(det > 1e-300 * Math.max(1, haa * hcc))) {
        // the fit runs off to an infinite slope: only labels the scores separate perfectly do that
        throw new IllegalArgumentException(SEPARATED);
      }
      double stepA = (hcc * ga - hac * gc) / det;
      double stepC = (haa * gc - hac * ga) / det;
      // Newton's step, halved until the likelihood does not fall (it is a descent direction: the problem is
      // convex).
      double scale = 1;
      double next = Double.NaN;
      for (int halving = 0; halving < 60; halving++) {
        next = logLoss(logOdds, negative, a - scale * stepA, c - scale * stepC);
        if (next <= loss) {
          break;
        }
        scale /= 2;
      }
      if (!(next <= loss)) {
        break; // no step improves: at the optimum to rounding
      }
      a -= scale * stepA;
      c -= scale * stepC;
      converged = Math.abs(scale * stepA) <= 1e-12 * Math.max(1, Math.abs(a))
          && Math.abs(scale * stepC) <= 1e-12 * Math.max(1, Math.abs(c));
      loss = next;
    }
    if (!(a > 0)) {
      throw new IllegalArgumentException("the model's scores do not rank these labels (the fitted slope is "
          + (a == 0 ? "zero" : "negative") + "); a calibration cannot help, and the labels should be checked");
    }
    double temperature = 1 / a;
    if (temperature < Calibration.MIN_TEMPERATURE || Math.abs(c) > Calibration.MAX_OFFSET) {
      throw new IllegalArgumentException(SEPARATED);
    }
    if (temperature > Calibration.MAX_TEMPERATURE) {
      throw new IllegalArgumentException("the model's scores hardly rank these labels (temperature "
          + temperature + "); a calibration would flatten every score to the labels' share");
    }
    return new Calibration(temperature, c);
  }

  /**
   * Each item's recalibrated probability from a calibration fitted without its group: the items are split
   * by group into {@code folds} seeded folds, and each fold is scored by the fit on the others, so the
   * probabilities measure how a calibration does on speech it was not fitted on.
   *
   * @param logOdds each item's log-odds
   * @param negative each item's label
   * @param group each item's group (a file: its segments stay together), 0 or more
   * @param folds number of folds, at least 2
   * @param seed the seed of the split
   * @throws IllegalArgumentException as {@link #fit} for a fold's training part, or for fewer groups than folds
   */
  public static double[] outOfFold(double[] logOdds, boolean[] negative, int[] group, int folds, long seed) {
    int n = logOdds.length;
    if (negative.length != n || group.length != n) {
      throw new IllegalArgumentException("scores, labels and groups differ in length");
    }
    if (folds < 2) {
      throw new IllegalArgumentException("folds: need at least 2, got " + folds);
    }
    int groups = 0;
    for (int g : group) {
      if (g < 0) {
        throw new IllegalArgumentException("groups are 0 or more");
      }
      groups = Math.max(groups, g + 1);
    }
    if (groups < folds) {
      throw new IllegalArgumentException(groups + " groups cannot fill " + folds + " folds");
    }
    int[] order = new int[groups];
    for (int g = 0; g < groups; g++) {
      order[g] = g;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = groups - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    int[] foldOf = new int[groups];
    for (int k = 0; k < groups; k++) {
      foldOf[order[k]] = k % folds;
    }
    double[] out = new double[n];
    for (int f = 0; f < folds; f++) {
      int train = 0;
      for (int i = 0; i < n; i++) {
        train += foldOf[group[i]] != f ? 1 : 0;
      }
      double[] d = new double[train];
      boolean[] y = new boolean[train];
      int k = 0;
      for (int i = 0; i < n; i++) {
        if (foldOf[group[i]] != f) {
          d[k] = logOdds[i];
          y[k++] = negative[i];
        }
      }
      Calibration fitted = fit(d, y);
      for (int i = 0; i < n; i++) {
        if (foldOf[group[i]] == f) {
          out[i] = ScoreDecoder.sigmoid(fitted.apply(logOdds[i]));
        }
      }
    }
    return out;
  }

  /**
   * The expected calibration error of probabilities against labels: over {@value #ECE_BINS} bins of equal
   * width, the share of items in a bin times the gap between their mean probability and their share of
   * negative labels, summed.
   *
   * @throws IllegalArgumentException for arrays of different lengths or no items
   */
  public static double expectedCalibrationError(double[] probability, boolean[] negative) {
    int n = probability.length;
    if (negative.length != n || n == 0) {
      throw new IllegalArgumentException("need as many labels as probabilities, and at least one");
    }
    double[] sumP = new double[ECE_BINS];
    double[] sumY = new double[ECE_BINS];
    int[] count = new int[ECE_BINS];
    double step = 1.0 / ECE_BINS; // numpy.linspace's edges: k * step
    for (int i = 0; i < n; i++) {
      double p = probability[i];
      int bin = 0;
      while (bin < ECE_BINS - 1 && p >= (bin + 1) * step) {
        bin++;
      }
      sumP[bin] += p;
      sumY[bin] += negative[i] ? 1 : 0;
      count[bin]++;
    }
    double total = 0;
    for (int b = 0; b < ECE_BINS; b++) {
      if (count[b] > 0) {
        total += (double) count[b] / n * Math.abs(sumP[b] / count[b] - sumY[b] / count[b]);
      }
    }
    return total;
  }

  /** The mean negative log-likelihood of {@code sigmoid(a d + c)} against the labels. */
  static double logLoss(double[] logOdds, boolean[] negative, double a, double c) {
    double sum = 0;
    for (int i = 0; i < logOdds.length; i++) {
      double z = a * logOdds[i] + c;
      // -log ScoreDecoder.sigmoid(z) for a negative item, -log ScoreDecoder.sigmoid(-z) otherwise, without overflow.
      double m = negative[i] ? -z : z;
      sum += m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
    }
    return sum / logOdds.length;
  }
}
