package io.github.tingxin.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class PcmDecoderTest {
  @Test
  void g711MatchesTheItuTables() {
    // ITU-T G.711 reference points (as in sox and libsndfile): code -> 16-bit linear value.
    assertThat(PcmDecoder.muLaw(0xFF)).isEqualTo(0);
    assertThat(PcmDecoder.muLaw(0x7F)).isEqualTo(0);
    assertThat(PcmDecoder.muLaw(0x00)).isEqualTo(-32124);
    assertThat(PcmDecoder.muLaw(0x80)).isEqualTo(32124);
    assertThat(PcmDecoder.muLaw(0xEF)).isEqualTo(132);
    assertThat(PcmDecoder.aLaw(0xD5)).isEqualTo(8);
    assertThat(PcmDecoder.aLaw(0x55)).isEqualTo(-8);
    assertThat(PcmDecoder.aLaw(0xAA)).isEqualTo(32256);
    assertThat(PcmDecoder.aLaw(0x2A)).isEqualTo(-32256);
    // Monotonic over the positive half, as a companding curve must be.
    for (int c = 0x80; c < 0xFF; c++) {
      assertThat(PcmDecoder.muLaw(c)).isGreaterThan(PcmDecoder.muLaw(c + 1));
    }
  }

  @Test
  void decodesS16StereoToOneChannelOrTheAverage() {
    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) 16384).putShort((short) -32768).putShort((short) 100).putShort((short) 300);
    float[] out = new float[2];
    new PcmDecoder(PcmDecoder.Encoding.S16LE, 2, 1).decode(b.array(), 0, 2, out);
    assertThat(out).containsExactly(-1f, 300 / 32768f);
    new PcmDecoder(PcmDecoder.Encoding.S16LE, 2, -1).decode(b.array(), 0, 2, out);
    assertThat(out).containsExactly((16384 - 32768) / 2 / 32768f, 200 / 32768f);
  }

  @Test
  void decodesF32AndRefusesNaN() {
    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    b.putFloat(0.25f).putFloat(Float.NaN);
    float[] out = new float[2];
    PcmDecoder d = new PcmDecoder(PcmDecoder.Encoding.F32LE, 1, -1);
    d.decode(b.array(), 0, 1, out);
    assertThat(out[0]).isEqualTo(0.25f);
    assertThatThrownBy(() -> d.decode(b.array(), 0, 2, out)).isInstanceOf(TingxinException.class)
        .extracting(e -> ((TingxinException) e).code()).isEqualTo(ErrorCode.NON_FINITE_SAMPLE);
  }

  @Test
  void decodesS24() {
    byte[] b = {(byte) 0xFF, (byte) 0xFF, (byte) 0x7F, 0x00, 0x00, (byte) 0x80};
    float[] out = new float[2];
    new PcmDecoder(PcmDecoder.Encoding.S24LE, 1, -1).decode(b, 0, 2, out);
    assertThat(out).containsExactly(8388607f / 8388608f, -1f);
  }

  @Test
  void refusesAChannelTheInputLacksAndUnknownEncodings() {
    assertThatThrownBy(() -> new PcmDecoder(PcmDecoder.Encoding.S16LE, 1, 1))
        .extracting(e -> ((TingxinException) e).code()).isEqualTo(ErrorCode.INVALID_CHANNEL);
    assertThatThrownBy(() -> PcmDecoder.Encoding.parse("s8"))
        .extracting(e -> ((TingxinException) e).code()).isEqualTo(ErrorCode.INVALID_OPTION);
    assertThat(PcmDecoder.Encoding.parse("mu-law")).isEqualTo(PcmDecoder.Encoding.MULAW);
  }
}
