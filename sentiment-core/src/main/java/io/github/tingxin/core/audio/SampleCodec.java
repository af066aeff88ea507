package io.github.tingxin.core.audio;

import io.github.tingxin.api.AudioFormat;

/**
 * The sample layouts {@link PcmDecoder} decodes, each with its de-interleaving decoder to floats of full
 * scale 1.0 (the scaling of libsndfile and {@code torchaudio.load}: integer / 2^(bits-1), unsigned 8-bit
 * as (b - 128) / 128, G.711 as its 16-bit value / 32768). Stateless and thread-safe.
 */
enum SampleCodec {
  PCM_U8(AudioFormat.Encoding.PCM_UNSIGNED, 1),
  PCM_S16(AudioFormat.Encoding.PCM_SIGNED, 2),
  PCM_S24(AudioFormat.Encoding.PCM_SIGNED, 3),
  PCM_S32(AudioFormat.Encoding.PCM_SIGNED, 4),
  FLOAT_32(AudioFormat.Encoding.IEEE_FLOAT, 4),
  FLOAT_64(AudioFormat.Encoding.IEEE_FLOAT, 8),
  MU_LAW(AudioFormat.Encoding.MU_LAW, 1),
  A_LAW(AudioFormat.Encoding.A_LAW, 1);

  final AudioFormat.Encoding encoding;
  final int bytes;

  SampleCodec(AudioFormat.Encoding encoding, int bytes) {
    this.encoding = encoding;
    this.bytes = bytes;
  }

  /**
   * The codec of samples of {@code encoding} stored in {@code bits} bits, or null where Tingxin has none
   * (8-bit integer PCM is unsigned; 16, 24 and 32-bit is signed).
   */
  static SampleCodec of(AudioFormat.Encoding encoding, int bits) {
    return switch (encoding) {
      case PCM_UNSIGNED -> bits == 8 ? PCM_U8 : null;
      case PCM_SIGNED -> switch (bits) {
        case 16 -> PCM_S16;
        case 24 -> PCM_S24;
        case 32 -> PCM_S32;
        default -> null;
      };
      case IEEE_FLOAT -> bits == 32 ? FLOAT_32 : bits == 64 ? FLOAT_64 : null;
      case MU_LAW -> bits == 8 ? MU_LAW : null;
      case A_LAW -> bits == 8 ? A_LAW : null;
    };
  }

  boolean isFloat() {
    return this == FLOAT_32 || this == FLOAT_64;
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
        case PCM_U8 -> {
          for (int f = 0; f < frames; f++, i += stride) {
            out[dstOffset + f] = ((src[i] & 0xFF) - 128) * (1f / 128f);
          }
        }
        case PCM_S16 -> {
          for (int f = 0; f < frames; f++, i += stride) {
            out[dstOffset + f] = (short) ((src[i] & 0xFF) | (src[i + 1] << 8)) * (1f / 32768f);
          }
        }
        case PCM_S24 -> {
          for (int f = 0; f < frames; f++, i += stride) {
            int v = (src[i] & 0xFF) | ((src[i + 1] & 0xFF) << 8) | (src[i + 2] << 16);
            out[dstOffset + f] = v * (1f / 8388608f);
          }
        }
        case PCM_S32 -> {
          for (int f = 0; f < frames; f++, i += stride) {
            out[dstOffset + f] = (float) int32(src, i) * (1f / 2147483648f);
          }
        }
        case FLOAT_32 -> {
          for (int f = 0; f < frames; f++, i += stride) {
            out[dstOffset + f] = Float.intBitsToFloat(int32(src, i));
          }
        }
        case FLOAT_64 -> {
          for (int f = 0; f < frames; f++, i += stride) {
            long bits = (int32(src, i) & 0xFFFFFFFFL) | ((long) int32(src, i + 4) << 32);
            out[dstOffset + f] = (float) Double.longBitsToDouble(bits);
          }
        }
        case MU_LAW -> {
          for (int f = 0; f < frames; f++, i += stride) {
            out[dstOffset + f] = G711.muLawToLinear(src[i]) * (1f / 32768f);
          }
        }
        case A_LAW -> {
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
