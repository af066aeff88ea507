package io.github.tingxin.core.audio;

import io.github.tingxin.api.AudioFormat;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Objects;

/**
 * Decodes interleaved little-endian samples into float blocks of full scale 1.0: integer PCM (unsigned
 * 8-bit, signed 16, 24 and 32-bit), IEEE float (32 and 64-bit), G.711 mu-law and A-law, with any number of
 * channels, scaled as libsndfile and {@code torchaudio.load} scale them (integer / 2^(bits-1); unsigned
 * 8-bit as (b - 128) / 128; G.711 as its 16-bit value / 32768; floats as stored, without clipping).
 *
 * <p>The one sample decoder of Tingxin: {@link WavReader} decodes a WAV file's data chunk with it, and
 * {@link #open(InputStream, AudioFormat, WavReader.Options)} decodes headerless ("raw") input, such as a
 * telephony stream on standard input ({@code tingxin stream --raw}).
 *
 * <p>Bytes are decoded through one buffer of about 64 KiB, whatever the channel count; a declared size
 * allocates nothing. The limits of {@link WavReader.Options} apply: {@link WavReader.Options#maxSeconds()}
 * and {@link WavReader.Options#maxDataBytes()} ({@link ErrorCode#AUDIO_TOO_LONG} when the data read passes
 * them), {@link WavReader.Options#maxChannels()} ({@link ErrorCode#TOO_MANY_CHANNELS}), and
 * {@link WavReader.Options#truncation()} for data that ends early or inside a frame.
 *
 * <p>Not thread-safe: use a decoder from one thread at a time. One opened on a caller's stream never
 * closes it.
 */
public final class PcmDecoder implements SampleReader {
  /** Raw bytes decoded per step of a block read. */
  private static final int RAW_BLOCK_BYTES = 64 * 1024;
  private static final long UNKNOWN = -1;

  /** Runs when a declared data size has been read completely (a WAV reader checks what follows). */
  @FunctionalInterface
  interface EndOfData {
    void reached() throws IOException;
  }

  private final String name;
  private final String dataName;
  private final ByteSource source;
  private final ByteSource owned;
  private final WavReader.Options options;
  private final AudioFormat format;
  private final PcmEncoding codec;
  private final int channels;
  private final int blockAlign;
  private final long frameLimit;
  private final EndOfData endOfData;
  /** Bytes of the data not read yet, or {@link #UNKNOWN} (to the end of the input). */
  private long dataRemaining;
  private final long declaredDataBytes;
  private final byte[] raw;
  private long framesRead;
  private boolean finished;
  private boolean truncated;
  private long missingBytes;
  private boolean closed;
  private boolean failed;

  /**
   * A decoder of {@code dataBytes} bytes (or, for -1, up to the end) of {@code source}.
   *
   * @param name the input, first in every message
   * @param dataName what declares the data's size, for messages ("the data chunk")
   * @param owned what {@link #close()} closes (may be null)
   * @param endOfData what to run once a declared size has been read completely (may be null)
   */
  PcmDecoder(String name, String dataName, ByteSource source, ByteSource owned, WavReader.Options options,
      PcmEncoding codec, int sampleRate, int channels, long dataBytes, EndOfData endOfData) {
    this.name = name;
    this.dataName = dataName;
    this.source = source;
    this.owned = owned;
    this.options = options;
    this.codec = codec;
    this.channels = channels;
    this.blockAlign = channels * codec.bytes;
    this.endOfData = endOfData;
    this.dataRemaining = dataBytes;
    this.declaredDataBytes = dataBytes;
    long frames = dataBytes == UNKNOWN ? -1 : dataBytes / blockAlign;
    this.format = new AudioFormat(codec.encoding, sampleRate, channels, codec.bytes * 8, blockAlign, frames);
    double secondsFrames = Math.floor(options.maxSeconds() * sampleRate);
    this.frameLimit = (long) Math.min(Math.min(secondsFrames, (double) Long.MAX_VALUE),
        (double) (options.maxDataBytes() / blockAlign));
    if (channels > options.maxChannels()) {
      throw fail(ErrorCode.TOO_MANY_CHANNELS, tooManyChannels(channels, options.maxChannels()));
    }
    if (dataBytes != UNKNOWN && dataBytes % blockAlign != 0 && options.truncation() == WavReader.Truncation.STRICT) {
      throw fail(ErrorCode.INCONSISTENT_FORMAT, dataName + " size " + dataBytes
          + " is not a multiple of the block align " + blockAlign + " bytes; the last frame is incomplete. "
          + "Read it with Truncation.LENIENT to drop that frame.");
    }
    if (dataBytes != UNKNOWN && options.truncation() == WavReader.Truncation.STRICT && frames > frameLimit) {
      throw tooLong();
    }
    this.raw = new byte[Math.max(blockAlign, RAW_BLOCK_BYTES / blockAlign * blockAlign)];
  }

