package io.github.tingxin.core.segment;

/**
 * The most recent samples of a stream, addressed by their absolute index since the start of the stream.
 * Fixed capacity, no allocation after construction. Not thread-safe.
 */
final class SampleRing {
  private final float[] ring;
  private long written;

  SampleRing(int capacity) {
    this.ring = new float[capacity];
  }

  /** Samples written since the start. */
  long written() {
    return written;
  }

  /** Oldest absolute index still held. */
  long oldest() {
    return Math.max(0, written - ring.length);
  }

  void write(float[] samples, int offset, int length) {
    if (length >= ring.length) {
      int skip = length - ring.length;
      written += skip;
      offset += skip;
      length = ring.length;
    }
    int pos = (int) (written % ring.length);
    int first = Math.min(length, ring.length - pos);
    System.arraycopy(samples, offset, ring, pos, first);
    System.arraycopy(samples, offset + first, ring, 0, length - first);
    written += length;
  }

  /** Copies samples {@code [from, to)} into a fresh array. */
  float[] copy(long from, long to) {
    if (from < oldest() || to > written || from > to) {
      throw new IllegalStateException("samples " + from + ".." + to + " are not held (held: " + oldest() + ".."
          + written + ")");
    }
    float[] out = new float[(int) (to - from)];
    int pos = (int) (from % ring.length);
    int first = Math.min(out.length, ring.length - pos);
    System.arraycopy(ring, pos, out, 0, first);
    System.arraycopy(ring, 0, out, first, out.length - first);
    return out;
  }
}
