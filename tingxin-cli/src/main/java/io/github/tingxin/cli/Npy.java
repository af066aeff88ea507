package io.github.tingxin.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes NumPy {@code .npy} files, format version 1.0 (numpy.lib.format): the magic {@code \x93NUMPY},
 * version bytes 1 0, a little-endian uint16 header length, then an ASCII Python dict literal
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (F, D), }} padded with spaces and ending in a
 * newline so that the data starts at a multiple of 64 bytes, then the values row-major, little-endian.
 * {@code numpy.load} reads the result. Stateless.
 */
final class Npy {
  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int ALIGN = 64;

  private Npy() {}

  /** The header (magic to the newline) of a C-order float32 array of {@code shape}. */
  static byte[] header(int... shape) {
    StringBuilder dims = new StringBuilder();
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] < 0) {
        throw new IllegalArgumentException("negative dimension " + shape[i]);
      }
      dims.append(shape[i]).append(shape.length == 1 || i < shape.length - 1 ? "," : "");
      if (i < shape.length - 1) {
        dims.append(' ');
      }
    }
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int total = (unpadded + ALIGN - 1) / ALIGN * ALIGN;
    StringBuilder text = new StringBuilder(dict);
    while (MAGIC.length + 4 + text.length() + 1 < total) {
      text.append(' ');
    }
    text.append('\n');
    byte[] dictBytes = text.toString().getBytes(StandardCharsets.US_ASCII);
    if (dictBytes.length > 0xFFFF) {
      throw new IllegalArgumentException("header too long for .npy version 1.0");
    }
    ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + dictBytes.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) dictBytes.length).put(dictBytes);
    return b.array();
  }

  /**
   * Writes {@code rows x cols} float32 values (row-major) to {@code file}, whole or not at all, never over a
   * file that is not a {@code .npy} ({@link OutputFiles}).
   *
   * @throws IllegalArgumentException if the array does not hold {@code rows * cols} values
   * @throws io.github.tingxin.api.TingxinException {@code INVALID_OPTION} where {@code file} must not be
   *     written over
   */
  static void writeFloat32(Path file, float[] data, int rows, int cols) throws IOException {
    if ((long) rows * cols != data.length) {
      throw new IllegalArgumentException(rows + " x " + cols + " does not match " + data.length + " values");
    }
    OutputFiles.write("--out", file, OutputFiles.Kind.NPY, java.util.List.of(), out -> {
      out.write(header(rows, cols));
      ByteBuffer chunk = ByteBuffer.allocate(4 * 4096).order(ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < data.length; ) {
        chunk.clear();
        int n = Math.min(4096, data.length - i);
        chunk.asFloatBuffer().put(data, i, n);
        out.write(chunk.array(), 0, 4 * n);
        i += n;
      }
    });
  }
}