  /**
   * Opens headerless samples on {@code stream}, laid out as {@code format} says. The data runs to the end of
   * the stream where {@link AudioFormat#frames()} is -1, else it is that many frames (reading stops after
   * them). The caller keeps and closes the stream.
   *
   * @param stream the bytes
   * @param format the encoding, rate and channels; its {@link AudioFormat#blockAlign()} must be the
   *     channels times the bytes of a sample
   * @param options the limits and what to do with data that ends early (or inside a frame)
   * @throws NullPointerException if an argument is null
   * @throws TingxinException {@link ErrorCode#UNSUPPORTED_ENCODING} for an encoding and sample size Tingxin
   *     does not decode (see the class description), {@link ErrorCode#INCONSISTENT_FORMAT} for a block
   *     align that does not fit, {@link ErrorCode#UNSUPPORTED_SAMPLE_RATE} above
   *     {@value Resampler#MAX_RATE} Hz, {@link ErrorCode#TOO_MANY_CHANNELS} over the options' limit
   */
  public static PcmDecoder open(InputStream stream, AudioFormat format, WavReader.Options options) {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(options, "options");
    String name = "<raw stream>";
    PcmEncoding codec = PcmEncoding.of(format.encoding(), format.bitsPerSample()).orElse(null);
    if (codec == null) {
      throw new TingxinException(ErrorCode.UNSUPPORTED_ENCODING, name + ": " + format.bitsPerSample() + "-bit "
          + format.encoding().name().toLowerCase(Locale.ROOT).replace('_', ' ') + " samples are not decoded; "
          + "use unsigned 8-bit or signed 16, 24, 32-bit PCM, 32 or 64-bit float, or 8-bit mu-law or A-law.");
    }
    if ((long) format.channels() * codec.bytes != format.blockAlign()) {
      throw new TingxinException(ErrorCode.INCONSISTENT_FORMAT, name + ": a block align of " + format.blockAlign()
          + " bytes does not fit " + format.channels() + " channel(s) of " + format.bitsPerSample() + "-bit samples.");
    }
    if (format.sampleRate() > Resampler.MAX_RATE) {
      throw new TingxinException(ErrorCode.UNSUPPORTED_SAMPLE_RATE, name + ": a sample rate of "
          + format.sampleRate() + " Hz is above " + Resampler.MAX_RATE + " Hz.");
    }
    long bytes = format.frames() < 0 ? UNKNOWN : format.frames() * format.blockAlign();
    return new PcmDecoder(name, "the raw format", ByteSource.of(stream), null, options, codec,
        format.sampleRate(), format.channels(), bytes, null);
  }

  /**
   * Opens headerless samples of {@code encoding} on {@code stream}, running to its end; the same as
   * {@link #open(InputStream, AudioFormat, WavReader.Options)} with {@link PcmEncoding#format(int, int)}.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code sampleRate} or {@code channels} is not positive
   * @throws TingxinException as {@link #open(InputStream, AudioFormat, WavReader.Options)}
   */
  public static PcmDecoder open(InputStream stream, PcmEncoding encoding, int sampleRate, int channels,
      WavReader.Options options) {
    return open(stream, encoding.format(sampleRate, channels), options);
  }

  @Override
  public AudioFormat format() {
    return format;
  }

