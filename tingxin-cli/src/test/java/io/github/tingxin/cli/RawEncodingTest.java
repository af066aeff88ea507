package io.github.tingxin.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tingxin.api.AudioFormat;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.core.audio.G711;
import io.github.tingxin.core.audio.PcmDecoder;
import io.github.tingxin.core.audio.PcmEncoding;
import io.github.tingxin.core.audio.WavReader;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** {@code --encoding} names lead sentiment-core's decoder to decode raw samples as the encoding says. */
class RawEncodingTest {
  private static float[][] decode(String encoding, int rate, int channels, byte[] samples, int frames) {
    try (PcmDecoder r = PcmDecoder.open(new ByteArrayInputStream(samples), StreamCommand.rawEncoding(encoding), rate,
        channels, WavReader.Options.DEFAULT)) {
      assertThat(r.format().sampleRate()).isEqualTo(rate);
      assertThat(r.format().channels()).isEqualTo(channels);
      assertThat(r.format().frames()).isEqualTo(-1); // streamed: no length
      float[][] out = new float[channels][frames + 3];
      int n = r.read(out, 0, frames + 3);
      assertThat(n).isEqualTo(frames);
      assertThat(r.read(out, 0, 1)).isEqualTo(-1);
      return out;
    }
  }

  @Test
  void muLawAndALawDecodeAsG711() {
    byte[] codes = {(byte) 0x00, (byte) 0x80, (byte) 0xEF, (byte) 0x55, (byte) 0x13};
    float[][] mu = decode("mulaw", 8000, 1, codes, codes.length);
    float[][] a = decode("alaw", 8000, 1, codes, codes.length);
    for (int i = 0; i < codes.length; i++) {
      assertThat(mu[0][i]).isEqualTo(G711.muLawToLinear(codes[i] & 0xFF) / 32768f);
      assertThat(a[0][i]).isEqualTo(G711.aLawToLinear(codes[i] & 0xFF) / 32768f);
    }
    assertThat(mu[0][0]).isEqualTo(-32124 / 32768f);
  }

  @Test
  void s16StereoAndF32Decode() {
    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) 16384).putShort((short) -32768).putShort((short) 100).putShort((short) 300);
    float[][] s16 = decode("s16le", 16000, 2, b.array(), 2);
    assertThat(s16[0]).startsWith(0.5f, 100 / 32768f);
    assertThat(s16[1]).startsWith(-1f, 300 / 32768f);

    ByteBuffer f = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.25f).putFloat(-1.5f);
    float[][] f32 = decode("f32le", 44100, 1, f.array(), 2);
    assertThat(f32[0]).startsWith(0.25f, -1.5f);
  }

  @Test
  void encodingNamesParse() {
    assertThat(StreamCommand.rawEncoding("mu-law")).isEqualTo(PcmEncoding.MULAW);
    assertThat(StreamCommand.rawEncoding("S16LE")).isEqualTo(PcmEncoding.S16LE);
    assertThatThrownBy(() -> StreamCommand.rawEncoding("s8")).isInstanceOf(TingxinException.class)
        .extracting(e -> ((TingxinException) e).code()).isEqualTo(ErrorCode.INVALID_OPTION);
    assertThat(AudioFormat.Encoding.values()).isNotEmpty();
  }
}
