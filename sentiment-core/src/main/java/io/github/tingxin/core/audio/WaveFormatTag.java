package io.github.tingxin.core.audio;

import io.github.tingxin.api.AudioFormat;
import java.util.Locale;

/**
 * The one table of WAVE format tags ({@code wFormatTag} of the {@code fmt } chunk, and the first two bytes of
 * a {@code WAVE_FORMAT_EXTENSIBLE} sub-format GUID): the tags Tingxin decodes and writes, and the names of
 * the common ones it does not, for messages. {@link WavHeaderParser} reads with it and the tests' {@code WavWriter}
 * writes with it. Stateless and thread-safe.
 */
final class WaveFormatTag {
  static final int PCM = 0x0001;
  static final int IEEE_FLOAT = 0x0003;
  static final int ALAW = 0x0006;
  static final int MULAW = 0x0007;
  static final int EXTENSIBLE = 0xFFFE;

  /** The 14 bytes that follow the format tag in every KSDATAFORMAT_SUBTYPE_* GUID of a WAVE format. */
  static final byte[] SUBFORMAT_GUID_TAIL = {
      0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71};

  private WaveFormatTag() {}

  /** The tag that stores {@code encoding}. */
  static int of(AudioFormat.Encoding encoding) {
    return switch (encoding) {
      case PCM_SIGNED, PCM_UNSIGNED -> PCM;
      case IEEE_FLOAT -> IEEE_FLOAT;
      case MU_LAW -> MULAW;
      case A_LAW -> ALAW;
    };
  }

  /**
   * The encoding a (non-EXTENSIBLE) tag stores in samples of {@code bits} bits, or null for a tag Tingxin
   * does not decode. WAV's integer PCM is unsigned in 8 bits and signed in more.
   */
  static AudioFormat.Encoding encoding(int tag, int bits) {
    return switch (tag) {
      case PCM -> bits == 8 ? AudioFormat.Encoding.PCM_UNSIGNED : AudioFormat.Encoding.PCM_SIGNED;
      case IEEE_FLOAT -> AudioFormat.Encoding.IEEE_FLOAT;
      case MULAW -> AudioFormat.Encoding.MU_LAW;
      case ALAW -> AudioFormat.Encoding.A_LAW;
      default -> null;
    };
  }

  /** "IMA ADPCM (0x0011)": the name of a tag, for messages. */
  static String name(int tag) {
    String known = switch (tag) {
      case 0x0000 -> "Unknown format";
      case PCM -> "Integer PCM";
      case 0x0002 -> "Microsoft ADPCM";
      case IEEE_FLOAT -> "IEEE float";
      case ALAW -> "G.711 A-law";
      case MULAW -> "G.711 mu-law";
      case 0x0011 -> "IMA ADPCM";
      case 0x0014 -> "G.723 ADPCM";
      case 0x0022 -> "DSP Group TrueSpeech";
      case 0x0031 -> "GSM 6.10";
      case 0x0040 -> "G.721 ADPCM";
      case 0x0042 -> "G.723.1";
      case 0x0045 -> "G.726 ADPCM";
      case 0x0050 -> "MPEG audio";
      case 0x0055 -> "MPEG Layer 3 (MP3)";
      case 0x0064 -> "G.726 ADPCM";
      case 0x0065 -> "G.722 ADPCM";
      case 0x0092 -> "Dolby AC-3 S/PDIF";
      case 0x00FF, 0x1610, 0x4143, 0xA106 -> "AAC";
      case 0x0160, 0x0161 -> "Windows Media Audio";
      case 0x0162 -> "Windows Media Audio Pro";
      case 0x0163 -> "Windows Media Audio Lossless";
      case 0x2000 -> "Dolby AC-3";
      case 0x674F, 0x6750, 0x6751 -> "Ogg Vorbis";
      case 0xF1AC -> "FLAC";
      case EXTENSIBLE -> "WAVE_FORMAT_EXTENSIBLE";
      default -> "WAVE format";
    };
    return known + String.format(Locale.ROOT, " (0x%04X)", tag);
  }
}
