package io.github.tingxin.core.audio;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.AudioFormat;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Reads RIFF/WAVE audio: integer PCM (unsigned 8-bit, signed 16, 24 and 32-bit), IEEE float (32 and 64-bit),
 * G.711 mu-law and A-law, in the classic header or {@code WAVE_FORMAT_EXTENSIBLE} (whose sub-format GUID
 * decides the encoding), with up to {@link Options#maxChannels()} channels. A {@link WavHeaderParser} reads
 * the header and a {@link PcmDecoder} (which also decodes raw input) the samples.
 *
 * <p>Samples come out as floats of full scale 1.0, scaled as libsndfile and {@code torchaudio.load} scale
 * them (integer / 2^(bits-1); unsigned 8-bit as (b - 128) / 128; G.711 as its 16-bit value / 32768; floats
 * as stored, without clipping).
 *
 * <p>Chunks may come in any order; odd-sized chunks are followed by their pad byte; unknown chunks of any
 * size are skipped (by seeking in a regular file, by reading past them in a stream, a pipe or
 * {@code /dev/stdin}). A {@code data} size of 0 or 0xFFFFFFFF (recorders that stream write these) means "to
 * the end of the input". The RIFF size and the {@code fmt} byte rate and channel mask are not used, as
 * writers often get them wrong. A {@code data} chunk before {@code fmt} is found by seeking in a file, and
 * held in memory from a stream (within {@link Options#maxDataBytes()} and at most 8 MiB). A second
 * {@code data} chunk is refused with {@link ErrorCode#INCONSISTENT_FORMAT} when the first has been read
 * (the chunks after the data are walked to the end of the input for it), so no audio is silently left out.
 * A header that claims gigabytes allocates nothing up front: buffers grow as data actually arrives, and
 * block reading decodes through one buffer of about 64 KiB whatever the channel count.
 *
 * <p>Two ways to read:
 * <ul>
 *   <li>{@link #read(Path)} and {@link #read(InputStream)} decode everything into a {@link DecodedWav};
 *   <li>{@link #open(Path)} and {@link #open(InputStream)} give a block reader: {@link #format()}, then
 *       {@link #read(float[][], int, int)} fills caller buffers with the next frames, so a 10-hour
 *       recording is processed with bounded memory.
 * </ul>
 *
 * <p>Every malformed input is a {@link TingxinException} with its own {@link ErrorCode} and a message that
 * says what is wrong and what to do, and never contains sample values: {@link ErrorCode#NOT_RIFF_WAVE},
 * {@link ErrorCode#HEADER_TRUNCATED}, {@link ErrorCode#MISSING_FMT_CHUNK},
 * {@link ErrorCode#MISSING_DATA_CHUNK}, {@link ErrorCode#UNSUPPORTED_ENCODING},
 * {@link ErrorCode#INCONSISTENT_FORMAT}, {@link ErrorCode#UNSUPPORTED_SAMPLE_RATE},
 * {@link ErrorCode#DATA_TRUNCATED}, {@link ErrorCode#NON_FINITE_SAMPLE}, {@link ErrorCode#AUDIO_TOO_LONG},
 * {@link ErrorCode#TOO_MANY_CHANNELS} and {@link ErrorCode#IO_ERROR}.
 *
 * <p>The static methods are thread-safe. A block reader is not: use it from one thread at a time. A block
 * reader opened on a {@link Path} owns its file and closes it; one opened on an {@link InputStream} never
 * closes the caller's stream.
 */
public final class WavReader implements SampleReader {

  /** What to do when the data ends before the header says it should. */
  public enum Truncation {
    /** Refuse the input with {@link ErrorCode#DATA_TRUNCATED}, saying how many bytes are missing. */
    STRICT,
    /** Keep the complete frames that are present, and report {@code truncated} and the missing bytes. */
    LENIENT
  }

  /**
   * How to read.
   *
   * <p>Immutable and thread-safe.
   *
   * @param truncation what to do with data shorter than declared (default {@link Truncation#STRICT})
   * @param maxSeconds the most audio to read, in seconds (default {@value #DEFAULT_MAX_SECONDS}, four
   *     hours; {@link Double#POSITIVE_INFINITY} for no limit): longer input is refused with
   *     {@link ErrorCode#AUDIO_TOO_LONG} when the data read passes it
   * @param maxDataBytes the most bytes of audio data to read (default {@value #DEFAULT_MAX_DATA_BYTES},
   *     2 GiB; {@link Long#MAX_VALUE} for no limit), the same way
   * @param maxChannels the most channels read (default {@value #DEFAULT_MAX_CHANNELS}; at most
   *     {@value #MAX_CHANNELS}, the most a WAV header can say, for no limit): input with more is refused
   *     with {@link ErrorCode#TOO_MANY_CHANNELS} before anything is sized by its channel count
   */
  public record Options(Truncation truncation, double maxSeconds, long maxDataBytes, int maxChannels) {
    /** Four hours. */
    public static final double DEFAULT_MAX_SECONDS = 14_400;
    /** 2 GiB. */
    public static final long DEFAULT_MAX_DATA_BYTES = 1L << 31;
    /** Far more than a call (one or two channels) or a conference recording has. */
    public static final int DEFAULT_MAX_CHANNELS = 256;
    /** The most channels a WAV header can declare (a 16-bit field). */
    public static final int MAX_CHANNELS = 65_535;
    /** Strict truncation, four hours, 2 GiB of data, 256 channels. */
    public static final Options DEFAULT = new Options(Truncation.STRICT, DEFAULT_MAX_SECONDS, DEFAULT_MAX_DATA_BYTES,
        DEFAULT_MAX_CHANNELS);

    /**
     * @throws NullPointerException if {@code truncation} is null
     * @throws IllegalArgumentException if {@code maxSeconds} is not positive (or NaN), {@code maxDataBytes}
     *     is not positive, or {@code maxChannels} is outside 1 to {@value #MAX_CHANNELS}
     */
    public Options {
      Objects.requireNonNull(truncation, "truncation");
      if (!(maxSeconds > 0)) {
        throw new IllegalArgumentException("maxSeconds must be positive: " + maxSeconds);
      }
      if (maxDataBytes <= 0) {
        throw new IllegalArgumentException("maxDataBytes must be positive: " + maxDataBytes);
      }
      if (maxChannels < 1 || maxChannels > MAX_CHANNELS) {
        throw new IllegalArgumentException("maxChannels must be 1 to " + MAX_CHANNELS + ": " + maxChannels);
      }
    }

    /**
     * Options with {@link #DEFAULT_MAX_CHANNELS}.
     *
     * @throws NullPointerException if {@code truncation} is null
     * @throws IllegalArgumentException as the canonical constructor
     */
    public Options(Truncation truncation, double maxSeconds, long maxDataBytes) {
      this(truncation, maxSeconds, maxDataBytes, DEFAULT_MAX_CHANNELS);
    }

    /** These options with {@code truncation}. */
    public Options withTruncation(Truncation truncation) {
      return new Options(truncation, maxSeconds, maxDataBytes, maxChannels);
    }

    /** These options with {@code maxSeconds}; see the record. */
    public Options withMaxSeconds(double maxSeconds) {
      return new Options(truncation, maxSeconds, maxDataBytes, maxChannels);
    }

    /** These options with {@code maxDataBytes}; see the record. */
    public Options withMaxDataBytes(long maxDataBytes) {
      return new Options(truncation, maxSeconds, maxDataBytes, maxChannels);
    }

    /** These options with {@code maxChannels}; see the record. */
    public Options withMaxChannels(int maxChannels) {
      return new Options(truncation, maxSeconds, maxDataBytes, maxChannels);
    }
  }

  private final String name;
  private final Options options;
  private final PcmDecoder decoder;

  private WavReader(String name, Options options, PcmDecoder decoder) {
    this.name = name;
    this.options = options;
    this.decoder = decoder;
  }

  // ---------------------------------------------------------------- whole-input reading

  /**
   * Reads and decodes a whole WAV file with {@link Options#DEFAULT}.
   *
   * @throws NullPointerException if {@code file} is null
   * @throws TingxinException for unreadable or malformed input (see the class description)
   */
  public static DecodedWav read(Path file) {
    return read(file, Options.DEFAULT);
  }

  /**
   * Reads and decodes a whole WAV file.
   *
   * @throws NullPointerException if an argument is null
   * @throws TingxinException for unreadable or malformed input (see the class description)
   */
  public static DecodedWav read(Path file, Options options) {
    try (WavReader reader = open(file, options)) {
      return reader.readAll();
    }
  }

  /**
   * Reads and decodes WAV bytes from {@code stream} with {@link Options#DEFAULT}. After a data chunk of
   * declared size, the chunks that follow are read past to the end of the stream (to refuse a second data
   * chunk); the caller keeps and closes the stream.
   *
   * @throws NullPointerException if {@code stream} is null
   * @throws TingxinException for unreadable or malformed input (see the class description)
   */
  public static DecodedWav read(InputStream stream) {
    return read(stream, Options.DEFAULT);
  }

  /**
   * Reads and decodes WAV bytes from {@code stream}. After a data chunk of declared size, the chunks that
   * follow are read past to the end of the stream (to refuse a second data chunk); the caller keeps and
   * closes the stream.
   *
   * @throws NullPointerException if an argument is null
   * @throws TingxinException for unreadable or malformed input (see the class description)
   */
  public static DecodedWav read(InputStream stream, Options options) {
    try (WavReader reader = open(stream, options)) {
      return reader.readAll();
    }
  }

  // ---------------------------------------------------------------- block reading

  /**
   * Opens a WAV file for block reading with {@link Options#DEFAULT}; the header is read and checked now.
   *
   * @throws NullPointerException if {@code file} is null
   * @throws TingxinException for unreadable or malformed input (see the class description)
   */
  public static WavReader open(Path file) {
    return open(file, Options.DEFAULT);
  }

  /**
   * Opens a WAV file for block reading; the header is read and checked now. The reader owns the file and
   * closes it in {@link #close()} (and here, if the header is refused).
   *
   * @throws NullPointerException if an argument is null
   * @throws TingxinException for unreadable or malformed input (see the class description)
   */
  public static WavReader open(Path file, Options options) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(options, "options");
    String name = String.valueOf(file.getFileName());
    if (Files.isDirectory(file)) {
      throw new TingxinException(ErrorCode.IO_ERROR, file + ": is a folder, not a WAV file; pass the recording "
          + "itself.");
    }
    ByteSource source;
    try {
      source = ByteSource.open(file);
    } catch (NoSuchFileException e) {
      throw new TingxinException(ErrorCode.IO_ERROR, file + ": no such file; check the path.", e);
    } catch (AccessDeniedException e) {
      throw new TingxinException(ErrorCode.IO_ERROR, file + ": permission denied; check the file's permissions.", e);
    } catch (IOException e) {
      throw new TingxinException(ErrorCode.IO_ERROR, file + ": cannot be opened (" + e.getClass().getSimpleName()
          + "); check that it is a readable file.", e);
    }
    return openOn(name, source, options);
  }

  /**
   * Opens WAV bytes from {@code stream} for block reading with {@link Options#DEFAULT}; the header is read
   * and checked now. The caller keeps and closes the stream.
   *
   * @throws NullPointerException if {@code stream} is null
   * @throws TingxinException for unreadable or malformed input (see the class description)
   */
  public static WavReader open(InputStream stream) {
    return open(stream, Options.DEFAULT);
  }

  /**
   * Opens WAV bytes from {@code stream} for block reading; the header is read and checked now. The caller
   * keeps and closes the stream; {@link #close()} does not close it.
   *
   * @throws NullPointerException if an argument is null
   * @throws TingxinException for unreadable or malformed input (see the class description)
   */
  public static WavReader open(InputStream stream, Options options) {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(options, "options");
    return openOn("<stream>", ByteSource.of(stream), options);
  }

  private static WavReader openOn(String name, ByteSource source, Options options) {
    boolean ok = false;
    try {
      WavHeaderParser parser = new WavHeaderParser(name, source, options);
      WavHeaderParser.WavHeader header = parser.parse();
      ByteSource data = header.heldData() != null
          ? ByteSource.of(new ByteArrayInputStream(header.heldData(), 0, header.heldLength()))
          : source;
      boolean padByte = header.heldData() == null && (header.dataSize() & 1) != 0;
      PcmDecoder decoder = new PcmDecoder(name, "the data chunk", data, source, options, header.encoding(),
          header.sampleRate(), header.channels(), header.dataSize(), () -> parser.checkNoSecondData(padByte));
      ok = true;
      return new WavReader(name, options, decoder);
    } catch (IOException e) {
      throw PcmDecoder.ioError(name, e);
    } finally {
      if (!ok) {
        PcmDecoder.closeQuietly(source);
      }
    }
  }

  /**
   * The format from the header. {@link AudioFormat#frames()} is the number of frames the header declares,
   * or -1 where the data runs to the end of the input (size 0 or 0xFFFFFFFF); {@link AudioFormat#encoding()}
   * and {@link AudioFormat#bitsPerSample()} describe the samples as stored (for EXTENSIBLE, the sub-format
   * and the container size).
   */
  @Override
  public AudioFormat format() {
    return decoder.format();
  }

  /** The options this reader was opened with. */
  public Options options() {
    return options;
  }

  @Override
  public int blockFrames() {
    return decoder.blockFrames();
  }

  @Override
  public long framesRead() {
    return decoder.framesRead();
  }

  @Override
  public boolean finished() {
    return decoder.finished();
  }

  @Override
  public boolean truncated() {
    return decoder.truncated();
  }

  @Override
  public long missingBytes() {
    return decoder.missingBytes();
  }

  /**
   * {@inheritDoc}
   *
   * <p>When a data chunk of declared size has been read, the chunks after it are walked (seeking in a file,
   * reading past them in a stream): a second data chunk is refused with {@link ErrorCode#INCONSISTENT_FORMAT}.
   */
  @Override
  public int read(float[][] channels, int offset, int frames) {
    return decoder.read(channels, offset, frames);
  }

  private DecodedWav readAll() {
    // Start small whatever the header claims (about 1 M samples at most) and grow as frames arrive.
    AudioFormat format = decoder.format();
    int channels = format.channels();
    int capacity = (int) Math.min(Math.max(format.frames(), 0), Math.max(16, (1 << 20) / channels));
    capacity = Math.max(capacity, 16);
    float[][] buffers = new float[channels][capacity];
    int length = 0;
    while (true) {
      if (length == capacity) {
        long grown = Math.min((long) capacity * 2, Integer.MAX_VALUE - 16);
        if (grown == capacity) {
          throw new TingxinException(ErrorCode.AUDIO_TOO_LONG, name + ": it holds more than 2^31 frames per "
              + "channel; read it in blocks with WavReader.open(...).");
        }
        capacity = (int) grown;
        for (int c = 0; c < channels; c++) {
          buffers[c] = Arrays.copyOf(buffers[c], capacity);
        }
      }
      int n = decoder.read(buffers, length, capacity - length);
      if (n < 0) {
        break;
      }
      length += n;
    }
    List<Audio> audio = new ArrayList<>(channels);
    for (int c = 0; c < channels; c++) {
      audio.add(Audio.of(buffers[c], 0, length, format.sampleRate()));
      buffers[c] = null;
    }
    AudioFormat decoded = new AudioFormat(format.encoding(), format.sampleRate(), channels,
        format.bitsPerSample(), format.blockAlign(), length);
    return new DecodedWav(decoded, audio, decoder.truncated(), decoder.missingBytes());
  }

  /** Closes the file this reader opened; a caller's stream is left open. Idempotent. */
  @Override
  public void close() {
    decoder.close();
  }

  @Override
  public String toString() {
    return "WavReader[" + name + ", " + decoder.format() + "]";
  }
}