  @Override
  public int blockFrames() {
    return raw.length / blockAlign;
  }

  @Override
  public long framesRead() {
    return framesRead;
  }

  @Override
  public boolean finished() {
    return finished;
  }

  @Override
  public boolean truncated() {
    return truncated;
  }

  @Override
  public long missingBytes() {
    return missingBytes;
  }

  @Override
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
      throw new IllegalStateException("the reader is closed");
    }
    if (frames == 0) {
      return 0;
    }
    if (finished) {
      return -1;
    }
    if (failed) {
      throw new IllegalStateException("the reader failed earlier (see that TingxinException); it can only be "
          + "closed");
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
    boolean complete = true;
    if (dataRemaining > 0) {
      long partial = dataRemaining;
      long skipped = source.skip(partial);
      truncated = true;
      missingBytes = blockAlign - partial + (partial - skipped);
      dataRemaining -= skipped;
      complete = skipped == partial;
    }
    finished = true;
    if (complete && endOfData != null) {
      endOfData.reached();
    }
  }

  /** The input ended; {@code partialBytes} of an incomplete frame were read and are dropped. */
  private void endAtEof(int partialBytes) {
    finished = true;
    long missing = dataRemaining != UNKNOWN ? dataRemaining : (partialBytes > 0 ? blockAlign - partialBytes : 0);
    if (missing == 0) {
      return;
    }
    if (options.truncation() == WavReader.Truncation.STRICT) {
      String what = dataRemaining != UNKNOWN
          ? dataName + " declares " + declaredDataBytes + " bytes but the input ends after "
              + (declaredDataBytes - missing) + ": " + missing + " bytes are missing"
          : "the input ends inside a frame: " + missing + " bytes of its last frame are missing";
      throw fail(ErrorCode.DATA_TRUNCATED, what + " (the recording was cut short). Read it with "
          + "Truncation.LENIENT to keep the " + framesRead + " complete frames present.");
    }
    truncated = true;
    missingBytes = missing;
  }

  /** Closes the file this decoder was given to own; a caller's stream is left open. Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      closeQuietly(owned);
    }
  }

  @Override
  public String toString() {
    return "PcmDecoder[" + name + ", " + format + "]";
  }

  // ---------------------------------------------------------------- errors

  private TingxinException fail(ErrorCode code, String message) {
    return new TingxinException(code, name + ": " + message);
  }

  TingxinException tooLong() {
    return fail(ErrorCode.AUDIO_TOO_LONG, "the audio is longer than the limit of "
        + String.format(Locale.ROOT, "%.0f", options.maxSeconds()) + " s / " + options.maxDataBytes()
        + " data bytes. Raise Options.maxSeconds / maxDataBytes, or read it in blocks with WavReader.open(...).");
  }

  private TingxinException nonFinite(long indexInStep) {
    long frame = framesRead + indexInStep / channels;
    long channel = indexInStep % channels;
    String why = codec == PcmEncoding.F64LE ? "NaN, infinite or beyond float range" : "NaN or infinite";
    return fail(ErrorCode.NON_FINITE_SAMPLE, "sample " + (frame * channels + channel) + " (frame " + frame
        + ", channel " + channel + ") is " + why + "; the recording is corrupt or was written by a broken "
        + "filter. Repair or re-export it.");
  }

  private static String tooManyChannels(int channels, int max) {
    return "it says " + channels + " channels, more than the " + max + " Tingxin reads (a call has one or two, "
        + "a conference a few more): the header is likely corrupt. If the recording really has that many, "
        + "keep the channels you need first, e.g. `sox in.wav out.wav remix 1 2`, or raise "
        + "WavReader.Options.maxChannels.";
  }

  static TingxinException ioError(String name, IOException e) {
    return new TingxinException(ErrorCode.IO_ERROR, name + ": reading failed (" + e.getClass().getSimpleName()
        + "); check that the file or stream is readable.", e);
  }

  static void closeQuietly(ByteSource source) {
    if (source != null) {
      try {
        source.close();
      } catch (IOException ignored) {
        // Closing a read-only file cannot lose data; the read result stands.
      }
    }
  }
}
