package io.github.tingxin.cli;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a WAV header from a stream up to the start of its {@code data} chunk, leaving the stream there,
 * so that {@code tingxin stream} can decode the samples as they arrive. Streamed WAV (a pipe from
 * {@code sox} or {@code ffmpeg}) often declares a data size of 0 or 0xFFFFFFFF; the data then runs to the
 * end of the stream.
 *
 * @param encoding how samples are stored
 * @param sampleRate frames per second
 * @param channels interleaved channels
 * @param dataBytes bytes of sample data, or -1 to read to the end of the stream
 */
record WavStreamHeader(PcmDecoder.Encoding encoding, int sampleRate, int channels, long dataBytes) {

  /**
   * Reads the header.
   *
   * @throws TingxinException {@link ErrorCode#NOT_RIFF_WAVE}, {@link ErrorCode#HEADER_TRUNCATED},
   *     {@link ErrorCode#MISSING_FMT_CHUNK}, {@link ErrorCode#UNSUPPORTED_ENCODING},
   *     {@link ErrorCode#INCONSISTENT_FORMAT}, {@link ErrorCode#IO_ERROR}
   */
  static WavStreamHeader read(InputStream in) {
    try {
      byte[] riff = readFully(in, 12, "the RIFF header");
      if (!ascii(riff, 0, "RIFF") || !ascii(riff, 8, "WAVE")) {
        throw new TingxinException(ErrorCode.NOT_RIFF_WAVE, "standard input is not a RIFF/WAVE stream; for raw "
            + "samples use --raw with --rate and --encoding");
      }
      PcmDecoder.Encoding encoding = null;
      int rate = 0;
      int channels = 0;
      while (true) {
        byte[] chunk = readFully(in, 8, "a chunk header");
        long size = u32(chunk, 4);
        if (ascii(chunk, 0, "fmt ")) {
          if (size < 16 || size > 1024) {
            throw new TingxinException(ErrorCode.INCONSISTENT_FORMAT, "the fmt chunk has size " + size);
          }
          byte[] fmt = readFully(in, (int) size, "the fmt chunk");
          int tag = u16(fmt, 0);
          channels = u16(fmt, 2);
          rate = (int) u32(fmt, 4);
          int blockAlign = u16(fmt, 12);
          int bits = u16(fmt, 14);
          if (tag == 0xFFFE && size >= 26) {
            tag = u16(fmt, 24); // WAVE_FORMAT_EXTENSIBLE: the sub-format GUID starts with the real tag
          }
          encoding = encoding(tag, bits);
          if (channels < 1 || rate < 1 || blockAlign != channels * encoding.bytes) {
            throw new TingxinException(ErrorCode.INCONSISTENT_FORMAT, "the WAV header contradicts itself ("
                + channels + " channels, " + bits + " bits, block align " + blockAlign + ", " + rate + " Hz)");
          }
          skip(in, size & 1);
        } else if (ascii(chunk, 0, "data")) {
          if (encoding == null) {
            throw new TingxinException(ErrorCode.MISSING_FMT_CHUNK, "the WAV stream has no fmt chunk before its data");
          }
          long data = size == 0 || size == 0xFFFFFFFFL ? -1 : size;
          return new WavStreamHeader(encoding, rate, channels, data);
        } else {
          skip(in, size + (size & 1));
        }
      }
    } catch (IOException e) {
      throw new TingxinException(ErrorCode.IO_ERROR, "cannot read standard input: " + e.getMessage(), e);
    }
  }

  private static PcmDecoder.Encoding encoding(int tag, int bits) {
    PcmDecoder.Encoding e = switch (tag) {
      case 1 -> switch (bits) {
        case 8 -> PcmDecoder.Encoding.U8;
        case 16 -> PcmDecoder.Encoding.S16LE;
        case 24 -> PcmDecoder.Encoding.S24LE;
        case 32 -> PcmDecoder.Encoding.S32LE;
        default -> null;
      };
      case 3 -> bits == 32 ? PcmDecoder.Encoding.F32LE : bits == 64 ? PcmDecoder.Encoding.F64LE : null;
      case 6 -> bits == 8 ? PcmDecoder.Encoding.ALAW : null;
      case 7 -> bits == 8 ? PcmDecoder.Encoding.MULAW : null;
      default -> null;
    };
    if (e == null) {
      throw new TingxinException(ErrorCode.UNSUPPORTED_ENCODING, String.format(java.util.Locale.ROOT,
          "WAV format tag 0x%04X with %d bits is not supported; convert to 16-bit PCM (e.g. sox in.wav -b 16 "
              + "-e signed-integer out.wav)", tag, bits));
    }
    return e;
  }

  private static byte[] readFully(InputStream in, int n, String what) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw new TingxinException(ErrorCode.HEADER_TRUNCATED, "standard input ended inside " + what
          + " of the WAV stream");
    }
    return b;
  }

  private static void skip(InputStream in, long n) throws IOException {
    long left = n;
    while (left > 0) {
      byte[] b = in.readNBytes((int) Math.min(left, 8192));
      if (b.length == 0) {
        throw new TingxinException(ErrorCode.HEADER_TRUNCATED, "standard input ended inside a WAV chunk");
      }
      left -= b.length;
    }
  }

  private static boolean ascii(byte[] b, int off, String s) {
    for (int i = 0; i < 4; i++) {
      if (b[off + i] != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static int u16(byte[] b, int off) {
    return (b[off] & 0xFF) | ((b[off + 1] & 0xFF) << 8);
  }

  private static long u32(byte[] b, int off) {
    return (b[off] & 0xFFL) | ((b[off + 1] & 0xFFL) << 8) | ((b[off + 2] & 0xFFL) << 16) | ((b[off + 3] & 0xFFL) << 24);
  }
}
