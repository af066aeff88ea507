package io.github.tingxin.cli;

import io.github.tingxin.api.AudioFormat;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.util.Locale;

/**
 * The raw sample encodings {@code tingxin stream --raw} takes, by their {@code --encoding} names. Raw input
 * is decoded by sentiment-core's {@code PcmDecoder}, the decoder that also decodes WAV data. Immutable.
 */
enum RawFormat {
  /** Unsigned 8-bit PCM. */
  U8(AudioFormat.Encoding.PCM_UNSIGNED, 8),
  /** Signed 16-bit little-endian PCM. */
  S16LE(AudioFormat.Encoding.PCM_SIGNED, 16),
  /** Signed 24-bit little-endian PCM. */
  S24LE(AudioFormat.Encoding.PCM_SIGNED, 24),
  /** Signed 32-bit little-endian PCM. */
  S32LE(AudioFormat.Encoding.PCM_SIGNED, 32),
  /** IEEE float, 32-bit little-endian. */
  F32LE(AudioFormat.Encoding.IEEE_FLOAT, 32),
  /** IEEE float, 64-bit little-endian. */
  F64LE(AudioFormat.Encoding.IEEE_FLOAT, 64),
  /** G.711 mu-law. */
  MULAW(AudioFormat.Encoding.MU_LAW, 8),
  /** G.711 A-law. */
  ALAW(AudioFormat.Encoding.A_LAW, 8);

  private final AudioFormat.Encoding encoding;
  private final int bits;

  RawFormat(AudioFormat.Encoding encoding, int bits) {
    this.encoding = encoding;
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

  /** The format of a stream of this encoding whose samples run to the end of the input. */
  AudioFormat format(int sampleRate, int channels) {
    return new AudioFormat(encoding, sampleRate, channels, bits, channels * bits / 8, -1);
  }
}
