package io.github.tingxin.core.features;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.util.Objects;

/** Argument checks that every extractor's array methods share. Stateless. */
final class Extraction {
  private Extraction() {}

  /**
   * @return {@code length}
   * @throws NullPointerException if {@code samples} is null
   * @throws IndexOutOfBoundsException if the range is outside the array
   */
  static int checkRange(float[] samples, int offset, int length) {
    Objects.requireNonNull(samples, "samples");
    Objects.checkFromIndexSize(offset, length, samples.length);
    return length;
  }

  /**
   * @throws NullPointerException if {@code out} is null
   * @throws IndexOutOfBoundsException if {@code frames * dim} values do not fit from {@code outOffset}
   */
  static void checkOutput(float[] out, int outOffset, int frames, int dim) {
    Objects.requireNonNull(out, "out");
    long size = (long) frames * dim;
    if (outOffset < 0 || outOffset > out.length || size > out.length - outOffset) {
      throw new IndexOutOfBoundsException("the output needs " + size + " values from offset " + outOffset
          + ", but the array has " + out.length);
    }
  }

  /**
   * The size of an array of {@code frames * dim} values.
   *
   * @throws TingxinException {@link ErrorCode#AUDIO_TOO_LONG} if it exceeds what one Java array holds
   */
  static int outputSize(int frames, int dim) {
    long size = (long) frames * dim;
    if (size > Integer.MAX_VALUE - 8) {
      throw new TingxinException(ErrorCode.AUDIO_TOO_LONG, "The features of this audio (" + frames + " frames of "
          + dim + " values) do not fit one array; analyse it in shorter pieces.");
    }
    return (int) size;
  }
}
