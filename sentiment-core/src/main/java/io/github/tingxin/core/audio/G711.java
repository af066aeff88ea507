package io.github.tingxin.core.audio;

/**
 * ITU-T G.711 mu-law and A-law companding, table-based, bit-exact with the reference implementation of
 * Sun Microsystems' {@code g711.c} (which libsndfile, SoX and Python's {@code audioop} follow): a code
 * decodes to a 16-bit linear value (mu-law within +-32124, A-law within +-32256), and encoding a 16-bit
 * value looks up the top 14 (mu-law) or 13 (A-law) bits.
 *
 * <p>Stateless and thread-safe; the tables are built once, when the class loads.
 */
public final class G711 {
  // Segment ends of Sun's g711.c; declared before the tables, which the static block builds from them.
  private static final int[] SEG_U_END = {0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF};
  private static final int[] SEG_A_END = {0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF};
  private static final short[] MU_LAW_DECODE = new short[256];
  private static final short[] A_LAW_DECODE = new short[256];
  /** Indexed by the 16-bit value shifted right by 2, as unsigned 14 bits. */
  private static final byte[] MU_LAW_ENCODE = new byte[1 << 14];
  /** Indexed by the 16-bit value shifted right by 3, as unsigned 13 bits. */
  private static final byte[] A_LAW_ENCODE = new byte[1 << 13];

  static {
    for (int code = 0; code < 256; code++) {
      MU_LAW_DECODE[code] = (short) muLawToLinearReference(code);
      A_LAW_DECODE[code] = (short) aLawToLinearReference(code);
    }
    for (int i = 0; i < MU_LAW_ENCODE.length; i++) {
      MU_LAW_ENCODE[i] = (byte) linearToMuLawReference((short) (i << 2));
    }
    for (int i = 0; i < A_LAW_ENCODE.length; i++) {
      A_LAW_ENCODE[i] = (byte) linearToALawReference((short) (i << 3));
    }
  }

  private G711() {}

  /** The 16-bit linear value of mu-law code {@code code} (only its low 8 bits are used). */
  public static short muLawToLinear(int code) {
    return MU_LAW_DECODE[code & 0xFF];
  }

  /** The 16-bit linear value of A-law code {@code code} (only its low 8 bits are used). */
  public static short aLawToLinear(int code) {
    return A_LAW_DECODE[code & 0xFF];
  }

  /** The mu-law code (0 to 255) of the 16-bit linear value {@code sample}. */
  public static int linearToMuLaw(short sample) {
    return MU_LAW_ENCODE[(sample >> 2) & 0x3FFF] & 0xFF;
  }

  /** The A-law code (0 to 255) of the 16-bit linear value {@code sample}. */
  public static int linearToALaw(short sample) {
    return A_LAW_ENCODE[(sample >> 3) & 0x1FFF] & 0xFF;
  }

  /**
   * Decodes {@code length} mu-law codes to floats with full scale 1.0 (the 16-bit value / 32768).
   *
   * @throws IndexOutOfBoundsException if a range is out of bounds
   */
  public static void decodeMuLaw(byte[] src, int srcOffset, float[] dst, int dstOffset, int length) {
    java.util.Objects.checkFromIndexSize(srcOffset, length, src.length);
    java.util.Objects.checkFromIndexSize(dstOffset, length, dst.length);
    for (int i = 0; i < length; i++) {
      dst[dstOffset + i] = MU_LAW_DECODE[src[srcOffset + i] & 0xFF] * (1f / 32768f);
    }
  }

  /**
   * Decodes {@code length} A-law codes to floats with full scale 1.0 (the 16-bit value / 32768).
   *
   * @throws IndexOutOfBoundsException if a range is out of bounds
   */
  public static void decodeALaw(byte[] src, int srcOffset, float[] dst, int dstOffset, int length) {
    java.util.Objects.checkFromIndexSize(srcOffset, length, src.length);
    java.util.Objects.checkFromIndexSize(dstOffset, length, dst.length);
    for (int i = 0; i < length; i++) {
      dst[dstOffset + i] = A_LAW_DECODE[src[srcOffset + i] & 0xFF] * (1f / 32768f);
    }
  }

