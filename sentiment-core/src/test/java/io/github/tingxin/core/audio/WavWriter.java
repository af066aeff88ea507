package io.github.tingxin.core.audio;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Writes RIFF/WAVE files that {@link WavReader}, libsndfile, SoX and torchaudio read, in every
 * {@link PcmEncoding} (integer PCM: unsigned 8-bit, signed 16, 24, 32-bit; IEEE float: 32, 64-bit; G.711
 * mu-law and A-law), with the classic header or {@code WAVE_FORMAT_EXTENSIBLE}.
 *
 * <p>Floats of full scale 1.0 are converted as {@link WavReader} reads them back: integers are
 * {@code rint(x * 2^(bits-1))} and saturate at full scale (so a value decoded from a file of the same
 * encoding is written back unchanged); G.711 rounds to 16 bits first (see {@link G711}); floats are stored as
 * they are. Classic headers of non-PCM encodings carry the 18-byte {@code fmt} and a {@code fact} chunk, as
 * the format requires.
 *
 * <p>Stateless and thread-safe.
 */
public final class WavWriter {

  /** The form of the {@code fmt} chunk. */
  public enum Header {
    /** {@code WAVEFORMATEX}: the format tag says the encoding. */
    CLASSIC,
    /** {@code WAVE_FORMAT_EXTENSIBLE}: the sub-format GUID says it (channel mask 0: no speaker positions). */
    EXTENSIBLE
  }

  private static final long MAX_DATA_BYTES = 0xFFFF_FFFFL - 80;

  private WavWriter() {}

  /**
   * Writes mono {@code audio} to {@code file} with a classic header, replacing the file.
   *
   * @throws NullPointerException if an argument is null
   * @throws TingxinException {@link ErrorCode#IO_ERROR} if writing fails, {@link ErrorCode#AUDIO_TOO_LONG} if
   *     the data would exceed the 4 GiB of a WAV file
   */
  public static void write(Path file, Audio audio, PcmEncoding encoding) {
    write(file, List.of(audio), encoding, Header.CLASSIC);
  }

