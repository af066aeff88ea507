package io.github.tingxin.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The contents of {@code tingxin-model.json}: what a model package is, what it predicts and how its
 * input is computed. Read with {@link ModelPackage#load(java.nio.file.Path)}; the JSON field names are
 * those of the record components.
 *
 * <p>Every record validates itself on construction and names the offending field in an
 * {@link IllegalArgumentException}; the package reader turns that into {@link ErrorCode#MANIFEST_INVALID}
 * with the file's name.
 *
 * <p>Immutable and thread-safe.
 *
 * @param formatVersion version of the manifest format; this release reads {@value #FORMAT_VERSION}
 * @param name model name
 * @param version model version
 * @param license SPDX licence identifier of the weights
 * @param description one paragraph for people
 * @param sampleRate the rate, in hertz, the model's features expect (audio is resampled to it)
 * @param features how the input tensor is computed from audio
 * @param input the graph input and its layout
 * @param heads what the model predicts; at least one
 * @param negativeHead name of the head whose negative labels give the negative-emotion probability, or
 *     empty for the first head that has negative labels
 * @param segments the shortest and longest audio the model was trained for, and how it takes shorter audio
 * @param provenance where the model and its figures came from
 */
public record ModelManifest(int formatVersion, String name, String version, String license, String description,
    int sampleRate, FeatureRecipe features, InputSpec input, List<Head> heads, Optional<String> negativeHead,
    SegmentLimits segments, Provenance provenance) {

  /** The manifest format this release reads and writes. */
  public static final int FORMAT_VERSION = 1;

  /** @throws IllegalArgumentException naming the invalid field */
  public ModelManifest {
    if (formatVersion != FORMAT_VERSION) {
      throw new IllegalArgumentException("formatVersion: " + formatVersion + " is not supported; this release reads "
          + FORMAT_VERSION);
    }
    requireText(name, "name");
    requireText(version, "version");
    requireText(license, "license");
    description = description == null ? "" : description;
    if (sampleRate < 1000 || sampleRate > 192_000) {
      throw new IllegalArgumentException("sampleRate: " + sampleRate + " is outside 1000..192000");
    }
    requireField(features, "features");
    requireField(input, "input");
    requireField(heads, "heads");
    heads = List.copyOf(heads);
    if (heads.isEmpty()) {
      throw new IllegalArgumentException("heads: at least one head is needed");
    }
    Set<String> headNames = new HashSet<>();
    Set<String> outputs = new HashSet<>();
    for (Head h : heads) {
      if (!headNames.add(h.name())) {
        throw new IllegalArgumentException("heads: name '" + h.name() + "' is used twice");
      }
      if (!outputs.add(h.output())) {
        throw new IllegalArgumentException("heads: output '" + h.output() + "' is used by two heads");
      }
    }
    negativeHead = negativeHead == null ? Optional.empty() : negativeHead;
    if (negativeHead.isPresent()) {
      String nh = negativeHead.get();
      Head head = heads.stream().filter(h -> h.name().equals(nh)).findFirst().orElseThrow(
          () -> new IllegalArgumentException("negativeHead: no head is named '" + nh + "'"));
      if (head.labels().stream().noneMatch(Label::negative)) {
        throw new IllegalArgumentException("negativeHead: head '" + nh + "' has no label marked negative");
      }
    }
    requireField(segments, "segments");
    requireField(provenance, "provenance");
  }

  /**
   * This manifest with head {@code headName}'s calibration replaced (empty: removed); everything else the same.
   * A deployment's recalibration ({@code tingxin model recalibrate}, or {@code CalibrationFit} in
   * {@code sentiment-core}) and {@link ModelPackage#withManifest} put it to use.
   *
   * @throws IllegalArgumentException if no head has that name, or it cannot be recalibrated (see
   *     {@link Head#calibration()})
   */
  public ModelManifest withHeadCalibration(String headName, Optional<Calibration> calibration) {
    Objects.requireNonNull(headName, "headName");
    Objects.requireNonNull(calibration, "calibration");
    List<Head> changed = new ArrayList<>();
    boolean found = false;
    for (Head h : heads) {
      if (h.name().equals(headName)) {
        found = true;
        changed.add(new Head(h.name(), h.task(), h.output(), h.activation(), h.labels(), h.thresholds(), h.ranges(),
            calibration));
      } else {
        changed.add(h);
      }
    }
    if (!found) {
      throw new IllegalArgumentException("heads: no head is named '" + headName + "'");
    }
    return new ModelManifest(formatVersion, name, version, license, description, sampleRate, features, input, changed,
        negativeHead, segments, provenance);
  }

  /** The head that gives the negative-emotion probability, if any head has negative labels. */
  public Optional<Head> negativeHeadSpec() {
    if (negativeHead.isPresent()) {
      return heads.stream().filter(h -> h.name().equals(negativeHead.get())).findFirst();
    }
    return heads.stream().filter(h -> h.task() != Task.DIMENSIONAL && h.labels().stream().anyMatch(Label::negative))
        .findFirst();
  }

  /**
   * How to compute the model's input from audio at {@link ModelManifest#sampleRate()}.
   *
   * @param type the extractor: {@code waveform}, {@code kaldi-fbank}, {@code kaldi-mfcc} or
   *     {@code whisper-logmel} (more where a {@code FeatureExtractorProvider} adds them)
   * @param options every option of the extractor, by the extractor's own (Kaldi-style) names; values are
   *     {@link String}, {@link Boolean}, {@link Number} or lists of them. Unknown options are refused by the
   *     extractor, never ignored.
   */
  public record FeatureRecipe(String type, Map<String, Object> options) {
    /** @throws IllegalArgumentException naming the invalid field */
    public FeatureRecipe {
      requireText(type, "features.type");
      options = options == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(options));
      for (Map.Entry<String, Object> e : options.entrySet()) {
        Object v = e.getValue();
        if (v == null) {
          throw new IllegalArgumentException("features.options." + e.getKey() + ": null is not a value");
        }
        if (v instanceof List<?> list) {
          for (Object item : list) {
            if (!(item instanceof String || item instanceof Boolean || item instanceof Number)) {
              throw new IllegalArgumentException("features.options." + e.getKey() + ": list items must be scalars");
            }
          }
        } else if (!(v instanceof String || v instanceof Boolean || v instanceof Number)) {
          throw new IllegalArgumentException("features.options." + e.getKey() + ": unsupported value type "
              + v.getClass().getSimpleName());
        }
      }
    }
  }

  /** How the feature tensor is laid out. */
  public enum Layout {
    /** {@code [batch, samples]}: raw waveform models (wav2vec 2.0, HuBERT). */
    BATCH_TIME,
    /** {@code [batch, frames, features]}: fbank and MFCC models. */
    BATCH_TIME_FEATURE,
    /** {@code [batch, features, frames]}: Whisper encoders. */
    BATCH_FEATURE_TIME
  }

  /**
   * The graph's input.
   *
   * @param name name of the feature input in the graph
   * @param layout the feature tensor's layout
   * @param lengths name of an int64 {@code [batch]} input holding each item's valid length (samples or
   *     frames) so padding never changes an answer; empty if the graph has none
   * @param fixedFrames for models with a fixed time axis (Whisper: 3000), the number of frames every input
   *     is padded or cut to, at most {@value #MAX_FIXED_FRAMES}; 0 for a variable time axis
   */
  public record InputSpec(String name, Layout layout, Optional<String> lengths, int fixedFrames) {
    /** The longest fixed time axis: ten times Whisper's 3000 frames (300 s of 10 ms frames). */
    public static final int MAX_FIXED_FRAMES = 30_000;

    /** @throws IllegalArgumentException naming the invalid field */
    public InputSpec {
      requireText(name, "input.name");
      requireField(layout, "input.layout");
      lengths = lengths == null ? Optional.empty() : lengths;
      if (fixedFrames < 0 || fixedFrames > MAX_FIXED_FRAMES) {
        throw new IllegalArgumentException("input.fixedFrames: must be 0 (variable length) to " + MAX_FIXED_FRAMES
            + ", was " + fixedFrames);
      }
    }
  }

  /** How raw outputs become scores. */
  public enum Activation {
    /** The outputs are the scores (dimensional heads, or graphs that end in their own activation). */
    NONE,
    /** Softmax over the head's outputs (multi-class, two-output binary). */
    SOFTMAX,
    /** Sigmoid per output (multi-label, one-output binary). */
    SIGMOID,
    /** The paper's two-way heads: output {@code [batch, labels, 2]}; score = softmax(pair)[1]. */
    PAIRWISE_SOFTMAX
  }

  /**
   * One prediction head: a graph output and what it means.
   *
   * @param name head name (e.g. {@code negative}, {@code emotion})
   * @param task what it predicts
   * @param output the graph output holding its raw values
   * @param activation how raw values become scores
   * @param labels the labels, in output order (a two-output binary head lists not-negative first)
   * @param thresholds per-label decision thresholds, in label order: a score at or over its threshold is
   *     selected. For binary, multi-label and multi-class heads (whose scores are probabilities) each lies
   *     strictly between 0 and 1, default 0.5 (multi-class heads report them, but the top class is the
   *     decision); for dimensional heads each lies within its label's range, default the range's middle,
   *     and a value at or over it is "high"
   * @param ranges for dimensional heads, {@code [min, max]} per label; empty otherwise
   * @param calibration for binary heads with softmax or sigmoid, a recalibration of the head's log-odds applied
   *     after its activation's own (see {@link Calibration}); empty for none
   */
  public record Head(String name, Task task, String output, Activation activation, List<Label> labels,
      List<Double> thresholds, List<List<Double>> ranges, Optional<Calibration> calibration) {

    /** A head without a recalibration. */
    public Head(String name, Task task, String output, Activation activation, List<Label> labels,
        List<Double> thresholds, List<List<Double>> ranges) {
      this(name, task, output, activation, labels, thresholds, ranges, Optional.empty());
    }

    /** @throws IllegalArgumentException naming the invalid field */
    public Head {
      requireText(name, "heads.name");
      String f = "heads[" + name + "].";
      requireField(task, f + "task");
      requireText(output, f + "output");
      requireField(activation, f + "activation");
      requireField(labels, f + "labels");
      labels = List.copyOf(labels);
      if (labels.isEmpty()) {
        throw new IllegalArgumentException(f + "labels: at least one label is needed");
      }
      Set<String> ids = new HashSet<>();
      for (Label l : labels) {
        if (!ids.add(l.id())) {
          throw new IllegalArgumentException(f + "labels: id '" + l.id() + "' is used twice");
        }
      }
      List<List<Double>> r = new ArrayList<>();
      for (List<Double> range : ranges == null ? List.<List<Double>>of() : ranges) {
        if (range.size() != 2 || !(range.get(0) < range.get(1))
            || !Double.isFinite(range.get(0)) || !Double.isFinite(range.get(1))) {
          throw new IllegalArgumentException(f + "ranges: each range is [min, max] of finite numbers with min < max");
        }
        r.add(List.copyOf(range));
      }
      ranges = List.copyOf(r);
      boolean dimensional = task == Task.DIMENSIONAL && ranges.size() == labels.size();
      if (thresholds == null || thresholds.isEmpty()) {
        List<Double> defaults = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
          defaults.add(dimensional ? (ranges.get(i).get(0) + ranges.get(i).get(1)) / 2 : 0.5);
        }
        thresholds = List.copyOf(defaults);
      } else {
        thresholds = List.copyOf(thresholds);
      }
      if (thresholds.size() != labels.size()) {
        throw new IllegalArgumentException(f + "thresholds: " + thresholds.size() + " thresholds for "
            + labels.size() + " labels");
      }
      for (int i = 0; i < thresholds.size(); i++) {
        double t = thresholds.get(i);
        if (dimensional) {
          double min = ranges.get(i).get(0);
          double max = ranges.get(i).get(1);
          if (!(t >= min && t <= max)) {
            throw new IllegalArgumentException(f + "thresholds[" + i + "]: " + t + " is outside the label's range ["
                + min + ", " + max + "]");
          }
        } else if (task != Task.DIMENSIONAL && !(t > 0 && t < 1)) {
          throw new IllegalArgumentException(f + "thresholds[" + i + "]: " + t + " is outside (0, 1); scores are "
              + "probabilities, and a label is selected when its score is at or over its threshold");
        }
      }
      switch (task) {
        case BINARY -> {
          boolean ok = (labels.size() == 1 && (activation == Activation.SIGMOID || activation == Activation.NONE))
              || (labels.size() == 2 && (activation == Activation.SOFTMAX || activation == Activation.NONE));
          if (!ok) {
            throw new IllegalArgumentException(f + "activation: a binary head has 1 label with sigmoid or "
                + "2 labels with softmax");
          }
        }
        case MULTI_LABEL -> {
          if (activation == Activation.SOFTMAX) {
            throw new IllegalArgumentException(f + "activation: multi-label heads use sigmoid, pairwise-softmax "
                + "or none");
          }
        }
        case MULTI_CLASS -> {
          if (activation != Activation.SOFTMAX && activation != Activation.NONE) {
            throw new IllegalArgumentException(f + "activation: multi-class heads use softmax or none");
          }
          if (labels.size() < 2) {
            throw new IllegalArgumentException(f + "labels: a multi-class head needs at least 2 labels");
          }
        }
        case DIMENSIONAL -> {
          if (activation != Activation.NONE && activation != Activation.SIGMOID) {
            throw new IllegalArgumentException(f + "activation: dimensional heads use none or sigmoid");
          }
          if (ranges.size() != labels.size()) {
            throw new IllegalArgumentException(f + "ranges: a dimensional head needs one [min, max] per label");
          }
        }
      }
      if (activation == Activation.PAIRWISE_SOFTMAX && task != Task.MULTI_LABEL) {
        throw new IllegalArgumentException(f + "activation: pairwise-softmax is for multi-label heads");
      }
      calibration = calibration == null ? Optional.empty() : calibration;
      if (calibration.isPresent() && (task != Task.BINARY || activation == Activation.NONE)) {
        throw new IllegalArgumentException(f + "calibration: only a binary head with softmax (2 labels) or sigmoid"
            + " (1 label) can be recalibrated; its log-odds are what the calibration rescales");
      }
    }

    /** Number of raw values per item that the graph output holds for this head. */
    public int rawSize() {
      return activation == Activation.PAIRWISE_SOFTMAX ? 2 * labels.size() : labels.size();
    }
  }

  /**
   * A Platt recalibration of a binary head: the probability of the head's last label becomes
   * {@code sigmoid(d / temperature + offset)}, where {@code d} is the head's log-odds (for softmax over two
   * labels the difference of the two raw outputs, last minus first; for a one-label sigmoid head its raw
   * output). A deployment fits it on labelled speech of its own callers ({@code tingxin model recalibrate}),
   * so that a probability of 0.5 means even odds on that line's speech; {@code (1, 0)} changes nothing.
   * JSON: {@code {"temperature": T, "offset": c}}.
   *
   * @param temperature divides the log-odds, in [{@value #MIN_TEMPERATURE}, {@value #MAX_TEMPERATURE}]
   * @param offset is added to the rescaled log-odds, at most {@value #MAX_OFFSET} from 0
   */
  public record Calibration(double temperature, double offset) {
    /** The smallest temperature: probabilities sharpened a hundredfold in log-odds. */
    public static final double MIN_TEMPERATURE = 0.01;
    /** The largest temperature: log-odds flattened a hundredfold. */
    public static final double MAX_TEMPERATURE = 100;
    /** The largest offset from 0, in log-odds (e to the 30 is about 10 to the 13). */
    public static final double MAX_OFFSET = 30;

    /** @throws IllegalArgumentException naming the invalid field */
    public Calibration {
      if (!(temperature >= MIN_TEMPERATURE && temperature <= MAX_TEMPERATURE)) {
        throw new IllegalArgumentException("calibration.temperature: " + temperature + " is outside "
            + MIN_TEMPERATURE + ".." + MAX_TEMPERATURE);
      }
      if (!(Math.abs(offset) <= MAX_OFFSET)) {
        throw new IllegalArgumentException("calibration.offset: " + offset + " is outside -" + MAX_OFFSET + ".."
            + MAX_OFFSET);
      }
    }

    /** The recalibrated log-odds of {@code logOdds}. */
    public double apply(double logOdds) {
      return logOdds / temperature + offset;
    }

    /**
     * This calibration followed by {@code next}, as one: {@code next.apply(apply(d))} for every {@code d}.
     *
     * @throws IllegalArgumentException if the combination falls outside the ranges
     */
    public Calibration then(Calibration next) {
      return new Calibration(temperature * next.temperature, offset / next.temperature + next.offset);
    }
  }

  /**
   * How a model takes audio shorter than {@link SegmentLimits#minSeconds()}: the way it was trained to see
   * short input. JSON: {@code "pad"} or {@code "as-is"}.
   */
  public enum ShortInput {
    /**
     * Padded after its end with silence (zeros) to {@code minSeconds}, as models trained on fixed-length
     * zero-padded clips (and most CNNs over fixed crops) saw short utterances. The default.
     */
    PAD,
    /** Scored at its own length: for models trained on, and masking, input of any length. */
    AS_IS
  }

  /**
   * The audio lengths the model was trained for, and how it takes shorter speech. The segmenter cuts turns
   * of at most {@code maxSeconds}; no speech is dropped for being short: a segment shorter than
   * {@code minSeconds} is scored by the {@code shortInput} rule and flagged
   * ({@link SegmentResult#shortInput()}). Only stretches under {@link #FLOOR_SECONDS} (or one feature frame
   * of the model, where that is longer) are too short to score at all.
   *
   * @param minSeconds shortest audio the model was trained on, at least {@link #FLOOR_SECONDS}
   * @param maxSeconds longest segment (longer speech is split), at most 600
   * @param shortInput how audio shorter than {@code minSeconds} is scored; {@link ShortInput#PAD} where the
   *     manifest does not say
   */
  public record SegmentLimits(double minSeconds, double maxSeconds, ShortInput shortInput) {
    /**
     * The floor: 25 ms, one analysis frame of every built-in feature recipe (Kaldi's 25 ms window,
     * wav2vec 2.0's 400-sample receptive field at 16 kHz). Shorter stretches carry no frame to score.
     */
    public static final double FLOOR_SECONDS = 0.025;

    /** @throws IllegalArgumentException naming the invalid field */
    public SegmentLimits {
      if (!(minSeconds >= FLOOR_SECONDS) || !(maxSeconds >= minSeconds) || maxSeconds > 600) {
        throw new IllegalArgumentException("segments: need " + FLOOR_SECONDS + " <= minSeconds <= maxSeconds <= 600,"
            + " got " + minSeconds + ", " + maxSeconds);
      }
      shortInput = shortInput == null ? ShortInput.PAD : shortInput;
    }

    /** Limits whose short input is {@link ShortInput#PAD}ded. */
    public SegmentLimits(double minSeconds, double maxSeconds) {
      this(minSeconds, maxSeconds, ShortInput.PAD);
    }
  }

  /**
   * Where the model and the figures in its card came from.
   *
   * @param trainedOn the data it was trained on
   * @param metrics the headline figures, with their split
   * @param command the command that reproduces the figures
   * @param modelCard file name of the model card inside the package (e.g. {@code MODEL_CARD.md})
   */
  public record Provenance(String trainedOn, String metrics, String command, String modelCard) {
    /** @throws IllegalArgumentException naming the invalid field */
    public Provenance {
      requireText(trainedOn, "provenance.trainedOn");
      metrics = metrics == null ? "" : metrics;
      command = command == null ? "" : command;
      modelCard = modelCard == null ? "" : modelCard;
    }
  }

  private static void requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + ": missing or blank");
    }
  }

  private static void requireField(Object value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + ": missing");
    }
  }
}
