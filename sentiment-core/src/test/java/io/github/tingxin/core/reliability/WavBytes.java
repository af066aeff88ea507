package io.github.tingxin.core.reliability;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds WAV files chunk by chunk, including malformed ones: every size is written as given, so a test can
 * declare sizes that the bytes do not hold.
 *
 * <p>Not thread-safe.
 */
final class WavBytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private WavBytes() {}

  /** Starts a file with the 12-byte RIFF header (RIFF size 0: the reader does not use it). */
  static WavBytes riff() {
    return raw("RIFF").u32(0).ascii("WAVE");
  }

  /** Starts a file with the given bytes instead of a RIFF header. */
  static WavBytes raw(String magic) {
    return new WavBytes().ascii(magic);
  }

  /** A classic 16-byte {@code fmt } chunk. */
  WavBytes fmt(int tag, int channels, long sampleRate, int blockAlign, int bits) {
    return ascii("fmt ").u32(16).u16(tag).u16(channels).u32(sampleRate).u32(sampleRate * blockAlign)
        .u16(blockAlign).u16(bits);
  }

  /** A {@code WAVE_FORMAT_EXTENSIBLE} {@code fmt } chunk with the standard GUID tail after {@code subFormat}. */
  WavBytes fmtExtensible(int subFormat, int channels, long sampleRate, int blockAlign, int bits, int validBits) {
    ascii("fmt ").u32(40).u16(0xFFFE).u16(channels).u32(sampleRate).u32(sampleRate * blockAlign)
        .u16(blockAlign).u16(bits).u16(22).u16(validBits).u32(0).u16(subFormat);
    return bytes(new byte[] {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00,
        0x38, (byte) 0x9B, 0x71});
  }

  /** A chunk header declaring {@code declaredSize} bytes, followed by {@code body} (which may be shorter). */
  WavBytes chunk(String id, long declaredSize, byte[] body) {
    return ascii(id).u32(declaredSize).bytes(body);
  }

  /** A data chunk of 16-bit samples declaring {@code declaredSize} bytes (-1: the size of the samples). */
  WavBytes data16(long declaredSize, short... samples) {
    byte[] body = new byte[samples.length * 2];
    for (int i = 0; i < samples.length; i++) {
      body[2 * i] = (byte) samples[i];
      body[2 * i + 1] = (byte) (samples[i] >> 8);
    }
    return chunk("data", declaredSize < 0 ? body.length : declaredSize, body);
  }

  /** A data chunk of 32-bit floats declaring {@code declaredSize} bytes (-1: the size of the samples). */
  WavBytes dataFloat(long declaredSize, float... samples) {
    byte[] body = new byte[samples.length * 4];
    for (int i = 0; i < samples.length; i++) {
      int bits = Float.floatToRawIntBits(samples[i]);
      for (int b = 0; b < 4; b++) {
        body[4 * i + b] = (byte) (bits >>> (8 * b));
      }
    }
    return chunk("data", declaredSize < 0 ? body.length : declaredSize, body);
  }

  WavBytes ascii(String s) {
    return bytes(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  WavBytes u16(int v) {
    out.write(v);
    out.write(v >>> 8);
    return this;
  }

  WavBytes u32(long v) {
    for (int b = 0; b < 4; b++) {
      out.write((int) (v >>> (8 * b)));
    }
    return this;
  }

  WavBytes bytes(byte[] b) {
    out.writeBytes(b);
    return this;
  }

  byte[] build() {
    return out.toByteArray();
  }

  /** The first {@code length} bytes of {@code bytes}. */
  static byte[] cut(byte[] bytes, int length) {
    return java.util.Arrays.copyOf(bytes, length);
  }
}
