package io.github.tingxin.core.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** G.711 against Python's audioop (an independent implementation of the same ITU tables). */
class G711Test {

  @Test
  void decodesEveryCodeAsAudioop() {
    short[] mu = shorts(Reference.bytes("g711/ulaw2lin.s16"));
    short[] a = shorts(Reference.bytes("g711/alaw2lin.s16"));
    assertThat(mu).hasSize(256);
    for (int code = 0; code < 256; code++) {
      assertThat(G711.muLawToLinear(code)).as("mu-law %d", code).isEqualTo(mu[code]);
      assertThat(G711.aLawToLinear(code)).as("A-law %d", code).isEqualTo(a[code]);
    }
    byte[] codes = new byte[256];
    for (int i = 0; i < 256; i++) {
      codes[i] = (byte) i;
    }
    float[] out = new float[256];
    G711.decodeMuLaw(codes, 0, out, 0, 256);
    for (int i = 0; i < 256; i++) {
      assertThat(out[i]).isEqualTo(mu[i] / 32768f);
    }
    G711.decodeALaw(codes, 0, out, 0, 256);
    for (int i = 0; i < 256; i++) {
      assertThat(out[i]).isEqualTo(a[i] / 32768f);
    }
  }

  @Test
  void encodesEvery16BitValueAsAudioop() {
    byte[] mu = Reference.bytes("g711/lin2ulaw.u8");
    byte[] a = Reference.bytes("g711/lin2alaw.u8");
    assertThat(mu).hasSize(65536);
    for (int i = 0; i < 65536; i++) {
      short s = (short) (i - 32768);
      assertThat(G711.linearToMuLaw(s)).as("mu-law of %d", s).isEqualTo(mu[i] & 0xFF);
      assertThat(G711.linearToALaw(s)).as("A-law of %d", s).isEqualTo(a[i] & 0xFF);
    }
  }

  @Test
  void floatEncodingRoundsThenEncodesAndIsStableOnDecodedValues() {
    float[] x = new float[256];
    byte[] codes = new byte[256];
    for (int i = 0; i < 256; i++) {
      codes[i] = (byte) i;
    }
    G711.decodeMuLaw(codes, 0, x, 0, 256);
    byte[] again = new byte[256];
    G711.encodeMuLaw(x, 0, again, 0, 256);
    float[] y = new float[256];
    G711.decodeMuLaw(again, 0, y, 0, 256);
    assertThat(y).isEqualTo(x); // 0x7F and 0xFF both decode to 0, so compare values, not codes
    G711.decodeALaw(codes, 0, x, 0, 256);
    G711.encodeALaw(x, 0, again, 0, 256);
    assertThat(again).isEqualTo(codes);
    assertThat(G711.toPcm16(2f)).isEqualTo((short) 32767);
    assertThat(G711.toPcm16(-2f)).isEqualTo((short) -32768);
    assertThat(G711.toPcm16(0.5f / 32768)).isEqualTo((short) 0); // rint: half to even
  }

  private static short[] shorts(byte[] b) {
    short[] out = new short[b.length / 2];
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(out);
    return out;
  }
}