  /**
   * Writes {@code channels} (all the same length and rate) to {@code file}, replacing it.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if there are no channels or they differ in length or rate
   * @throws TingxinException {@link ErrorCode#IO_ERROR} if writing fails, {@link ErrorCode#AUDIO_TOO_LONG} if
   *     the data would exceed the 4 GiB of a WAV file
   */
  public static void write(Path file, List<Audio> channels, PcmEncoding encoding, Header header) {
    Objects.requireNonNull(file, "file");
    float[][] samples = toArrays(channels);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      write(out, samples, samples[0].length, channels.get(0).sampleRate(), encoding, header);
    } catch (IOException e) {
      throw new TingxinException(ErrorCode.IO_ERROR, file + ": writing failed (" + e.getClass().getSimpleName()
          + "); check the directory exists and is writable.", e);
    }
  }

  /**
   * The bytes of a WAV file holding {@code channels} (all the same length and rate).
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if there are no channels or they differ in length or rate
   * @throws TingxinException {@link ErrorCode#AUDIO_TOO_LONG} if the data would exceed 2 GiB
   */
  public static byte[] toBytes(List<Audio> channels, PcmEncoding encoding, Header header) {
    float[][] samples = toArrays(channels);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(out, samples, samples[0].length, channels.get(0).sampleRate(), encoding, header);
    } catch (IOException e) {
      throw new IllegalStateException(e); // a ByteArrayOutputStream does not fail
    }
    return out.toByteArray();
  }

  /**
   * Writes {@code frames} frames of {@code channels} (one array per channel) as a WAV file to {@code out},
   * which is not closed.
   *
   * @param out where the bytes go
   * @param channels one array per channel, each of at least {@code frames} samples
   * @param frames how many frames
   * @param sampleRate frames per second
   * @param encoding the sample encoding
   * @param header the form of the {@code fmt} chunk
   * @throws IOException if {@code out} fails
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if there are no channels, more than 65535, a negative or too large
   *     frame count, or a rate outside 1 to {@value Resampler#MAX_RATE}
   * @throws TingxinException {@link ErrorCode#NON_FINITE_SAMPLE} naming the first NaN or infinite sample,
   *     {@link ErrorCode#AUDIO_TOO_LONG} if the data would exceed the 4 GiB of a WAV file
   */
  public static void write(OutputStream out, float[][] channels, int frames, int sampleRate, PcmEncoding encoding,
      Header header) throws IOException {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(channels, "channels");
    Objects.requireNonNull(encoding, "encoding");
    Objects.requireNonNull(header, "header");
    int count = channels.length;
    if (count < 1 || count > 65535) {
      throw new IllegalArgumentException("need 1 to 65535 channels, got " + count);
    }
    if (sampleRate < 1 || sampleRate > Resampler.MAX_RATE) {
      throw new IllegalArgumentException("sampleRate out of range: " + sampleRate);
    }
    if (frames < 0) {
      throw new IllegalArgumentException("frames must be non-negative: " + frames);
    }
    for (int c = 0; c < count; c++) {
      Objects.requireNonNull(channels[c], "channels[" + c + "]");
      Objects.checkFromIndexSize(0, frames, channels[c].length);
      for (int i = 0; i < frames; i++) {
        if (!Float.isFinite(channels[c][i])) {
          throw new TingxinException(ErrorCode.NON_FINITE_SAMPLE, "Sample " + i + " of channel " + c
              + " is NaN or infinite; WAV files hold finite samples only.");
        }
      }
    }
    int bytesPerSample = encoding.bytes;
    int formatTag = WaveFormatTag.of(encoding.encoding);
    boolean pcm = formatTag == WaveFormatTag.PCM;
    long blockAlign = (long) count * bytesPerSample;
    if (blockAlign > 65535) {
      throw new IllegalArgumentException(count + " channels of " + encoding + " exceed the 65535-byte block align");
    }
    long dataBytes = blockAlign * frames;
    if (dataBytes > MAX_DATA_BYTES) {
      throw new TingxinException(ErrorCode.AUDIO_TOO_LONG, "The audio needs " + dataBytes + " data bytes, more than "
          + "a WAV file holds (4 GiB); write it in parts.");
    }
    boolean extensible = header == Header.EXTENSIBLE;
    int fmtSize = extensible ? 40 : pcm ? 16 : 18;
    boolean fact = !pcm;
    long riffSize = 4 + (8 + fmtSize) + (fact ? 12 : 0) + 8 + dataBytes + (dataBytes & 1);

    byte[] head = new byte[12 + 8 + fmtSize + (fact ? 12 : 0) + 8];
    int p = 0;
    p = putTag(head, p, "RIFF");
    p = putInt(head, p, (int) riffSize);
    p = putTag(head, p, "WAVE");
    p = putTag(head, p, "fmt ");
    p = putInt(head, p, fmtSize);
    p = putShort(head, p, extensible ? WaveFormatTag.EXTENSIBLE : formatTag);
    p = putShort(head, p, count);
    p = putInt(head, p, sampleRate);
    p = putInt(head, p, (int) (sampleRate * blockAlign));
    p = putShort(head, p, (int) blockAlign);
    p = putShort(head, p, encoding.bitsPerSample());
    if (extensible) {
      p = putShort(head, p, 22);
      p = putShort(head, p, encoding.bitsPerSample());
      p = putInt(head, p, 0);
      // KSDATAFORMAT_SUBTYPE_*: the format tag, then 0000-0010-8000-00AA00389B71.
      p = putShort(head, p, formatTag);
      System.arraycopy(WaveFormatTag.SUBFORMAT_GUID_TAIL, 0, head, p, WaveFormatTag.SUBFORMAT_GUID_TAIL.length);
      p += WaveFormatTag.SUBFORMAT_GUID_TAIL.length;
    } else if (!pcm) {
      p = putShort(head, p, 0);
    }
    if (fact) {
      p = putTag(head, p, "fact");
      p = putInt(head, p, 4);
      p = putInt(head, p, frames);
    }
    p = putTag(head, p, "data");
    p = putInt(head, p, (int) dataBytes);
    out.write(head, 0, p);

    int framesPerBlock = (int) Math.max(1, (1 << 16) / blockAlign);
    byte[] block = new byte[(int) (framesPerBlock * blockAlign)];
    for (int from = 0; from < frames; from += framesPerBlock) {
      int n = Math.min(framesPerBlock, frames - from);
      int q = 0;
      for (int f = from; f < from + n; f++) {
        for (int c = 0; c < count; c++) {
          q = encode(channels[c][f], encoding, block, q);
        }
      }
      out.write(block, 0, q);
    }
    if ((dataBytes & 1) != 0) {
      out.write(0);
    }
    out.flush();
  }

  private static int encode(float x, PcmEncoding encoding, byte[] b, int q) {
    switch (encoding) {
      case U8 -> {
        b[q] = (byte) (clamp(Math.rint(x * 128.0), -128, 127) + 128);
        return q + 1;
      }
      case S16LE -> {
        return putShort(b, q, (int) clamp(Math.rint(x * 32768.0), -32768, 32767));
      }
      case S24LE -> {
        int v = (int) clamp(Math.rint(x * 8388608.0), -8388608, 8388607);
        b[q] = (byte) v;
        b[q + 1] = (byte) (v >> 8);
        b[q + 2] = (byte) (v >> 16);
        return q + 3;
      }
      case S32LE -> {
        return putInt(b, q, (int) clamp(Math.rint(x * 2147483648.0), -2147483648L, 2147483647L));
      }
      case F32LE -> {
        return putInt(b, q, Float.floatToRawIntBits(x));
      }
      case F64LE -> {
        long bits = Double.doubleToRawLongBits(x);
        q = putInt(b, q, (int) bits);
        return putInt(b, q, (int) (bits >>> 32));
      }
      case MULAW -> {
        b[q] = (byte) G711.linearToMuLaw(G711.toPcm16(x));
        return q + 1;
      }
      case ALAW -> {
        b[q] = (byte) G711.linearToALaw(G711.toPcm16(x));
        return q + 1;
      }
      default -> throw new AssertionError(encoding);
    }
  }

  private static long clamp(double v, long lo, long hi) {
    return v <= lo ? lo : v >= hi ? hi : (long) v;
  }

  private static float[][] toArrays(List<Audio> channels) {
    Objects.requireNonNull(channels, "channels");
    if (channels.isEmpty()) {
      throw new IllegalArgumentException("no channels");
    }
    Audio first = Objects.requireNonNull(channels.get(0), "channels[0]");
    float[][] samples = new float[channels.size()][];
    for (int c = 0; c < samples.length; c++) {
      Audio a = Objects.requireNonNull(channels.get(c), "channels[" + c + "]");
      if (a.length() != first.length() || a.sampleRate() != first.sampleRate()) {
        throw new IllegalArgumentException("channel " + c + " (" + a + ") differs from channel 0 (" + first + ")");
      }
      samples[c] = a.toArray();
    }
    return samples;
  }

  private static int putTag(byte[] b, int p, String tag) {
    for (int i = 0; i < 4; i++) {
      b[p + i] = (byte) tag.charAt(i);
    }
    return p + 4;
  }

  private static int putShort(byte[] b, int p, int v) {
    b[p] = (byte) v;
    b[p + 1] = (byte) (v >> 8);
    return p + 2;
  }

  private static int putInt(byte[] b, int p, int v) {
    b[p] = (byte) v;
    b[p + 1] = (byte) (v >> 8);
    b[p + 2] = (byte) (v >> 16);
    b[p + 3] = (byte) (v >> 24);
    return p + 4;
  }
}
