package io.github.tingxin.cli;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.util.Locale;

/**
 * Turns interleaved sample bytes as they arrive on standard input into mono floats at full scale 1.0:
 * one channel, or the average of all. Used by {@code tingxin stream} for raw PCM and for the data of a
 * WAV stream. Not thread-safe; allocation-free per call.
 */
final class PcmDecoder {
  /** Sample encodings of a byte stream. */
  enum Encoding {
    /** Unsigned 8-bit PCM (WAV's 8-bit). */
    U8(1),
    /** Signed 16-bit little-endian PCM. */
    S16LE(2),
    /** Signed 24-bit little-endian PCM. */
    S24LE(3),
    /** Signed 32-bit little-endian PCM. */
    S32LE(4),
    /** IEEE float 32-bit little-endian. */
    F32LE(4),
    /** IEEE float 64-bit little-endian. */
    F64LE(8),
    /** G.711 mu-law. */
    MULAW(1),
    /** G.711 A-law. */
    ALAW(1);

    final int bytes;

    Encoding(int bytes) {
      this.bytes = bytes;
    }

    /** Parses the names the CLI's {@code --encoding} takes (s16le, mulaw, alaw, f32le, ...). */
    static Encoding parse(String text) {
      String t = text.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
      return switch (t) {
        case "u8" -> U8;
        case "s16le" -> S16LE;
        case "s24le" -> S24LE;
        case "s32le" -> S32LE;
        case "f32le" -> F32LE;
        case "f64le" -> F64LE;
        case "mulaw", "ulaw" -> MULAW;
        case "alaw" -> ALAW;
        default -> throw new TingxinException(ErrorCode.INVALID_OPTION, "--encoding '" + text
            + "' is not one of s16le, mulaw, alaw, f32le (or u8, s24le, s32le, f64le)");
      };
    }
  }

  private static final float[] MULAW_TABLE = new float[256];
  private static final float[] ALAW_TABLE = new float[256];

  static {
    for (int i = 0; i < 256; i++) {
      MULAW_TABLE[i] = muLaw(i) / 32768f;
      ALAW_TABLE[i] = aLaw(i) / 32768f;
    }
  }

  private final Encoding encoding;
  private final int channels;
  private final int channel;
  private final int frameBytes;

  /**
   * @param channel the channel to keep (0-based), or -1 to average all channels
   * @throws TingxinException {@link ErrorCode#INVALID_CHANNEL} if {@code channel} is not below
   *     {@code channels}
   */
  PcmDecoder(Encoding encoding, int channels, int channel) {
    if (channels < 1) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "--channels must be at least 1, was " + channels);
    }
    if (channel < -1 || channel >= channels) {
      throw new TingxinException(ErrorCode.INVALID_CHANNEL, "channel " + channel + " does not exist: the input has "
          + channels + " channel(s), numbered from 0");
    }
    this.encoding = encoding;
    this.channels = channels;
    this.channel = channel;
    this.frameBytes = encoding.bytes * channels;
  }

  /** Bytes per frame (one sample of every channel). */
  int frameBytes() {
    return frameBytes;
  }

  /**
   * Decodes {@code frames} whole frames from {@code src} at {@code srcOffset} into {@code dst}.
   *
   * @throws TingxinException {@link ErrorCode#NON_FINITE_SAMPLE} for NaN or infinite float samples
   */
  void decode(byte[] src, int srcOffset, int frames, float[] dst) {
    int p = srcOffset;
    for (int f = 0; f < frames; f++) {
      if (channel >= 0) {
        dst[f] = sample(src, p + channel * encoding.bytes);
      } else {
        double sum = 0;
        for (int c = 0; c < channels; c++) {
          sum += sample(src, p + c * encoding.bytes);
        }
        dst[f] = (float) (sum / channels);
      }
      p += frameBytes;
    }
  }

  private float sample(byte[] b, int i) {
    return switch (encoding) {
      case U8 -> ((b[i] & 0xFF) - 128) / 128f;
      case S16LE -> (short) ((b[i] & 0xFF) | (b[i + 1] << 8)) / 32768f;
      case S24LE -> (((b[i] & 0xFF) | ((b[i + 1] & 0xFF) << 8) | (b[i + 2] << 16))) / 8388608f;
      case S32LE -> (float) (((b[i] & 0xFF) | ((b[i + 1] & 0xFF) << 8) | ((b[i + 2] & 0xFF) << 16) | (b[i + 3] << 24))
          / 2147483648.0);
      case F32LE -> finite(Float.intBitsToFloat((b[i] & 0xFF) | ((b[i + 1] & 0xFF) << 8) | ((b[i + 2] & 0xFF) << 16)
          | (b[i + 3] << 24)));
      case F64LE -> {
        long bits = 0;
        for (int k = 7; k >= 0; k--) {
          bits = (bits << 8) | (b[i + k] & 0xFF);
        }
        yield finite((float) Double.longBitsToDouble(bits));
      }
      case MULAW -> MULAW_TABLE[b[i] & 0xFF];
      case ALAW -> ALAW_TABLE[b[i] & 0xFF];
    };
  }

  private static float finite(float v) {
    if (!Float.isFinite(v)) {
      throw new TingxinException(ErrorCode.NON_FINITE_SAMPLE,
          "the input holds a NaN or infinite float sample; check --encoding and the source");
    }
    return v;
  }

  /** ITU-T G.711 mu-law to 16-bit linear (range +-32124). */
  static int muLaw(int code) {
    int u = ~code & 0xFF;
    int exponent = (u >> 4) & 0x07;
    int mantissa = u & 0x0F;
    int magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84;
    return (u & 0x80) != 0 ? -magnitude : magnitude;
  }

  /** ITU-T G.711 A-law to 16-bit linear (range +-32256). */
  static int aLaw(int code) {
    int a = (code ^ 0x55) & 0xFF;
    int exponent = (a >> 4) & 0x07;
    int mantissa = a & 0x0F;
    int magnitude = exponent == 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
    return (a & 0x80) != 0 ? magnitude : -magnitude;
  }
}
