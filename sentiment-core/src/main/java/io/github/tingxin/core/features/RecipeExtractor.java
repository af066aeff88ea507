package io.github.tingxin.core.features;

import java.util.Arrays;

/**
 * A frame-based extractor followed by LFR stacking and CMVN, as a Kaldi recipe with Tingxin's extras
 * asks. The stacking reads the base frames through a window of {@code lfr_m} plus one block of frames,
 * so memory does not grow with the audio. Immutable and thread-safe: work buffers are lent to one call at a time, and
 * {@link #extract(float[], int, int, float[], int)} allocates nothing.
 */
final class RecipeExtractor extends BlockExtractor<RecipeExtractor.Work> {
  private final KaldiFrameFeature base;
  private final Lfr lfr;
  private final Cmvn cmvn;

  /** The base extractor's work plus the stacking's; one call at a time, not thread-safe. */
  static final class Work extends KaldiFrameFeature.Scratch {
    /** Base frames {@code [first, next)} of the stacking in progress. */
    final float[] window;
    final double[] columns;
    final double[] mean;
    final double[] scale;

    Work(KaldiFrameFeature base, Lfr lfr) {
      super(base, base.lanes(), base.extraRows());
      window = lfr.isIdentity() ? new float[0] : new float[(lfr.m() + base.lanes()) * base.dim()];
      columns = new double[base.dim()];
      mean = new double[base.dim() * lfr.m()];
      scale = new double[base.dim() * lfr.m()];
    }
  }

  RecipeExtractor(KaldiFrameFeature base, Lfr lfr, Cmvn cmvn) {
    this.base = base;
    this.lfr = lfr;
    this.cmvn = cmvn;
  }

  @Override
  Work newWork() {
    return new Work(base, lfr);
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
  void compute(Work w, int numSamples, float[] out, int outOffset) {
    int frames = base.numFrames(numSamples);
    int dim = base.dim();
    if (lfr.isIdentity()) {
      base.computeFrames(w, numSamples, 0, frames, out, outOffset);
      if (base.subtractMean() && frames > 0) {
        KaldiFrameFeature.subtractColumnMeans(out, outOffset, frames, dim, w.columns);
      }
    } else {
      stack(w, numSamples, frames, dim, out, outOffset);
    }
    cmvn.applyInPlace(out, outOffset, numFrames(numSamples), dim(), w.mean, w.scale);
  }

  // Output frame i stacks base frames source(i, 0) .. source(i, m - 1), which never decrease with i: base
  // frames are computed in order, a block at a time, into a window that drops what no later output
  // frame needs. subtract_mean subtracts the means of the base frames (each counted once) from the
  // stacked copies, which is what subtracting them before stacking gives.
  private void stack(Work w, int numSamples, int frames, int dim, float[] out, int outOffset) {
    int outFrames = lfr.numFrames(frames);
    int outDim = dim * lfr.m();
    boolean subtractMean = base.subtractMean();
    double[] columns = w.columns;
    Arrays.fill(columns, 0.0);
    float[] window = w.window;
    int first = 0;
    int next = 0;
    for (int i = 0; i < outFrames; i++) {
      int lo = lfr.source(i, 0, frames);
      int hi = lfr.source(i, lfr.m() - 1, frames);
      while (next <= hi) {
        int drop = Math.min(lo, next) - first;
        if (drop > 0) {
          System.arraycopy(window, drop * dim, window, 0, (next - first - drop) * dim);
          first += drop;
        }
        int count = Math.min(w.lanes, frames - next);
        int at = (next - first) * dim;
        base.computeFrames(w, numSamples, next, count, window, at);
        if (subtractMean) {
          for (int r = 0; r < count; r++) {
            for (int d = 0; d < dim; d++) {
              columns[d] += window[at + r * dim + d];
            }
          }
        }
        next += count;
      }
      lfr.stack(i, window, first, frames, dim, out, outOffset + i * outDim);
    }
    if (subtractMean && frames > 0) {
      for (int d = 0; d < dim; d++) {
        columns[d] /= frames;
      }
      int end = outOffset + outFrames * outDim;
      for (int o = outOffset; o < end; o += dim) {
        for (int d = 0; d < dim; d++) {
          out[o + d] = (float) (out[o + d] - columns[d]);
        }
      }
    }
  }

  @Override
  public String toString() {
    return base + " + " + lfr + " + " + cmvn;
  }
}
