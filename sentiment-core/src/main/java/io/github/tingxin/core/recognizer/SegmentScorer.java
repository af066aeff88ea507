package io.github.tingxin.core.recognizer;

import io.github.tingxin.api.Audio;
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
 * Scores clips at the model's rate: features, batches, inference, decoding.
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

  SegmentScorer(ModelManifest manifest, FeatureExtractor extractor, InferenceSession session, int batchSize) {
    this.manifest = manifest;
    this.extractor = extractor;
    this.session = session;
    this.decoder = ScoreDecoder.of(manifest);
    this.batchSize = batchSize;
    this.anyLengthsMayShareBatch = manifest.input().lengths().isPresent() || manifest.input().fixedFrames() > 0;
  }

  /** Feature frames {@code samples} samples give. */
  int frames(int samples) {
    return extractor.numFrames(samples);
  }

  /**
   * Scores every clip.
   *
   * @param clips samples at the model's rate, each long enough for one feature frame
   * @return one decoded result per clip, in the clips' order
   * @throws TingxinException {@link ErrorCode#INTERRUPTED} between batches if the thread is interrupted
   *     (the flag stays set), or as the backend and decoder throw
   */
  List<ScoreDecoder.Decoded> score(List<float[]> clips) {
    int n = clips.size();
    ScoreDecoder.Decoded[] results = new ScoreDecoder.Decoded[n];
    int[] frames = new int[n];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      frames[i] = extractor.numFrames(clips.get(i).length);
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
        features.add(extractor.extract(Audio.of(clips.get(order[k]), extractor.sampleRate())));
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
