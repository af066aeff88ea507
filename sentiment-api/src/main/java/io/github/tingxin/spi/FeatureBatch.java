package io.github.tingxin.spi;

import io.github.tingxin.api.ModelManifest.Layout;
import java.util.Objects;

/**
 * A batch of feature matrices padded to one time length, laid out as the model's input wants.
 *
 * <p>The array is owned by the holder; {@link #of} copies into a fresh one. Not defensively copied
 * afterwards, for speed: treat it as read-only.
 *
 * @param data the padded tensor, row-major in {@code layout}
 * @param layout the tensor layout
 * @param batchSize number of items
 * @param frames padded time length (samples for {@link Layout#BATCH_TIME})
 * @param dim values per frame (1 for {@link Layout#BATCH_TIME})
 * @param lengths valid time length of each item, before padding
 */
public record FeatureBatch(float[] data, Layout layout, int batchSize, int frames, int dim, long[] lengths) {

  /** @throws IllegalArgumentException if the sizes disagree */
  public FeatureBatch {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(lengths, "lengths");
    if (batchSize < 1 || frames < 1 || dim < 1 || lengths.length != batchSize
        || (long) batchSize * frames * dim != data.length) {
      throw new IllegalArgumentException("inconsistent batch: " + batchSize + " x " + frames + " x " + dim
          + " with " + data.length + " values and " + lengths.length + " lengths");
    }
    if (layout == Layout.BATCH_TIME && dim != 1) {
      throw new IllegalArgumentException("BATCH_TIME needs dim 1, got " + dim);
    }
  }

  /**
   * Pads {@code items} with zeros to a common length (the longest item, or {@code fixedFrames} where
   * positive, cutting longer items) and lays them out.
   *
   * @throws IllegalArgumentException if items differ in dim or the list is empty
   */
  public static FeatureBatch of(java.util.List<Features> items, Layout layout, int fixedFrames) {
    if (items.isEmpty()) {
      throw new IllegalArgumentException("empty batch");
    }
    int dim = items.get(0).dim();
    int maxFrames = 0;
    for (Features f : items) {
      if (f.dim() != dim) {
        throw new IllegalArgumentException("items differ in dim: " + dim + " vs " + f.dim());
      }
      maxFrames = Math.max(maxFrames, f.frames());
    }
    int frames = fixedFrames > 0 ? fixedFrames : Math.max(1, maxFrames);
    int b = items.size();
    float[] data = new float[b * frames * dim];
    long[] lengths = new long[b];
    for (int i = 0; i < b; i++) {
      Features f = items.get(i);
      int n = Math.min(f.frames(), frames);
      lengths[i] = n;
      if (layout == Layout.BATCH_FEATURE_TIME) {
        int base = i * frames * dim;
        for (int t = 0; t < n; t++) {
          for (int d = 0; d < dim; d++) {
            data[base + d * frames + t] = f.data()[t * dim + d];
          }
        }
      } else {
        System.arraycopy(f.data(), 0, data, i * frames * dim, n * dim);
      }
    }
    return new FeatureBatch(data, layout, b, frames, dim, lengths);
  }
}
