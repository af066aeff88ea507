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
 * <p>Clips are sorted by length before batching so that each batch pads little. A model with a
 * {@code lengths} input masks padding, so any clips may share a batch; a model without one (and without a
 * fixed time axis) only batches clips of equal feature length, since padding would change its answers.
 * Thread-safe (the extractor and session are).
 */
final class SegmentScorer {
  private final ModelManifest manifest;
  private final FeatureExtractor extractor;
  private final InferenceSession session;
  private final ScoreDecoder decoder;
  private final int batchSize;
  private final boolean anyLengthsMayShareBatch;
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
    int target = Math.max(minSamples, floorSamples);
    return !pad || clip.length >= target ? clip : Arrays.copyOf(clip, target);
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
    int n = clips.size();
    ScoreDecoder.Decoded[] results = new ScoreDecoder.Decoded[n];
    float[][] inputs = new float[n][];
    int[] frames = new int[n];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      inputs[i] = asInput(clips.get(i));
      frames[i] = extractor.numFrames(inputs[i].length);
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt((Integer i) -> frames[i]));
    int from = 0;
    while (from < n) {
      int to = from + 1;
      while (to < n && to - from < batchSize
          && (anyLengthsMayShareBatch || frames[order[to]] == frames[order[from]])) {
        to++;
      }
      DefaultEmotionRecognizer.checkInterrupted();
      List<Features> features = new ArrayList<>(to - from);
      for (int k = from; k < to; k++) {
        float[] input = inputs[order[k]];
        features.add(extractor.extract(input, 0, input.length));
      }
      FeatureBatch batch = FeatureBatch.of(features, manifest.input().layout(), manifest.input().fixedFrames());
      List<ScoreDecoder.Decoded> decoded = decoder.decodeBatch(session.run(batch));
      if (decoded.size() != to - from) {
        throw new TingxinException(ErrorCode.MODEL_OUTPUT_INVALID, "The model gave " + decoded.size()
            + " results for a batch of " + (to - from) + "; check the graph's batch axis.");
      }
      for (int k = from; k < to; k++) {
        results[order[k]] = decoded.get(k - from);
      }
      from = to;
    }
    return Arrays.asList(results);
  }
}
