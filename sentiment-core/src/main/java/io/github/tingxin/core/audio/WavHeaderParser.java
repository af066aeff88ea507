package io.github.tingxin.core.audio;

import io.github.tingxin.api.AudioFormat;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Parses the header of a RIFF/WAVE file: walks the chunks up to the audio data, reads and checks the
 * {@code fmt } chunk (classic or {@code WAVE_FORMAT_EXTENSIBLE}), and says where the data is and how it is
 * encoded. {@link WavReader} then decodes the data with a {@link PcmDecoder}.
 *
 * <p>What a header claims allocates nothing: unknown chunks are skipped (seeking in a file, reading past
 * them in a stream, whatever their size); a data chunk before the {@code fmt} chunk is found by seeking in a
 * file, and held from a stream only up to {@value #MAX_HELD_BEFORE_FMT} bytes, grown as bytes arrive; a
 * channel count over {@link WavReader.Options#maxChannels()} is refused (by the {@link PcmDecoder}) before
 * any buffer is sized by it.
 * A second {@code data} chunk is refused ({@link #checkNoSecondData}), not silently ignored.
 *
 * <p>One parser reads one header; not thread-safe.
 */
final class WavHeaderParser {
  /** The largest {@code fmt} chunk read; larger ones are malformed. */
  private static final int MAX_FMT_SIZE = 1 << 16;
  /**
   * The most data held in memory when a stream puts its data chunk before the fmt chunk (8 MiB: 4.4
   * minutes of 16-bit mono at 16 kHz). Files need no such limit: the data is found again by seeking.
   */
  static final int MAX_HELD_BEFORE_FMT = 8 << 20;

  /**
   * What the header says, and where the data is.
   *
   * @param encoding how samples are stored
   * @param sampleRate frames per second
   * @param channels channels per frame
   * @param blockAlign bytes per frame
   * @param dataSize bytes of data the chunk declares, or -1 where it runs to the end of the input
   * @param heldData the data, where a stream put it before the fmt chunk; else null (read it from the source)
   * @param heldLength how many bytes of {@code heldData} hold data
   */
  record WavHeader(PcmEncoding encoding, int sampleRate, int channels, int blockAlign, long dataSize, byte[] heldData,
      int heldLength) {}

  /** The parsed {@code fmt } chunk. */
  private record Fmt(PcmEncoding encoding, int sampleRate, int channels, int blockAlign) {}

  private final String name;
  private final ByteSource in;
  private final WavReader.Options options;
  private final byte[] b8 = new byte[12];
  /**
   * Where the header walk ended when a file's data chunk came before its fmt chunk (the reader then seeks
   * back to the data); -1 otherwise. The chunks between the data and this point were walked by
   * {@link #parse()}, so the check for a second data chunk resumes here, as it does in a stream, where the
   * walk goes on from the same point: file and stream walk the same chunks by the same rules.
   */
  private long walkedTo = -1;

  WavHeaderParser(String name, ByteSource in, WavReader.Options options) {
    this.name = name;
    this.in = in;
    this.options = options;
  }

  /** Reads up to the data; the source is then at the first data byte (unless the data is held). */
  WavHeader parse() throws IOException {
    int n = in.readFully(b8, 0, 12);
    checkMagic(n);
    Fmt fmt = null;
    long dataOffset = -1;
    long dataSize = 0;
    byte[] held = null;
    int heldLength = 0;
    while (true) {
      long chunkStart = in.position();
      n = in.readFully(b8, 0, 8);
      if (n < 8) {
        if (n > 0) {
          throw fail(ErrorCode.HEADER_TRUNCATED, "the input ends inside a chunk header at byte " + chunkStart
              + " (" + n + " of 8 bytes); the file is cut short. Re-copy or re-export it.");
        }
        throw missingChunk(fmt, dataOffset >= 0, null);
      }
      String id = new String(b8, 0, 4, StandardCharsets.ISO_8859_1);
      long size = uint32(b8, 4);
      if (id.equals("fmt ")) {
        if (fmt != null) {
          throw fail(ErrorCode.INCONSISTENT_FORMAT, "it has two fmt chunks; a WAV file has exactly one.");
        }
        fmt = parseFmt(size);
        if (dataOffset >= 0) {
          if (held == null) {
            walkedTo = in.position();
            in.seek(dataOffset);
          }
          return header(fmt, dataSize, held, heldLength);
        }
      } else if (id.equals("data")) {
        boolean toEnd = size == 0 || size == 0xFFFFFFFFL;
        if (fmt != null) {
          return header(fmt, toEnd ? -1 : size, null, 0);
        }
        if (dataOffset >= 0) {
          throw secondData(chunkStart);
        }
        if (toEnd) {
          throw fail(ErrorCode.MISSING_FMT_CHUNK, "the data chunk runs to the end of the input and no fmt chunk "
              + "comes before it, so the encoding is unknown. Re-export the file with a standard writer.");
        }
        dataOffset = in.position();
        dataSize = size;
        if (in.seekable()) {
          skipChunk(id, size, null, true);
        } else {
          held = holdDataBeforeFmt(size);
          heldLength = (int) Math.min(size, held.length);
        }
      } else {
        skipChunk(id, size, fmt, dataOffset >= 0);
      }
    }
  }

  /**
   * Called when the declared data has been read: walks the chunks after it (seeking in a file, reading past
   * them in a stream) and refuses a second {@code data} chunk, which a WAV file must not have and whose audio
   * would otherwise be silently left out. The walk stops quietly at the end of the input, at a cut chunk, and
   * at bytes that are not a chunk header (trailing padding or junk, which loses no audio). Where a file's data
   * came before its fmt chunk, the walk starts after the fmt chunk, as it does in a stream: the header walk
   * already went through the chunks in between.
   *
   * @param padByte whether the source is at an odd-sized data chunk's pad byte
   */
  void checkNoSecondData(boolean padByte) throws IOException {
    if (walkedTo >= 0) {
      in.seek(walkedTo);
    } else if (padByte && in.skip(1) < 1) {
      return;
    }
    while (true) {
      long at = in.position();
      int n = in.readFully(b8, 0, 8);
      if (n < 8 || !isChunkId(b8)) {
        return;
      }
      if (new String(b8, 0, 4, StandardCharsets.ISO_8859_1).equals("data")) {
        throw secondData(at);
      }
      long size = uint32(b8, 4);
      if (in.skip(size + (size & 1)) < size) {
        return;
      }
    }
  }

  private TingxinException secondData(long offset) {
    return fail(ErrorCode.INCONSISTENT_FORMAT, "it has a second data chunk (at byte " + offset + "); a WAV file "
        + "has exactly one, and Tingxin does not guess which holds the call. Split or re-export the recording, "
        + "e.g. with `sox`.");
  }

  private static boolean isChunkId(byte[] b) {
    for (int i = 0; i < 4; i++) {
      if (b[i] < 0x20 || b[i] > 0x7E) {
        return false;
      }
    }
    return true;
  }

  /**
   * Holds a stream's data chunk that comes before its fmt chunk, as bytes arrive, up to
   * {@link #MAX_HELD_BEFORE_FMT}.
   */
  private byte[] holdDataBeforeFmt(long size) throws IOException {
    if (size > options.maxDataBytes()) {
      throw fail(ErrorCode.AUDIO_TOO_LONG, "its data chunk (" + size + " bytes) comes before the fmt chunk "
          + "and is larger than Options.maxDataBytes (" + options.maxDataBytes() + "), so it cannot be "
          + "held until the format is known. Read it from a file instead, or raise the limit.");
    }
    byte[] held = new byte[(int) Math.min(size, 1 << 16)];
    int length = 0;
    while (length < size) {
      if (length == held.length) {
        if (length >= MAX_HELD_BEFORE_FMT) {
          throw fail(ErrorCode.AUDIO_TOO_LONG, "its data chunk (" + size + " bytes) comes before the fmt chunk, "
              + "and from a stream Tingxin holds at most " + MAX_HELD_BEFORE_FMT + " bytes of audio until the "
              + "format is known. Read it from a file instead, or re-export it with the fmt chunk first "
              + "(`sox in.wav out.wav`).");
        }
        held = Arrays.copyOf(held, (int) Math.min(size, Math.min(2L * held.length, MAX_HELD_BEFORE_FMT)));
      }
      int got = in.readFully(held, length, held.length - length);
      length += got;
      if (got == 0) {
        throw missingChunk(null, true, null);
      }
    }
    if ((size & 1) != 0) {
      in.skip(1);
    }
    return held;
  }

  private WavHeader header(Fmt fmt, long dataSize, byte[] held, int heldLength) {
    return new WavHeader(fmt.encoding, fmt.sampleRate, fmt.channels, fmt.blockAlign, dataSize, held, heldLength);
  }

  private void skipChunk(String id, long size, Fmt fmt, boolean haveData) throws IOException {
    long total = size + (size & 1);
    long skipped = in.skip(total);
    // A missing pad byte at the very end is harmless; anything shorter means the file is cut inside the chunk.
    if (skipped < size) {
      throw missingChunk(fmt, haveData, id);
    }
  }

  private TingxinException missingChunk(Fmt fmt, boolean haveData, String cutInside) {
    String where = cutInside == null ? "" : " (the input ends inside its '" + printable(cutInside) + "' chunk)";
    if (fmt == null && !haveData) {
      return fail(ErrorCode.MISSING_FMT_CHUNK, "it has neither a fmt nor a data chunk" + where
          + "; it is not a complete WAV file.");
    }
    if (fmt == null) {
      return fail(ErrorCode.MISSING_FMT_CHUNK, "it has no fmt chunk" + where
          + ", so the encoding of its data is unknown. Re-export the file with a standard writer.");
    }
    return fail(ErrorCode.MISSING_DATA_CHUNK, "it has no data chunk" + where
        + "; the recording holds no audio or was cut short.");
  }

  private void checkMagic(int n) {
    String riff = "RIFF";
    String wave = "WAVE";
    String got = new String(b8, 0, Math.min(n, 4), StandardCharsets.ISO_8859_1);
    if (n >= 4) {
      switch (got) {
        case "RIFF" -> { }
        case "RIFX" -> throw fail(ErrorCode.NOT_RIFF_WAVE, "it is a big-endian RIFX file, which is not "
            + "supported; convert it, e.g. `sox in.wav -e signed-integer -b 16 -L out.wav`.");
        case "RF64", "BW64" -> throw fail(ErrorCode.NOT_RIFF_WAVE, "it is an " + got + " file (WAV over 4 GiB), "
            + "which is not supported; split it or convert it to WAV files under 4 GiB.");
        default -> throw fail(ErrorCode.NOT_RIFF_WAVE, "it does not start with 'RIFF' (it starts with '"
            + printable(got) + "'), so it is not a WAV file. Convert it to WAV first.");
      }
    } else if (!riff.startsWith(got)) {
      throw fail(ErrorCode.NOT_RIFF_WAVE, "it does not start with 'RIFF', so it is not a WAV file.");
    }
    if (n >= 12) {
      String form = new String(b8, 8, 4, StandardCharsets.ISO_8859_1);
      if (!form.equals(wave)) {
        throw fail(ErrorCode.NOT_RIFF_WAVE, "it is a RIFF file of type '" + printable(form)
            + "', not 'WAVE'. Convert it to WAV first.");
      }
      return;
    }
    if (n > 8 && !wave.startsWith(new String(b8, 8, n - 8, StandardCharsets.ISO_8859_1))) {
      throw fail(ErrorCode.NOT_RIFF_WAVE, "it is a RIFF file but not of type 'WAVE'.");
    }
    throw fail(ErrorCode.HEADER_TRUNCATED, "it ends inside the RIFF header (" + n + " of 12 bytes); the file is "
        + "empty or cut short.");
  }

  private Fmt parseFmt(long size) throws IOException {
    if (size < 16) {
      throw fail(ErrorCode.INCONSISTENT_FORMAT, "its fmt chunk is " + size + " bytes; it needs at least 16.");
    }
    if (size > MAX_FMT_SIZE) {
      throw fail(ErrorCode.INCONSISTENT_FORMAT, "its fmt chunk claims " + size + " bytes, far more than any "
          + "WAV format needs; the header is corrupt.");
    }
    byte[] fmt = new byte[(int) size];
    int n = in.readFully(fmt, 0, fmt.length);
    if (n < fmt.length) {
      throw fail(ErrorCode.HEADER_TRUNCATED, "it ends inside the fmt chunk (" + n + " of " + size
          + " bytes); the file is cut short.");
    }
    if ((size & 1) != 0) {
      in.skip(1);
    }
    int tag = uint16(fmt, 0);
    int channels = uint16(fmt, 2);
    long sampleRate = uint32(fmt, 4);
    int blockAlign = uint16(fmt, 12);
    int bits = uint16(fmt, 14);
    int validBits = bits;
    int formatCode = tag;
    if (tag == WaveFormatTag.EXTENSIBLE) {
      int cbSize = size >= 18 ? uint16(fmt, 16) : 0;
      if (size < 40 || cbSize < 22) {
        throw fail(ErrorCode.INCONSISTENT_FORMAT, "its fmt chunk says WAVE_FORMAT_EXTENSIBLE but has " + size
            + " bytes and an extension of " + cbSize + " bytes; EXTENSIBLE needs 40 and 22.");
      }
      validBits = uint16(fmt, 18);
      formatCode = uint16(fmt, 24);
      if (!Arrays.equals(fmt, 26, 40, WaveFormatTag.SUBFORMAT_GUID_TAIL, 0, 14)) {
        throw fail(ErrorCode.UNSUPPORTED_ENCODING, "its EXTENSIBLE sub-format GUID " + guid(fmt, 24)
            + " is not a WAVE format Tingxin decodes (PCM, IEEE float, mu-law, A-law). Convert it to PCM, e.g. "
            + "`sox in.wav -e signed-integer -b 16 out.wav`.");
      }
      if (validBits == 0) {
        validBits = bits;
      }
    }
    PcmEncoding codec = codec(tag, formatCode, bits, validBits);
    if (channels == 0) {
      throw fail(ErrorCode.INCONSISTENT_FORMAT, "its fmt chunk says 0 channels; the header is corrupt.");
    }
    if (sampleRate == 0) {
      throw fail(ErrorCode.INCONSISTENT_FORMAT, "its fmt chunk says a sample rate of 0 Hz; the header is corrupt.");
    }
    if (sampleRate > Resampler.MAX_RATE) {
      throw fail(ErrorCode.UNSUPPORTED_SAMPLE_RATE, "its sample rate of " + sampleRate + " Hz is above "
          + Resampler.MAX_RATE + " Hz; resample it first, e.g. `sox in.wav -r 48000 out.wav`.");
    }
    if ((long) channels * codec.bytes != blockAlign) {
      throw fail(ErrorCode.INCONSISTENT_FORMAT, "its block align is " + blockAlign + " bytes, but " + channels
          + " channel(s) of " + bits + "-bit samples need " + ((long) channels * codec.bytes)
          + "; the header is corrupt.");
    }
    return new Fmt(codec, (int) sampleRate, channels, blockAlign);
  }

  private PcmEncoding codec(int tag, int formatCode, int bits, int validBits) {
    String via = tag == WaveFormatTag.EXTENSIBLE ? " (EXTENSIBLE)" : "";
    if (validBits > bits) {
      throw fail(ErrorCode.INCONSISTENT_FORMAT, "it says " + validBits + " valid bits in " + bits
          + "-bit samples; the header is corrupt.");
    }
    AudioFormat.Encoding encoding = WaveFormatTag.encoding(formatCode, bits);
    if (encoding == null) {
      throw fail(ErrorCode.UNSUPPORTED_ENCODING, WaveFormatTag.name(formatCode) + via
          + " is not supported; convert it to PCM, e.g. `sox in.wav -e signed-integer -b 16 out.wav`.");
    }
    PcmEncoding codec = PcmEncoding.of(encoding, bits).orElse(null);
    if (codec != null) {
      return codec;
    }
    switch (encoding) {
      case PCM_SIGNED, PCM_UNSIGNED -> {
        if (bits == 0 || bits % 8 != 0) {
          throw fail(ErrorCode.INCONSISTENT_FORMAT, "it says integer PCM" + via + " with " + bits
              + " bits per sample; PCM samples are whole bytes (8, 16, 24 or 32 bits).");
        }
        throw fail(ErrorCode.UNSUPPORTED_ENCODING, bits + "-bit integer PCM" + via + " is not supported; "
            + "convert it, e.g. `sox in.wav -e signed-integer -b 32 out.wav`.");
      }
      case IEEE_FLOAT -> throw fail(ErrorCode.INCONSISTENT_FORMAT, "it says IEEE float" + via + " with " + bits
          + " bits per sample; float samples are 32 or 64 bits.");
      default -> throw fail(ErrorCode.INCONSISTENT_FORMAT, "it says G.711 "
          + (encoding == AudioFormat.Encoding.MU_LAW ? "mu-law" : "A-law") + via + " with " + bits
          + " bits per sample; G.711 samples are 8 bits.");
    }
  }

  private TingxinException fail(ErrorCode code, String message) {
    return new TingxinException(code, name + ": " + message);
  }

  private static String guid(byte[] b, int o) {
    return String.format(Locale.ROOT, "{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}", uint32(b, o),
        uint16(b, o + 4), uint16(b, o + 6), b[o + 8], b[o + 9], b[o + 10], b[o + 11], b[o + 12], b[o + 13],
        b[o + 14], b[o + 15]);
  }

  static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (char ch : s.toCharArray()) {
      sb.append(ch >= 0x20 && ch < 0x7F ? ch : '?');
    }
    return sb.toString();
  }

  private static int uint16(byte[] b, int o) {
    return (b[o] & 0xFF) | ((b[o + 1] & 0xFF) << 8);
  }

  private static long uint32(byte[] b, int o) {
    return ((b[o] & 0xFFL)) | ((b[o + 1] & 0xFFL) << 8) | ((b[o + 2] & 0xFFL) << 16) | ((b[o + 3] & 0xFFL) << 24);
  }
}
