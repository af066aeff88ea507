package io.github.tingxin.core.features;

import io.github.tingxin.api.Audio;
import io.github.tingxin.spi.FeatureExtractor;
import io.github.tingxin.spi.Features;

/**
 * A frame-based extractor followed by LFR stacking and CMVN, as a Kaldi recipe with Tingxin's extras
 * asks. Immutable and thread-safe.
 */
final class RecipeExtractor implements FeatureExtractor {
  private final KaldiFrameFeature base;
  private final Lfr lfr;
  private final Cmvn cmvn;

  RecipeExtractor(KaldiFrameFeature base, Lfr lfr, Cmvn cmvn) {
    this.base = base;
    this.lfr = lfr;
    this.cmvn = cmvn;
  }

  KaldiFrameFeature base() {
    return base;
  }

  @Override
  public int sampleRate() {
    return base.sampleRate();
  }

  @Override
  public int dim() {
    return base.dim() * lfr.m();
  }

  @Override
  public int numFrames(int numSamples) {
    return lfr.numFrames(base.numFrames(numSamples));
  }

  @Override
  public Features extract(Audio audio) {
    return cmvn.applyInPlace(lfr.apply(base.extract(audio)));
  }

  @Override
  public String toString() {
    return base + " + " + lfr + " + " + cmvn;
  }
}
