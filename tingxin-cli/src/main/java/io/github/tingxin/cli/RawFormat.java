package io.github.tingxin.cli;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The raw sample encodings {@code tingxin stream --raw} takes. Raw input is decoded by sentiment-core's
 * {@code WavReader}, behind a WAV header made here whose data size says "to the end of the stream", so
 * raw and WAV input share one decoder. Immutable.
 */
enum RawFormat {
  /** Unsigned 8-bit PCM. */
  U8(1, 8),
  /** Signed 16-bit little-endian PCM. */
  S16LE(1, 16),
  /** Signed 24-bit little-endian PCM. */
  S24LE(1, 24),
  /** Signed 32-bit little-endian PCM. */
  S32LE(1, 32),
  /** IEEE float, 32-bit little-endian. */
  F32LE(3, 32),
  /** IEEE float, 64-bit little-endian. */
  F64LE(3, 64),
  /** G.711 mu-law. */
  MULAW(7, 8),
  /** G.711 A-law. */
  ALAW(6, 8);

  private final int formatTag;
  private final int bits;

  RawFormat(int formatTag, int bits) {
    this.formatTag = formatTag;
    this.bits = bits;
  }

  /**
   * Parses what {@code --encoding} takes.
   *
   * @throws TingxinException {@link ErrorCode#INVALID_OPTION} for anything else
   */
  static RawFormat parse(String text) {
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

  /** A 44-byte WAV header for a stream of this encoding whose data runs to the end of the input. */
  byte[] streamHeader(int sampleRate, int channels) {
    int blockAlign = channels * bits / 8;
    ByteBuffer b = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(-1).put("WAVE".getBytes(StandardCharsets.US_ASCII));
    b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) formatTag)
        .putShort((short) channels).putInt(sampleRate).putInt(sampleRate * blockAlign)
        .putShort((short) blockAlign).putShort((short) bits);
    b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(-1); // 0xFFFFFFFF: to the end of the stream
    return b.array();
  }
}
