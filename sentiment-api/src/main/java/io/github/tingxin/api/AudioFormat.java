package io.github.tingxin.api;

import java.util.Objects;

/**
 * How audio is encoded in a file or stream, as read from its header.
 *
 * <p>Immutable and thread-safe.
 *
 * @param encoding the sample encoding
 * @param sampleRate frames per second, in hertz
 * @param channels number of interleaved channels, at least 1
 * @param bitsPerSample bits of each sample as stored (8 for G.711, 32 or 64 for float)
 * @param blockAlign bytes per frame (all channels of one sample instant)
 * @param frames number of frames in the data, or -1 where the header does not say (streamed recordings)
 */
public record AudioFormat(Encoding encoding, int sampleRate, int channels, int bitsPerSample, int blockAlign,
    long frames) {

  /** The sample encodings Tingxin decodes. */
  public enum Encoding {
    /** Unsigned integer PCM (8-bit WAV). */
    PCM_UNSIGNED,
    /** Two's-complement little-endian integer PCM (16, 24, 32 bit). */
    PCM_SIGNED,
    /** IEEE 754 little-endian float (32 or 64 bit). */
    IEEE_FLOAT,
    /** ITU-T G.711 mu-law (North American and Japanese telephony). */
    MU_LAW,
    /** ITU-T G.711 A-law (European and Chinese telephony). */
    A_LAW
  }

  /**
   * @throws NullPointerException if {@code encoding} is null
   * @throws IllegalArgumentException if a number is out of range
   */
  public AudioFormat {
    Objects.requireNonNull(encoding, "encoding");
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sampleRate must be positive: " + sampleRate);
    }
    if (channels <= 0) {
      throw new IllegalArgumentException("channels must be positive: " + channels);
    }
    if (bitsPerSample <= 0 || blockAlign <= 0) {
      throw new IllegalArgumentException("bitsPerSample and blockAlign must be positive");
    }
    if (frames < -1) {
      throw new IllegalArgumentException("frames must be -1 (unknown) or non-negative: " + frames);
    }
  }

  /** Duration in seconds, or -1 where the number of frames is unknown. */
  public double durationSeconds() {
    return frames < 0 ? -1 : frames / (double) sampleRate;
  }
}
