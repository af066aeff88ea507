package io.github.tingxin.core.audio;

import io.github.tingxin.api.AudioFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * The sample encodings Tingxin reads and writes, in WAV files and as raw little-endian samples, each with
 * its de-interleaving decoder to floats of full scale 1.0 (the scaling of libsndfile and
 * {@code torchaudio.load}: integer / 2^(bits-1), unsigned 8-bit as (b - 128) / 128, G.711 as its 16-bit
 * value / 32768, floats as stored). The names are those of SoX and FFmpeg ({@code s16le}, {@code mulaw}),
 * which {@code tingxin stream --raw --encoding} takes. {@link PcmDecoder} decodes them (the tests'
 * {@code WavWriter} writes them).
 *
 * <p>Immutable and thread-safe.
 */
public enum PcmEncoding {
  /** Unsigned 8-bit integer PCM. */
  U8(AudioFormat.Encoding.PCM_UNSIGNED, 1),
  /** Signed 16-bit little-endian integer PCM. */
  S16LE(AudioFormat.Encoding.PCM_SIGNED, 2),
  /** Signed 24-bit little-endian integer PCM. */
  S24LE(AudioFormat.Encoding.PCM_SIGNED, 3),
  /** Signed 32-bit little-endian integer PCM. */
  S32LE(AudioFormat.Encoding.PCM_SIGNED, 4),
  /** IEEE 754 32-bit little-endian float. */
  F32LE(AudioFormat.Encoding.IEEE_FLOAT, 4),
  /** IEEE 754 64-bit little-endian float. */
  F64LE(AudioFormat.Encoding.IEEE_FLOAT, 8),
  /** ITU-T G.711 mu-law, 8 bits. */
  MULAW(AudioFormat.Encoding.MU_LAW, 1),
  /** ITU-T G.711 A-law, 8 bits. */
  ALAW(AudioFormat.Encoding.A_LAW, 1);

  final AudioFormat.Encoding encoding;
  final int bytes;

  PcmEncoding(AudioFormat.Encoding encoding, int bytes) {
    this.encoding = encoding;
    this.bytes = bytes;
  }

  /** The kind of sample. */
  public AudioFormat.Encoding encoding() {
    return encoding;
  }

  /** Bits per sample as stored. */
  public int bitsPerSample() {
    return bytes * 8;
  }

  /** The format of headerless samples of this encoding that run to the end of the input. */
  public AudioFormat format(int sampleRate, int channels) {
    return new AudioFormat(encoding, sampleRate, channels, bytes * 8, channels * bytes, -1);
  }

  /**
   * The encoding of samples of {@code encoding} stored in {@code bits} bits, where Tingxin has one (8-bit
   * integer PCM is unsigned; 16, 24 and 32-bit signed).
   */
  public static Optional<PcmEncoding> of(AudioFormat.Encoding encoding, int bits) {
    for (PcmEncoding e : values()) {
      if (e.encoding == encoding && e.bytes * 8 == bits) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /**
   * The encoding named {@code name}: its constant's name in any case, with {@code -} and {@code _} ignored
   * ({@code s16le}, {@code S16_LE}, {@code mu-law}); {@code ulaw} is {@link #MULAW}.
   *
   * @throws IllegalArgumentException naming the encodings there are
   */
  public static PcmEncoding parse(String name) {
    String n = name.toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
    if (n.equals("ULAW")) {
      return MULAW;
    }
    for (PcmEncoding e : values()) {
      if (e.name().equals(n)) {
        return e;
      }
    }
    throw new IllegalArgumentException("'" + name + "' is not one of s16le, mulaw, alaw, f32le (or u8, s24le, "
        + "s32le, f64le)");
  }

  boolean isFloat() {
    return this == F32LE || this == F64LE;
  }

  /**
   * Decodes {@code frames} interleaved frames of {@code channels} samples from {@code src} into
   * {@code dst[c][dstOffset ...]}.
   *
   * @return -1 if every sample is finite, else the interleaved index (within this call) of the first NaN or
   *     infinite sample (float encodings only, including float64 values beyond float range)
   */
  long decode(byte[] src, int frames, int channels, float[][] dst, int dstOffset) {
    int stride = channels * bytes;
    for (int c = 0; c < channels; c++) {
      float[] out = dst[c];
      int i = c * bytes;
      switch (this) {
        case U8 -> {
          for (int f = 0; f < frames; f++, i += stride) {
            out[dstOffset + f] = ((src[i] & 0xFF) - 128) * (1f / 128f);
          }
        }
        case S16LE -> {
          for (int f = 0; f < frames; f++, i += stride) {
            out[dstOffset + f] = (short) ((src[i] & 0xFF) | (src[i + 1] << 8)) * (1f / 32768f);
          }
        }
        case S24LE -> {
          for (int f = 0; f < frames; f++, i += stride) {
            int v = (src[i] & 0xFF) | ((src[i + 1] & 0xFF) << 8) | (src[i + 2] << 16);
            out[dstOffset + f] = v * (1f / 8388608f);
          }
        }
        case S32LE -> {
          for (int f = 0; f < frames; f++, i += stride) {
            out[dstOffset + f] = (float) int32(src, i) * (1f / 2147483648f);
          }
        }
        case F32LE -> {
          for (int f = 0; f < frames; f++, i += stride) {
            out[dstOffset + f] = Float.intBitsToFloat(int32(src, i));
          }
        }
        case F64LE -> {
          for (int f = 0; f < frames; f++, i += stride) {
            long bits = (int32(src, i) & 0xFFFFFFFFL) | ((long) int32(src, i + 4) << 32);
            out[dstOffset + f] = (float) Double.longBitsToDouble(bits);
          }
        }
        case MULAW -> {
          for (int f = 0; f < frames; f++, i += stride) {
            out[dstOffset + f] = G711.muLawToLinear(src[i]) * (1f / 32768f);
          }
        }
        case ALAW -> {
          for (int f = 0; f < frames; f++, i += stride) {
            out[dstOffset + f] = G711.aLawToLinear(src[i]) * (1f / 32768f);
          }
        }
      }
    }
    return isFloat() ? firstNonFinite(frames, channels, dst, dstOffset) : -1;
  }

  private static long firstNonFinite(int frames, int channels, float[][] dst, int dstOffset) {
    // Cheap scan per channel first (x - x is 0 only for finite x); locate precisely only on a hit.
    boolean any = false;
    for (int c = 0; c < channels && !any; c++) {
      float[] out = dst[c];
      float acc = 0f;
      for (int f = 0; f < frames; f++) {
        float x = out[dstOffset + f];
        acc += x - x;
      }
      any = acc != 0f || Float.isNaN(acc);
    }
    if (!any) {
      return -1;
    }
    for (int f = 0; f < frames; f++) {
      for (int c = 0; c < channels; c++) {
        if (!Float.isFinite(dst[c][dstOffset + f])) {
          return (long) f * channels + c;
        }
      }
    }
    return -1;
  }

  private static int int32(byte[] b, int i) {
    return (b[i] & 0xFF) | ((b[i + 1] & 0xFF) << 8) | ((b[i + 2] & 0xFF) << 16) | (b[i + 3] << 24);
  }
}
