package io.github.tingxin.spi;

import java.util.Objects;

/**
 * A feature matrix: {@code frames} rows of {@code dim} values, row-major. Raw waveform features have
 * {@code dim == 1} and one row per sample.
 *
 * <p>The array is owned by whoever holds the {@code Features}; extractors hand out a fresh array per
 * call, so it may be kept. Effectively immutable where holders do not write to {@link #data()}; not
 * defensively copied, for speed.
 *
 * @param data {@code frames * dim} values, row-major
 * @param frames number of rows (time steps)
 * @param dim values per row
 */
public record Features(float[] data, int frames, int dim) {
  /** @throws IllegalArgumentException if the sizes do not match the array */
  public Features {
    Objects.requireNonNull(data, "data");
    if (frames < 0 || dim < 1 || (long) frames * dim != data.length) {
      throw new IllegalArgumentException("features of " + frames + " x " + dim + " need " + ((long) frames * dim)
          + " values, got " + data.length);
    }
  }

  /** The value at {@code (frame, d)}. */
  public float get(int frame, int d) {
    return data[frame * dim + d];
  }

  /** A copy of row {@code frame}. */
  public float[] row(int frame) {
    float[] r = new float[dim];
    System.arraycopy(data, frame * dim, r, 0, dim);
    return r;
  }
}