  /**
   * Encodes {@code length} floats (full scale 1.0) as mu-law codes: each is rounded to 16 bits,
   * saturating at full scale, then encoded.
   *
   * @throws IndexOutOfBoundsException if a range is out of bounds
   */
  public static void encodeMuLaw(float[] src, int srcOffset, byte[] dst, int dstOffset, int length) {
    java.util.Objects.checkFromIndexSize(srcOffset, length, src.length);
    java.util.Objects.checkFromIndexSize(dstOffset, length, dst.length);
    for (int i = 0; i < length; i++) {
      dst[dstOffset + i] = MU_LAW_ENCODE[(toPcm16(src[srcOffset + i]) >> 2) & 0x3FFF];
    }
  }

  /**
   * Encodes {@code length} floats (full scale 1.0) as A-law codes: each is rounded to 16 bits,
   * saturating at full scale, then encoded.
   *
   * @throws IndexOutOfBoundsException if a range is out of bounds
   */
  public static void encodeALaw(float[] src, int srcOffset, byte[] dst, int dstOffset, int length) {
    java.util.Objects.checkFromIndexSize(srcOffset, length, src.length);
    java.util.Objects.checkFromIndexSize(dstOffset, length, dst.length);
    for (int i = 0; i < length; i++) {
      dst[dstOffset + i] = A_LAW_ENCODE[(toPcm16(src[srcOffset + i]) >> 3) & 0x1FFF];
    }
  }

  /** Rounds a float with full scale 1.0 to 16 bits, saturating; NaN becomes 0. */
  static short toPcm16(float x) {
    double v = Math.rint(x * 32768.0);
    if (v >= 32767) {
      return 32767;
    }
    if (v <= -32768) {
      return -32768;
    }
    return (short) v;
  }

  // ---- Sun g711.c, transcribed; used only to build the tables ----

  private static int segment(int value, int[] ends) {
    for (int i = 0; i < ends.length; i++) {
      if (value <= ends[i]) {
        return i;
      }
    }
    return ends.length;
  }

  private static int linearToMuLawReference(short pcm) {
    final int bias = 0x84;
    final int clip = 8159;
    int value = pcm >> 2;
    int mask;
    if (value < 0) {
      value = -value;
      mask = 0x7F;
    } else {
      mask = 0xFF;
    }
    if (value > clip) {
      value = clip;
    }
    value += bias >> 2;
    int seg = segment(value, SEG_U_END);
    if (seg >= 8) {
      return (0x7F ^ mask) & 0xFF;
    }
    int code = (seg << 4) | ((value >> (seg + 1)) & 0xF);
    return (code ^ mask) & 0xFF;
  }

  private static int muLawToLinearReference(int code) {
    final int bias = 0x84;
    int u = ~code & 0xFF;
    int t = ((u & 0x0F) << 3) + bias;
    t <<= (u & 0x70) >> 4;
    return (u & 0x80) != 0 ? bias - t : t - bias;
  }

  private static int linearToALawReference(short pcm) {
    int value = pcm >> 3;
    int mask;
    if (value >= 0) {
      mask = 0xD5;
    } else {
      mask = 0x55;
      value = -value - 1;
    }
    int seg = segment(value, SEG_A_END);
    if (seg >= 8) {
      return (0x7F ^ mask) & 0xFF;
    }
    int code = seg << 4;
    code |= seg < 2 ? (value >> 1) & 0x0F : (value >> seg) & 0x0F;
    return (code ^ mask) & 0xFF;
  }

  private static int aLawToLinearReference(int code) {
    int a = (code ^ 0x55) & 0xFF;
    int t = (a & 0x0F) << 4;
    int seg = (a & 0x70) >> 4;
    switch (seg) {
      case 0 -> t += 8;
      case 1 -> t += 0x108;
      default -> {
        t += 0x108;
        t <<= seg - 1;
      }
    }
    return (a & 0x80) != 0 ? t : -t;
  }
}
