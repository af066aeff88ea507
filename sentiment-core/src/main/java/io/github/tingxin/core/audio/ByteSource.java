package io.github.tingxin.core.audio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Byte input over a regular file's channel (buffered and seekable, which {@link WavHeaderParser} uses for
 * chunks in any order) or a stream (not seekable, and never read past the bytes asked for): a caller's
 * stream, or a path that is not a regular file (a pipe, {@code /dev/stdin}, a device), where seeking is
 * impossible and skipping reads past the bytes. Not thread-safe. Closing closes what {@link #open(Path)}
 * opened, never a caller's stream.
 */
final class ByteSource implements AutoCloseable {
  private static final int BUFFER_SIZE = 64 * 1024;

  private final InputStream stream;
  private final boolean ownsStream;
  private final SeekableByteChannel channel;
  private final byte[] buffer;
  private final ByteBuffer wrapped;
  private int pos;
  private int limit;
  /** Source offset of {@code buffer[0]} (channels), or bytes consumed (streams). */
  private long bufferOffset;
  private boolean eof;

  private ByteSource(InputStream stream, boolean ownsStream, SeekableByteChannel channel) {
    this.stream = stream;
    this.ownsStream = ownsStream;
    this.channel = channel;
    this.buffer = new byte[channel != null ? BUFFER_SIZE : 8192];
    this.wrapped = ByteBuffer.wrap(buffer);
  }

  /** A caller's stream, which {@link #close()} leaves open. */
  static ByteSource of(InputStream stream) {
    return new ByteSource(stream, false, null);
  }

  /**
   * Opens {@code file}: seekable where it is a regular file; otherwise (a pipe, {@code /dev/stdin}, a
   * device, whose channel cannot seek and whose size says nothing) as a stream. Closed by {@link #close()}.
   */
  static ByteSource open(Path file) throws IOException {
    if (Files.isRegularFile(file)) {
      return new ByteSource(null, false, Files.newByteChannel(file, StandardOpenOption.READ));
    }
    return new ByteSource(Files.newInputStream(file), true, null);
  }

  boolean seekable() {
    return channel != null;
  }

  /** Bytes consumed so far (the offset of the next byte). */
  long position() {
    return bufferOffset + pos;
  }

  void seek(long position) throws IOException {
    if (channel == null) {
      throw new IllegalStateException("not seekable");
    }
    if (position >= bufferOffset && position <= bufferOffset + limit) {
      pos = (int) (position - bufferOffset);
      return;
    }
    channel.position(position);
    bufferOffset = position;
    pos = 0;
    limit = 0;
    eof = false;
  }

  /** Reads up to {@code length} bytes, fewer only at the end of the input; returns how many. */
  int readFully(byte[] dst, int offset, int length) throws IOException {
    if (channel == null) {
      return readStream(dst, offset, length);
    }
    int done = 0;
    while (done < length) {
      if (pos == limit && !fill()) {
        break;
      }
      int n = Math.min(length - done, limit - pos);
      System.arraycopy(buffer, pos, dst, offset + done, n);
      pos += n;
      done += n;
    }
    return done;
  }

  /** Skips up to {@code count} bytes, fewer only at the end of the input; returns how many. */
  long skip(long count) throws IOException {
    if (channel == null) {
      long done = 0;
      while (done < count) {
        int n = readStream(buffer, 0, (int) Math.min(buffer.length, count - done));
        done += n;
        if (n == 0) {
          break;
        }
      }
      return done;
    }
    long inBuffer = Math.min(count, limit - pos);
    pos += (int) inBuffer;
    if (inBuffer == count) {
      return count;
    }
    long here = bufferOffset + pos;
    long target = Math.max(here, Math.min(channel.size(), here + (count - inBuffer)));
    seek(target);
    return inBuffer + (target - here);
  }

  private int readStream(byte[] dst, int offset, int length) throws IOException {
    int done = 0;
    while (done < length && !eof) {
      int n = stream.read(dst, offset + done, length - done);
      if (n < 0) {
        eof = true;
      } else {
        done += n;
      }
    }
    bufferOffset += done;
    return done;
  }

  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    bufferOffset += limit;
    pos = 0;
    limit = 0;
    wrapped.clear();
    int n = channel.read(wrapped);
    if (n < 0) {
      eof = true;
      return false;
    }
    limit = n;
    return true;
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
    } else if (ownsStream) {
      stream.close();
    }
  }
}
