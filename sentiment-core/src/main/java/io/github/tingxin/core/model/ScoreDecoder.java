package io.github.tingxin.core.model;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.Label;
import io.github.tingxin.api.LabelScore;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ModelManifest.Activation;
import io.github.tingxin.api.ModelManifest.Head;
import io.github.tingxin.api.Task;
import io.github.tingxin.api.TingxinException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Turns a model's raw outputs (logits) into scores, as {@code docs/model-package.md} specifies, in double
 * precision.
 *
 * <ul>
 *   <li>{@code softmax}: over the head's outputs (two-label binary, multi-class);</li>
 *   <li>{@code sigmoid}: per output (one-label binary, multi-label); for dimensional heads the probability
 *   is mapped onto the label's {@code [min, max]} range;</li>
 *   <li>{@code pairwise-softmax}: the paper's two-way heads, raw {@code [labels, 2]} flattened; the score is
 *   {@code softmax(pair)[1]};</li>
 *   <li>{@code none}: the raw values are the scores. For classification heads they must be probabilities in
 *   [0, 1] (else {@link ErrorCode#MODEL_OUTPUT_INVALID}); dimensional values are reported as the model gave
 *   them, not clamped to their range.</li>
 * </ul>
 *
 * <p>A binary head's {@link ModelManifest.Calibration}, where the manifest gives one, then replaces its
 * probabilities by {@code sigmoid(d / temperature + offset)} of the head's log-odds {@code d} (the last raw
 * output minus the first for softmax over two labels; the raw output for a one-label sigmoid head).
 *
 * <p>Decisions ({@link LabelScore#selected()}): a score at or over its threshold for binary, multi-label and
 * dimensional heads; the top class (the first on a tie) for multi-class heads, whose thresholds are
 * reported but not used. The segment's negative probability comes from
 * {@link ModelManifest#negativeHeadSpec()}: the sum of its negative labels' probabilities for binary and
 * multi-class heads, their maximum for multi-label heads.
 *
 * <p>A NaN or infinite raw value, or a raw vector of the wrong size, is
 * {@link ErrorCode#MODEL_OUTPUT_INVALID}; messages name the head and item, never the values.
 *
 * <p>Immutable and thread-safe.
 */
public final class ScoreDecoder {
  private final ModelManifest manifest;
  private final Head negativeHead;

  private ScoreDecoder(ModelManifest manifest) {
    this.manifest = manifest;
    this.negativeHead = manifest.negativeHeadSpec().orElse(null);
  }

  /**
   * A decoder for every head of {@code manifest}.
   *
   * @throws NullPointerException if {@code manifest} is null
   */
  public static ScoreDecoder of(ModelManifest manifest) {
    return new ScoreDecoder(Objects.requireNonNull(manifest, "manifest"));
  }

  /**
   * One item's scores and negative probability.
   *
   * @param scores every label of every head, in manifest order
   * @param negativeProbability the probability that the speech is negative, where the model has negative
   *     labels
   */
  public record Decoded(List<LabelScore> scores, OptionalDouble negativeProbability) {
    /** @throws NullPointerException if an argument is null */
    public Decoded {
      scores = List.copyOf(scores);
      Objects.requireNonNull(negativeProbability, "negativeProbability");
    }
  }

  /**
   * Decodes every item of a batch.
   *
   * @param rawByHead {@link io.github.tingxin.spi.InferenceSession#run}'s result: head name to
   *     {@code [batch][rawSize]}
   * @return one result per item
   * @throws TingxinException {@link ErrorCode#MODEL_OUTPUT_INVALID} for a missing head, ragged batch, wrong size or
   *     non-finite value
   */
  public List<Decoded> decodeBatch(Map<String, float[][]> rawByHead) {
    int batch = -1;
    for (Head h : manifest.heads()) {
      float[][] raw = headOutput(rawByHead, h);
      if (batch >= 0 && raw.length != batch) {
        throw new TingxinException(ErrorCode.MODEL_OUTPUT_INVALID, "Model '" + manifest.name() + "': head '"
            + h.name() + "' gave " + raw.length + " items where another head gave " + batch + ".");
      }
      batch = raw.length;
    }
    List<Decoded> out = new ArrayList<>(batch);
    for (int i = 0; i < batch; i++) {
      out.add(decode(rawByHead, i));
    }
    return out;
  }

  /**
   * Decodes item {@code item} of a batch.
   *
   * @param rawByHead head name to {@code [batch][rawSize]}
   * @param item index in the batch
   * @throws TingxinException {@link ErrorCode#MODEL_OUTPUT_INVALID} as {@link #decodeBatch}
   * @throws IndexOutOfBoundsException if {@code item} is not in the batch
   */
  public Decoded decode(Map<String, float[][]> rawByHead, int item) {
    List<LabelScore> all = new ArrayList<>();
    OptionalDouble negative = OptionalDouble.empty();
    for (Head h : manifest.heads()) {
      float[][] raw = headOutput(rawByHead, h);
      Objects.checkIndex(item, raw.length);
      List<LabelScore> scores = decodeHead(h, raw[item], item);
      all.addAll(scores);
      if (h == negativeHead) {
        negative = negativeProbability(h, scores);
      }
    }
    return new Decoded(all, negative);
  }

  /**
   * Decodes one item's raw values for one head.
   *
   * @param head the head
   * @param raw {@link Head#rawSize()} raw values
   * @return one score per label, in label order
   * @throws TingxinException {@link ErrorCode#MODEL_OUTPUT_INVALID} for a wrong size or a non-finite value
   */
  public static List<LabelScore> decodeHead(Head head, float[] raw) {
    return decodeHead(head, raw, 0);
  }

  /**
   * The negative probability from one head's scores (as {@link #decodeHead} gives them): the sum of the
   * negative labels' probabilities for binary and multi-class heads, their maximum for multi-label heads.
   *
   * @return empty for a head without negative labels or a dimensional head
   */
  public static OptionalDouble negativeProbability(Head head, List<LabelScore> headScores) {
    if (head.task() == Task.DIMENSIONAL) {
      return OptionalDouble.empty();
    }
    boolean any = false;
    double sum = 0;
    double max = 0;
    for (LabelScore s : headScores) {
      if (s.head().equals(head.name()) && s.label().negative()) {
        any = true;
        sum += s.score();
        max = Math.max(max, s.score());
      }
    }
    if (!any) {
      return OptionalDouble.empty();
    }
    // The sum of softmax probabilities can exceed 1 by a rounding error only.
    return OptionalDouble.of(head.task() == Task.MULTI_LABEL ? max : Math.min(1.0, sum));
  }

  private float[][] headOutput(Map<String, float[][]> rawByHead, Head h) {
    float[][] raw = rawByHead.get(h.name());
    if (raw == null) {
      throw new TingxinException(ErrorCode.MODEL_OUTPUT_INVALID, "Model '" + manifest.name()
          + "': no output for head '" + h.name() + "' (graph output '" + h.output() + "').");
    }
    return raw;
  }

  private static List<LabelScore> decodeHead(Head head, float[] raw, int item) {
    int n = head.labels().size();
    if (raw == null || raw.length != head.rawSize()) {
      throw new TingxinException(ErrorCode.MODEL_OUTPUT_INVALID, "Head '" + head.name() + "' (output '"
          + head.output() + "') gave " + (raw == null ? 0 : raw.length) + " values for item " + item + " where its "
          + n + " labels need " + head.rawSize() + "; the manifest does not describe this graph.");
    }
    for (int i = 0; i < raw.length; i++) {
      if (!Float.isFinite(raw[i])) {
        throw new TingxinException(ErrorCode.MODEL_OUTPUT_INVALID, "Head '" + head.name() + "' (output '"
            + head.output() + "') gave a non-finite value (NaN or infinity) for item " + item + " at index " + i
            + "; the model is broken or was fed input it cannot take.");
      }
    }
    double[] p = new double[n];
    switch (head.activation()) {
      case SOFTMAX -> {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : raw) {
          max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
          p[i] = Math.exp(raw[i] - max);
          sum += p[i];
        }
        for (int i = 0; i < n; i++) {
          p[i] /= sum;
        }
      }
      case SIGMOID -> {
        for (int i = 0; i < n; i++) {
          p[i] = sigmoid(raw[i]);
        }
      }
      case PAIRWISE_SOFTMAX -> {
        for (int i = 0; i < n; i++) {
          // softmax([a, b])[1] = sigmoid(b - a)
          p[i] = sigmoid((double) raw[2 * i + 1] - raw[2 * i]);
        }
      }
      case NONE -> {
        for (int i = 0; i < n; i++) {
          p[i] = raw[i];
          if (head.task() != Task.DIMENSIONAL && !(p[i] >= 0 && p[i] <= 1)) {
            throw new TingxinException(ErrorCode.MODEL_OUTPUT_INVALID, "Head '" + head.name() + "' (output '"
                + head.output() + "') has activation 'none' but gave a value outside [0, 1] for item " + item
                + " at index " + i + "; if the graph outputs logits, set the head's activation in the manifest.");
          }
        }
      }
      default -> throw new IllegalStateException("unknown activation " + head.activation());
    }
    if (head.calibration().isPresent()) {
      // The head's validation allows a calibration only on softmax-of-two and one-label sigmoid heads.
      double logOdds = n == 2 ? (double) raw[1] - raw[0] : raw[0];
      double z = head.calibration().get().apply(logOdds);
      p[n - 1] = sigmoid(z);
      if (n == 2) {
        p[0] = sigmoid(-z); // not 1 - p[1], which loses a small probability to rounding
      }
    }
    if (head.task() == Task.DIMENSIONAL && head.activation() == Activation.SIGMOID) {
      for (int i = 0; i < n; i++) {
        List<Double> r = head.ranges().get(i);
        p[i] = r.get(0) + p[i] * (r.get(1) - r.get(0));
      }
    }
    int top = 0;
    for (int i = 1; i < n; i++) {
      if (p[i] > p[top]) {
        top = i;
      }
    }
    List<LabelScore> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Label label = head.labels().get(i);
      double threshold = head.thresholds().get(i);
      boolean selected = head.task() == Task.MULTI_CLASS ? i == top : p[i] >= threshold;
      out.add(new LabelScore(head.name(), label, p[i], threshold, selected));
    }
    return List.copyOf(out);
  }

  /**
   * A binary head's log-odds of its last label, recovered from its decoded scores (as {@link #decodeHead}
   * gives them): {@code log(p1) - log(p0)} for two labels, {@code log(p) - log(1 - p)} for one. A probability
   * that rounded to 0 or 1 gives an infinite value.
   *
   * @throws IllegalArgumentException if {@code head} is not binary
   */
  public static double logOdds(Head head, List<LabelScore> headScores) {
    if (head.task() != Task.BINARY) {
      throw new IllegalArgumentException("head '" + head.name() + "' is not binary");
    }
    double last = Double.NaN;
    double first = Double.NaN;
    int index = 0;
    for (LabelScore s : headScores) {
      if (s.head().equals(head.name())) {
        if (index == 0) {
          first = s.score();
        }
        last = s.score();
        index++;
      }
    }
    if (index != head.labels().size()) {
      throw new IllegalArgumentException("head '" + head.name() + "' has " + head.labels().size()
          + " labels but " + index + " scores were given");
    }
    return index == 2 ? Math.log(last) - Math.log(first) : Math.log(last) - Math.log1p(-last);
  }

  /** The logistic function, in a form whose exponential never overflows. */
  public static double sigmoid(double x) {
    // Two forms so that exp never overflows.
    if (x >= 0) {
      return 1.0 / (1.0 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1.0 + e);
  }

  /** The manifest this decoder reads. */
  public ModelManifest manifest() {
    return manifest;
  }

  /** The head that gives the negative probability, if any. */
  public Optional<Head> negativeHead() {
    return Optional.ofNullable(negativeHead);
  }
}
