package io.github.tingxin.core.audio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;

/**
 * Little-endian byte input over a file channel (buffered and seekable, which {@link WavReader} uses for
 * chunks in any order) or a caller's stream (not seekable, and never read past the bytes asked for, so the
 * stream is left right after the data chunk). Not thread-safe. Closing closes a channel, never a caller's
 * stream.
 */
final class ByteSource implements AutoCloseable {
  private static final int BUFFER_SIZE = 64 * 1024;

  private final InputStream stream;
  private final SeekableByteChannel channel;
  private final byte[] buffer;
  private final ByteBuffer wrapped;
  private int pos;
  private int limit;
  /** Source offset of {@code buffer[0]} (channels), or bytes consumed (streams). */
  private long bufferOffset;
  private boolean eof;

  private ByteSource(InputStream stream, SeekableByteChannel channel) {
    this.stream = stream;
    this.channel = channel;
    this.buffer = new byte[channel != null ? BUFFER_SIZE : 8192];
    this.wrapped = ByteBuffer.wrap(buffer);
  }

  static ByteSource of(InputStream stream) {
    return new ByteSource(stream, null);
  }

  static ByteSource of(SeekableByteChannel channel) {
    return new ByteSource(null, channel);
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
    }
  }
}
