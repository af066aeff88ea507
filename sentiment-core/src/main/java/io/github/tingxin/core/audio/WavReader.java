package io.github.tingxin.core.audio;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.AudioFormat;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads RIFF/WAVE audio: integer PCM (unsigned 8-bit, signed 16, 24 and 32-bit), IEEE float (32 and 64-bit),
 * G.711 mu-law and A-law, in the classic header or {@code WAVE_FORMAT_EXTENSIBLE} (whose sub-format GUID
 * decides the encoding), with any number of channels.
 *
 * <p>Samples come out as floats of full scale 1.0, scaled as libsndfile and {@code torchaudio.load} scale
 * them (integer / 2^(bits-1); unsigned 8-bit as (b - 128) / 128; G.711 as its 16-bit value / 32768; floats
 * as stored, without clipping).
 *
 * <p>Chunks may come in any order; odd-sized chunks are followed by their pad byte; unknown chunks are
 * skipped. A {@code data} size of 0 or 0xFFFFFFFF (recorders that stream write these) means "to the end of
 * the input". The RIFF size and the {@code fmt} byte rate and channel mask are not used, as writers often
 * get them wrong. A {@code data} chunk before {@code fmt} is found by seeking in a file, and held in memory
 * (within {@link Options#maxDataBytes()}) when read from a stream. A header that claims gigabytes
 * allocates nothing up front: buffers grow as data actually arrives.
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
 * {@link ErrorCode#DATA_TRUNCATED}, {@link ErrorCode#NON_FINITE_SAMPLE}, {@link ErrorCode#AUDIO_TOO_LONG}
 * and {@link ErrorCode#IO_ERROR}.
 *
 * <p>The static methods are thread-safe. A block reader is not: use it from one thread at a time. A block
 * reader opened on a {@link Path} owns its file and closes it; one opened on an {@link InputStream} never
 * closes the caller's stream.
 */
public final class WavReader implements AutoCloseable {

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
   */
  public record Options(Truncation truncation, double maxSeconds, long maxDataBytes) {
    /** Four hours. */
    public static final double DEFAULT_MAX_SECONDS = 14_400;
    /** 2 GiB. */
    public static final long DEFAULT_MAX_DATA_BYTES = 1L << 31;
    /** Strict truncation, four hours, 2 GiB of data. */
    public static final Options DEFAULT = new Options(Truncation.STRICT, DEFAULT_MAX_SECONDS, DEFAULT_MAX_DATA_BYTES);

    /**
     * @throws NullPointerException if {@code truncation} is null
     * @throws IllegalArgumentException if {@code maxSeconds} is not positive (or NaN) or
     *     {@code maxDataBytes} is not positive
     */
    public Options {
      Objects.requireNonNull(truncation, "truncation");
      if (!(maxSeconds > 0)) {
        throw new IllegalArgumentException("maxSeconds must be positive: " + maxSeconds);
      }
      if (maxDataBytes <= 0) {
        throw new IllegalArgumentException("maxDataBytes must be positive: " + maxDataBytes);
      }
    }

    /** These options with {@code truncation}. */
    public Options withTruncation(Truncation truncation) {
      return new Options(truncation, maxSeconds, maxDataBytes);
    }

    /** These options with {@code maxSeconds}; see the record. */
    public Options withMaxSeconds(double maxSeconds) {
      return new Options(truncation, maxSeconds, maxDataBytes);
    }

    /** These options with {@code maxDataBytes}; see the record. */
    public Options withMaxDataBytes(long maxDataBytes) {
      return new Options(truncation, maxSeconds, maxDataBytes);
    }
  }

  private static final int WAVE_FORMAT_PCM = 0x0001;
  private static final int WAVE_FORMAT_IEEE_FLOAT = 0x0003;
  private static final int WAVE_FORMAT_ALAW = 0x0006;
  private static final int WAVE_FORMAT_MULAW = 0x0007;
  private static final int WAVE_FORMAT_EXTENSIBLE = 0xFFFE;
  /** The 14 bytes that follow the format code in every KSDATAFORMAT_SUBTYPE_* GUID of a WAVE format. */
  private static final byte[] GUID_TAIL = {
      0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71};
  /** The largest {@code fmt} chunk read; larger ones are malformed. */
  private static final int MAX_FMT_SIZE = 1 << 16;
  /** Raw bytes decoded per step of a block read. */
  private static final int RAW_BLOCK_BYTES = 64 * 1024;
  private static final long UNKNOWN = -1;

  private final String name;
  private final ByteSource source;
  private final ByteSource owned;
  private final Options options;
  private final AudioFormat format;
  private final SampleCodec codec;
  private final int channels;
  private final int blockAlign;
  private final long frameLimit;
  /** Bytes of the data chunk not read yet, or {@link #UNKNOWN} (to the end of the input). */
  private long dataRemaining;
  private final long declaredDataBytes;
  private final byte[] raw;
  private long framesRead;
  private boolean finished;
  private boolean truncated;
  private long missingBytes;
  private boolean closed;
  private boolean failed;

  private WavReader(String name, ByteSource source, ByteSource owned, Options options, Header header) {
    this.name = name;
    this.source = source;
    this.owned = owned;
    this.options = options;
    this.codec = header.codec;
    this.channels = header.channels;
    this.blockAlign = header.blockAlign;
    this.dataRemaining = header.dataSize;
    this.declaredDataBytes = header.dataSize;
    long frames = header.dataSize == UNKNOWN ? -1 : header.dataSize / blockAlign;
    this.format = new AudioFormat(codec.encoding, header.sampleRate, channels, codec.bytes * 8, blockAlign, frames);
    double secondsFrames = Math.floor(options.maxSeconds() * header.sampleRate);
    this.frameLimit = (long) Math.min(Math.min(secondsFrames, (double) Long.MAX_VALUE),
        (double) (options.maxDataBytes() / blockAlign));
    this.raw = new byte[Math.max(blockAlign, RAW_BLOCK_BYTES / blockAlign * blockAlign)];
    if (header.dataSize != UNKNOWN && header.dataSize % blockAlign != 0 && options.truncation() == Truncation.STRICT) {
      throw fail(ErrorCode.INCONSISTENT_FORMAT, "the data chunk size " + header.dataSize
          + " is not a multiple of the block align " + blockAlign + " bytes; the last frame is incomplete. "
          + "Read it with Truncation.LENIENT to drop that frame.");
    }
    if (header.dataSize != UNKNOWN && options.truncation() == Truncation.STRICT && frames > frameLimit) {
      throw tooLong();
    }
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
   * Reads and decodes WAV bytes from {@code stream} with {@link Options#DEFAULT}. Reading stops at the end
   * of the data chunk (or of the stream); the caller keeps and closes the stream.
   *
   * @throws NullPointerException if {@code stream} is null
   * @throws TingxinException for unreadable or malformed input (see the class description)
   */
  public static DecodedWav read(InputStream stream) {
    return read(stream, Options.DEFAULT);
  }

  /**
   * Reads and decodes WAV bytes from {@code stream}. Reading stops at the end of the data chunk (or of the
   * stream); the caller keeps and closes the stream.
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
    ByteSource source;
    try {
      source = ByteSource.of(Files.newByteChannel(file, StandardOpenOption.READ));
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
      Header header = new HeaderParser(name, source, options).parse();
      ByteSource data = header.bufferedData != null
          ? ByteSource.of(new ByteArrayInputStream(header.bufferedData, 0, header.bufferedLength))
          : source;
      WavReader reader = new WavReader(name, data, source, options, header);
      ok = true;
      return reader;
    } catch (IOException e) {
      throw ioError(name, e);
    } finally {
      if (!ok) {
        closeQuietly(source);
      }
    }
  }

  /**
   * The format from the header. {@link AudioFormat#frames()} is the number of frames the header declares,
   * or -1 where the data runs to the end of the input (size 0 or 0xFFFFFFFF); {@link AudioFormat#encoding()}
   * and {@link AudioFormat#bitsPerSample()} describe the samples as stored (for EXTENSIBLE, the sub-format
   * and the container size).
   */
  public AudioFormat format() {
    return format;
  }

  /** The options this reader was opened with. */
  public Options options() {
    return options;
  }

  /** Frames delivered so far. */
  public long framesRead() {
    return framesRead;
  }

  /** Whether the end of the data has been reached. */
  public boolean finished() {
    return finished;
  }

  /**
   * Whether the data ended early (lenient mode only; strict mode throws instead). Meaningful once
   * {@link #finished()}.
   */
  public boolean truncated() {
    return truncated;
  }

  /** How many bytes of the declared data were missing, where {@link #truncated()}; else 0. */
  public long missingBytes() {
    return missingBytes;
  }

  /**
   * Reads up to {@code frames} frames into {@code channels[c][offset ...]}, one array per channel. Fewer
   * frames are read only at the end of the data.
   *
   * @param channels one array per channel of the format (at least {@link AudioFormat#channels()} arrays;
   *     extra arrays are left alone)
   * @param offset where the first frame goes in each array
   * @param frames the most frames to read
   * @return the number of frames read, or -1 at the end of the data (when {@code frames > 0})
   * @throws NullPointerException if {@code channels} or one of its arrays is null
   * @throws IndexOutOfBoundsException if there are too few arrays or a range is out of bounds
   * @throws IllegalStateException if the reader is closed, or an earlier read threw (after a
   *     {@link TingxinException} the reader can only be closed; frames it decoded in the failing call are
   *     not counted)
   * @throws TingxinException {@link ErrorCode#DATA_TRUNCATED} (strict), {@link ErrorCode#NON_FINITE_SAMPLE},
   *     {@link ErrorCode#AUDIO_TOO_LONG} or {@link ErrorCode#IO_ERROR}
   */
  public int read(float[][] channels, int offset, int frames) {
    Objects.requireNonNull(channels, "channels");
    if (channels.length < this.channels) {
      throw new IndexOutOfBoundsException("need " + this.channels + " channel arrays, got " + channels.length);
    }
    for (int c = 0; c < this.channels; c++) {
      Objects.requireNonNull(channels[c], "channels[" + c + "]");
      Objects.checkFromIndexSize(offset, frames, channels[c].length);
    }
    if (closed) {
      throw new IllegalStateException("WavReader is closed");
    }
    if (frames == 0) {
      return 0;
    }
    if (finished) {
      return -1;
    }
    if (failed) {
      throw new IllegalStateException("WavReader failed earlier (see that TingxinException); it can only be closed");
    }
    boolean ok = false;
    try {
      int done = readFrames(channels, offset, frames);
      ok = true;
      return done == 0 && finished ? -1 : done;
    } catch (IOException e) {
      throw ioError(name, e);
    } finally {
      failed = !ok;
    }
  }

  private int readFrames(float[][] dst, int offset, int frames) throws IOException {
    int framesPerStep = raw.length / blockAlign;
    int done = 0;
    while (done < frames && !finished) {
      long want = Math.min(frames - done, framesPerStep);
      if (dataRemaining != UNKNOWN) {
        want = Math.min(want, dataRemaining / blockAlign);
        if (want == 0) {
          endOfDeclaredData();
          break;
        }
      }
      if (framesRead >= frameLimit) {
        // At the limit: refuse only if there really is another frame.
        if (source.readFully(raw, 0, 1) == 1) {
          throw tooLong();
        }
        endAtEof(0);
        break;
      }
      want = Math.min(want, frameLimit - framesRead);
      int bytes = (int) want * blockAlign;
      int got = source.readFully(raw, 0, bytes);
      int gotFrames = got / blockAlign;
      long bad = codec.decode(raw, gotFrames, channels, dst, offset + done);
      if (bad >= 0) {
        throw nonFinite(bad);
      }
      framesRead += gotFrames;
      done += gotFrames;
      if (dataRemaining != UNKNOWN) {
        dataRemaining -= got;
      }
      if (got < bytes) {
        endAtEof(got - gotFrames * blockAlign);
      }
    }
    return done;
  }

  /** The declared data is read; a partial last frame left in it is dropped (lenient) - strict refused it at open. */
  private void endOfDeclaredData() throws IOException {
    if (dataRemaining > 0) {
      long partial = dataRemaining;
      long skipped = source.skip(partial);
      truncated = true;
      missingBytes = blockAlign - partial + (partial - skipped);
      dataRemaining -= skipped;
    }
    finished = true;
  }

  /** The input ended; {@code partialBytes} of an incomplete frame were read and are dropped. */
  private void endAtEof(int partialBytes) {
    finished = true;
    long missing = dataRemaining != UNKNOWN ? dataRemaining : (partialBytes > 0 ? blockAlign - partialBytes : 0);
    if (missing == 0) {
      return;
    }
    if (options.truncation() == Truncation.STRICT) {
      String what = dataRemaining != UNKNOWN
          ? "the data chunk declares " + declaredDataBytes + " bytes but the input ends after "
              + (declaredDataBytes - missing) + ": " + missing + " bytes are missing"
          : "the input ends inside a frame: " + missing + " bytes of its last frame are missing";
      throw fail(ErrorCode.DATA_TRUNCATED, what + " (the recording was cut short). Read it with "
          + "Truncation.LENIENT to keep the " + framesRead + " complete frames present.");
    }
    truncated = true;
    missingBytes = missing;
  }

  private DecodedWav readAll() {
    // Start small whatever the header claims (about 1 M samples at most) and grow as frames arrive.
    int capacity = (int) Math.min(Math.max(format.frames(), 0), Math.max(16, (1 << 20) / channels));
    capacity = Math.max(capacity, 16);
    float[][] buffers = new float[channels][capacity];
    int length = 0;
    while (true) {
      if (length == capacity) {
        long grown = Math.min((long) capacity * 2, Integer.MAX_VALUE - 16);
        if (grown == capacity) {
          throw fail(ErrorCode.AUDIO_TOO_LONG, "it holds more than 2^31 frames per channel; read it in blocks "
              + "with WavReader.open(...).");
        }
        capacity = (int) grown;
        for (int c = 0; c < channels; c++) {
          buffers[c] = Arrays.copyOf(buffers[c], capacity);
        }
      }
      int n = read(buffers, length, capacity - length);
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
        format.bitsPerSample(), blockAlign, length);
    return new DecodedWav(decoded, audio, truncated, missingBytes);
  }

  /** Closes the file this reader opened; a caller's stream is left open. Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      closeQuietly(owned);
    }
  }

  @Override
  public String toString() {
    return "WavReader[" + name + ", " + format + "]";
  }

  // ---------------------------------------------------------------- errors

  private TingxinException fail(ErrorCode code, String message) {
    return new TingxinException(code, name + ": " + message);
  }

  private TingxinException tooLong() {
    return fail(ErrorCode.AUDIO_TOO_LONG, "the audio is longer than the limit of "
        + String.format(Locale.ROOT, "%.0f", options.maxSeconds()) + " s / " + options.maxDataBytes()
        + " data bytes. Raise Options.maxSeconds / maxDataBytes, or read it in blocks with WavReader.open(...).");
  }

  private TingxinException nonFinite(long indexInStep) {
    long frame = framesRead + indexInStep / channels;
    long channel = indexInStep % channels;
    String why = codec == SampleCodec.FLOAT_64 ? "NaN, infinite or beyond float range" : "NaN or infinite";
    return fail(ErrorCode.NON_FINITE_SAMPLE, "sample " + (frame * channels + channel) + " (frame " + frame
        + ", channel " + channel + ") is " + why + "; the recording is corrupt or was written by a broken "
        + "filter. Repair or re-export it.");
  }

  private static TingxinException ioError(String name, IOException e) {
    return new TingxinException(ErrorCode.IO_ERROR, name + ": reading failed (" + e.getClass().getSimpleName()
        + "); check that the file or stream is readable.", e);
  }

  private static void closeQuietly(ByteSource source) {
    if (source != null) {
      try {
        source.close();
      } catch (IOException ignored) {
        // Closing a read-only file cannot lose data; the read result stands.
      }
    }
  }

  // ---------------------------------------------------------------- header

  /** What the header says, and where the data is. */
  private record Header(SampleCodec codec, int sampleRate, int channels, int blockAlign, long dataSize,
      byte[] bufferedData, int bufferedLength) {}

  /** The parsed {@code fmt } chunk. */
  private record Fmt(SampleCodec codec, int sampleRate, int channels, int blockAlign) {}

  /** Walks the chunks up to the data. */
  private static final class HeaderParser {
    private final String name;
    private final ByteSource in;
    private final Options options;
    private final byte[] b8 = new byte[12];

    HeaderParser(String name, ByteSource in, Options options) {
      this.name = name;
      this.in = in;
      this.options = options;
    }

    Header parse() throws IOException {
      int n = in.readFully(b8, 0, 12);
      checkMagic(n);
      Fmt fmt = null;
      long dataOffset = -1;
      long dataSize = 0;
      byte[] buffered = null;
      int bufferedLength = 0;
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
            if (buffered == null) {
              in.seek(dataOffset);
            }
            return header(fmt, dataSize, buffered, bufferedLength);
          }
        } else if (id.equals("data")) {
          boolean toEnd = size == 0 || size == 0xFFFFFFFFL;
          if (fmt != null) {
            return header(fmt, toEnd ? UNKNOWN : size, null, 0);
          }
          if (dataOffset >= 0) {
            // A second data chunk before fmt: the first one counts; skip this one.
            skipChunk(id, size, fmt, true);
            continue;
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
            if (size > options.maxDataBytes()) {
              throw fail(ErrorCode.AUDIO_TOO_LONG, "its data chunk (" + size + " bytes) comes before the fmt chunk "
                  + "and is larger than Options.maxDataBytes (" + options.maxDataBytes() + "), so it cannot be "
                  + "held until the format is known. Read it from a file instead, or raise the limit.");
            }
            // Held in memory until fmt says how to decode it; grown as bytes arrive, not by the declared size.
            buffered = new byte[(int) Math.min(size, 1 << 16)];
            while (bufferedLength < size) {
              if (bufferedLength == buffered.length) {
                buffered = Arrays.copyOf(buffered, (int) Math.min(size, 2L * buffered.length));
              }
              int got = in.readFully(buffered, bufferedLength, buffered.length - bufferedLength);
              bufferedLength += got;
              if (got == 0) {
                throw missingChunk(null, true, null);
              }
            }
            if ((size & 1) != 0) {
              in.skip(1);
            }
          }
        } else {
          skipChunk(id, size, fmt, dataOffset >= 0);
        }
      }
    }

    private Header header(Fmt fmt, long dataSize, byte[] buffered, int bufferedLength) {
      return new Header(fmt.codec, fmt.sampleRate, fmt.channels, fmt.blockAlign, dataSize, buffered, bufferedLength);
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
      if (tag == WAVE_FORMAT_EXTENSIBLE) {
        int cbSize = size >= 18 ? uint16(fmt, 16) : 0;
        if (size < 40 || cbSize < 22) {
          throw fail(ErrorCode.INCONSISTENT_FORMAT, "its fmt chunk says WAVE_FORMAT_EXTENSIBLE but has " + size
              + " bytes and an extension of " + cbSize + " bytes; EXTENSIBLE needs 40 and 22.");
        }
        validBits = uint16(fmt, 18);
        formatCode = uint16(fmt, 24);
        if (!Arrays.equals(fmt, 26, 40, GUID_TAIL, 0, 14)) {
          throw fail(ErrorCode.UNSUPPORTED_ENCODING, "its EXTENSIBLE sub-format GUID " + guid(fmt, 24)
              + " is not a WAVE format Tingxin decodes (PCM, IEEE float, mu-law, A-law). Convert it to PCM, e.g. "
              + "`sox in.wav -e signed-integer -b 16 out.wav`.");
        }
        if (validBits == 0) {
          validBits = bits;
        }
      }
      SampleCodec codec = codec(tag, formatCode, bits, validBits);
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

    private SampleCodec codec(int tag, int formatCode, int bits, int validBits) {
      String via = tag == WAVE_FORMAT_EXTENSIBLE ? " (EXTENSIBLE)" : "";
      if (validBits > bits) {
        throw fail(ErrorCode.INCONSISTENT_FORMAT, "it says " + validBits + " valid bits in " + bits
            + "-bit samples; the header is corrupt.");
      }
      switch (formatCode) {
        case WAVE_FORMAT_PCM -> {
          switch (bits) {
            case 8 -> {
              return SampleCodec.PCM_U8;
            }
            case 16 -> {
              return SampleCodec.PCM_S16;
            }
            case 24 -> {
              return SampleCodec.PCM_S24;
            }
            case 32 -> {
              return SampleCodec.PCM_S32;
            }
            default -> {
              if (bits == 0 || bits % 8 != 0) {
                throw fail(ErrorCode.INCONSISTENT_FORMAT, "it says integer PCM" + via + " with " + bits
                    + " bits per sample; PCM samples are whole bytes (8, 16, 24 or 32 bits).");
              }
              throw fail(ErrorCode.UNSUPPORTED_ENCODING, bits + "-bit integer PCM" + via + " is not supported; "
                  + "convert it, e.g. `sox in.wav -e signed-integer -b 32 out.wav`.");
            }
          }
        }
        case WAVE_FORMAT_IEEE_FLOAT -> {
          if (bits == 32) {
            return SampleCodec.FLOAT_32;
          }
          if (bits == 64) {
            return SampleCodec.FLOAT_64;
          }
          throw fail(ErrorCode.INCONSISTENT_FORMAT, "it says IEEE float" + via + " with " + bits
              + " bits per sample; float samples are 32 or 64 bits.");
        }
        case WAVE_FORMAT_MULAW, WAVE_FORMAT_ALAW -> {
          if (bits != 8) {
            throw fail(ErrorCode.INCONSISTENT_FORMAT, "it says G.711 " + (formatCode == WAVE_FORMAT_MULAW ? "mu-law"
                : "A-law") + via + " with " + bits + " bits per sample; G.711 samples are 8 bits.");
          }
          return formatCode == WAVE_FORMAT_MULAW ? SampleCodec.MU_LAW : SampleCodec.A_LAW;
        }
        default -> throw fail(ErrorCode.UNSUPPORTED_ENCODING, codecName(formatCode) + via
            + " is not supported; convert it to PCM, e.g. `sox in.wav -e signed-integer -b 16 out.wav`.");
      }
    }

    private TingxinException fail(ErrorCode code, String message) {
      return new TingxinException(code, name + ": " + message);
    }
  }

  /** "IMA ADPCM (0x0011)": the name of a WAVE format tag, for messages. */
  static String codecName(int tag) {
    String known = switch (tag) {
      case 0x0000 -> "Unknown format";
      case 0x0002 -> "Microsoft ADPCM";
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
      default -> "WAVE format";
    };
    return known + String.format(Locale.ROOT, " (0x%04X)", tag);
  }

  private static String guid(byte[] b, int o) {
    return String.format(Locale.ROOT, "{%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}", uint32(b, o),
        uint16(b, o + 4), uint16(b, o + 6), b[o + 8], b[o + 9], b[o + 10], b[o + 11], b[o + 12], b[o + 13],
        b[o + 14], b[o + 15]);
  }

  private static String printable(String s) {
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
