package io.github.tingxin.core.audio;

import io.github.tingxin.api.AudioFormat;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;

/**
 * Decoded audio read in blocks, whatever its container: a WAV file or stream ({@link WavReader}) or raw
 * interleaved samples ({@link PcmDecoder}). Memory stays bounded for any length: the caller owns the float
 * buffers, and the reader decodes through one byte buffer of about 64 KiB.
 *
 * <p>Size caller buffers with {@link #blockFrames()}: blocks of that many frames per channel stay in
 * proportion to the reader's byte buffer whatever the channel count, where a fixed number of frames times
 * a header's channel count would not.
 *
 * <p>Not thread-safe: use a reader from one thread at a time.
 */
public interface SampleReader extends AutoCloseable {

  /**
   * The format. {@link AudioFormat#frames()} is the number of frames declared, or -1 where the data runs to
   * the end of the input; {@link AudioFormat#encoding()} and {@link AudioFormat#bitsPerSample()} describe
   * the samples as stored.
   */
  AudioFormat format();

  /**
   * How many frames one step decodes from the reader's byte buffer (at least 1): the size to give each
   * channel's array of a block, so that a block's memory does not grow with the channel count.
   */
  int blockFrames();

  /**
   * Reads up to {@code frames} frames into {@code channels[c][offset ...]}, one array per channel. Fewer
   * frames are read only at the end of the data.
   *
   * @param channels one array per channel of the format (at least {@link AudioFormat#channels()} arrays;
   *     extra arrays are left alone)
   * @param offset where the first frame goes in each array
   * @param frames the most frames to read
   * @return the number of frames read, or -1 at the end of the data (when {@code frames > 0})
   * @throws NullPointerException if {@code channels} or one of its arrays is null
   * @throws IndexOutOfBoundsException if there are too few arrays or a range is out of bounds
   * @throws IllegalStateException if the reader is closed, or an earlier read threw (after a
   *     {@link TingxinException} the reader can only be closed; frames it decoded in the failing call are
   *     not counted)
   * @throws TingxinException {@link ErrorCode#DATA_TRUNCATED} (strict), {@link ErrorCode#NON_FINITE_SAMPLE},
   *     {@link ErrorCode#AUDIO_TOO_LONG}, {@link ErrorCode#INCONSISTENT_FORMAT} (a WAV file's second data
   *     chunk, found when the first ends) or {@link ErrorCode#IO_ERROR}
   */
  int read(float[][] channels, int offset, int frames);

  /** Frames delivered so far. */
  long framesRead();

  /** Whether the end of the data has been reached. */
  boolean finished();

  /**
   * Whether the data ended early (lenient reading only; strict reading throws instead). Meaningful once
   * {@link #finished()}.
   */
  boolean truncated();

  /** How many bytes of the declared data (or of the last frame) were missing, where {@link #truncated()}; else 0. */
  long missingBytes();

  /** Closes what the reader opened (a file); a caller's stream is left open. Idempotent. */
  @Override
  void close();
}
