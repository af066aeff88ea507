package io.github.tingxin.core.recognizer;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.core.model.ScoreDecoder;
import io.github.tingxin.spi.FeatureBatch;
import io.github.tingxin.spi.FeatureExtractor;
import io.github.tingxin.spi.Features;
import io.github.tingxin.spi.InferenceSession;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Scores clips at the model's rate: the model's short-input rule, features, batches, inference, decoding.
 *
 * <p><b>Short input</b> (the one home of the rule of {@link ModelManifest.SegmentLimits}): a clip shorter than
 * the model's {@code minSeconds} is <i>short</i>; with {@link ModelManifest.ShortInput#PAD} it is scored
 * padded after its end with zeros (silence) to that length, with {@link ModelManifest.ShortInput#AS_IS} as
 * it is. Clips shorter than the {@linkplain #floorSamples() floor} cannot be scored.
 *
 * <p>Clips are sorted by length before batching, and a batch is padded to its longest clip (never to a
 * fixed window unless the model has a fixed time axis). A model with a {@code lengths} input masks padding,
 * so clips of different lengths may share a batch, but padded frames still cost compute (an encoder's cost
 * grows with the frames it is given): a batch takes the next, longer clip only while its padding stays
 * within {@link #PADDING_ALLOWANCE} of its clips' own frames. On a CPU a batch costs what its clips cost
 * one by one, so smaller batches lose nothing there; a GPU still gets full batches of similar lengths. A
 * model without a lengths input (and without a fixed time axis) only batches clips of equal feature length,
 * since padding would change its answers. Thread-safe (the extractor and session are).
 */
final class SegmentScorer {
  private final ModelManifest manifest;
  private final FeatureExtractor extractor;
  private final InferenceSession session;
  private final ScoreDecoder decoder;
  private final int batchSize;
  /**
   * Most padding a batch of variable-length clips may carry, as a share of its clips' own frames: the
   * batch's padded frames ({@code size * longest}) stay within {@code 1 + PADDING_ALLOWANCE} times their sum.
   */
  static final double PADDING_ALLOWANCE = 0.25;

  private final boolean anyLengthsMayShareBatch;
  /** Padding costs compute: a model whose time axis is each batch's longest clip (no fixed frames). */
  private final boolean paddingCosts;
  private final int minSamples;
  private final int floorSamples;
  private final boolean pad;

  SegmentScorer(ModelManifest manifest, FeatureExtractor extractor, InferenceSession session, int batchSize) {
    this.manifest = manifest;
    this.extractor = extractor;
    this.session = session;
    this.decoder = ScoreDecoder.of(manifest);
    this.batchSize = batchSize;
    this.anyLengthsMayShareBatch = manifest.input().lengths().isPresent() || manifest.input().fixedFrames() > 0;
    this.paddingCosts = manifest.input().fixedFrames() == 0;
    this.floorSamples = floorSamples(manifest, extractor);
    this.minSamples = (int) Math.round(manifest.segments().minSeconds() * manifest.sampleRate());
    this.pad = manifest.segments().shortInput() == ModelManifest.ShortInput.PAD;
  }

  /** The floor of this scorer's model, {@link #floorSamples(ModelManifest, FeatureExtractor)}. */
  int floorSamples() {
    return floorSamples;
  }

  /**
   * The floor, in samples at the model's rate: the larger of
   * {@link ModelManifest.SegmentLimits#FLOOR_SECONDS} and the shortest audio that gives the model's extractor
   * one feature frame. Shorter audio cannot be scored at all.
   *
   * @throws TingxinException {@link ErrorCode#MANIFEST_INVALID} if even the longest segment gives no frame
   */
  static int floorSamples(ModelManifest manifest, FeatureExtractor extractor) {
    int rate = manifest.sampleRate();
    int maxSamples = (int) Math.round(manifest.segments().maxSeconds() * rate);
    return (int) Math.max(Math.round(ModelManifest.SegmentLimits.FLOOR_SECONDS * rate), oneFrame(extractor,
        maxSamples));
  }

  /** Whether a clip of {@code samples} samples is short: under the model's minimum. */
  boolean isShort(int samples) {
    return samples < minSamples;
  }

  /**
   * The fewest samples giving one feature frame (feature frames never decrease with length).
   *
   * @throws TingxinException {@link ErrorCode#MANIFEST_INVALID} if even the longest segment gives none
   */
  private static int oneFrame(FeatureExtractor extractor, int maxSamples) {
    if (extractor.numFrames(maxSamples) < 1) {
      throw new TingxinException(ErrorCode.MANIFEST_INVALID, "The model's longest segment (segments.maxSeconds) is "
          + "shorter than one frame of its features; raise segments.maxSeconds.");
    }
    int lo = 1;
    int hi = maxSamples;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (extractor.numFrames(mid) >= 1) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** The clip as the model takes it: padded with zeros to the minimum if short and the rule is to pad. */
  private float[] asInput(float[] clip) {
    int length = inputLength(clip);
    return length == clip.length ? clip : Arrays.copyOf(clip, length);
  }

  private int inputLength(float[] clip) {
    int target = Math.max(minSamples, floorSamples);
    return !pad || clip.length >= target ? clip.length : target;
  }

  /**
   * How {@link #score} groups clips into inference calls: in order of feature length, at most
   * {@code batchSize} to a batch, only clips of equal length together for a model that would see the
   * padding, and for a model that takes any length no more padding than {@link #PADDING_ALLOWANCE}.
   * Scoring one of these groups alone gives exactly the batch {@code score} runs for it (each batch is
   * grown greedily from its shortest clip).
   *
   * @return each batch as indices into {@code clips}, shortest first
   */
  List<int[]> batches(List<float[]> clips) {
    int n = clips.size();
    int[] frames = new int[n];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      frames[i] = extractor.numFrames(inputLength(clips.get(i)));
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt((Integer i) -> frames[i]));
    List<int[]> out = new ArrayList<>();
    int from = 0;
    while (from < n) {
      int to = from + 1;
      long own = frames[order[from]];
      while (to < n && to - from < batchSize && mayJoin(frames[order[from]], frames[order[to]], to - from, own)) {
        own += frames[order[to]];
        to++;
      }
      int[] batch = new int[to - from];
      for (int k = from; k < to; k++) {
        batch[k - from] = order[k];
      }
      out.add(batch);
      from = to;
    }
    return out;
  }

  /**
   * Whether a clip of {@code next} frames (the longest so far: clips come sorted) may join a batch of
   * {@code count} clips from {@code first} frames up, {@code own} frames in all.
   */
  private boolean mayJoin(int first, int next, int count, long own) {
    if (next == first) {
      return true;
    }
    if (!anyLengthsMayShareBatch) {
      return false;
    }
    return !paddingCosts || (double) next * (count + 1) <= (1 + PADDING_ALLOWANCE) * (own + next);
  }

  /**
   * Scores every clip.
   *
   * @param clips samples at the model's rate, each at least {@link #floorSamples()} long; short ones are
   *     taken by the model's short-input rule ({@link #isShort})
   * @return one decoded result per clip, in the clips' order
   * @throws TingxinException {@link ErrorCode#INTERRUPTED} between batches if the thread is interrupted
   *     (the flag stays set), or as the backend and decoder throw
   */
  List<ScoreDecoder.Decoded> score(List<float[]> clips) {
    ScoreDecoder.Decoded[] results = new ScoreDecoder.Decoded[clips.size()];
    for (int[] batch : batches(clips)) {
      DefaultEmotionRecognizer.checkInterrupted();
      List<Features> features = new ArrayList<>(batch.length);
      for (int i : batch) {
        float[] clip = asInput(clips.get(i)); // a copy only where a short clip is padded
        features.add(extractor.extract(clip, 0, clip.length));
      }
      FeatureBatch input = FeatureBatch.of(features, manifest.input().layout(), manifest.input().fixedFrames());
      List<ScoreDecoder.Decoded> decoded = decoder.decodeBatch(session.run(input));
      if (decoded.size() != batch.length) {
        throw new TingxinException(ErrorCode.MODEL_OUTPUT_INVALID, "The model gave " + decoded.size()
            + " results for a batch of " + batch.length + "; check the graph's batch axis.");
      }
      for (int k = 0; k < batch.length; k++) {
        results[batch[k]] = decoded.get(k);
      }
    }
    return Arrays.asList(results);
  }
}
