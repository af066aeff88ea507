package io.github.tingxin.core.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.tingxin.api.Audio;
import io.github.tingxin.api.AudioFormat;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavWriterTest {
  private static final Map<PcmEncoding, AudioFormat.Encoding> READ_AS = Map.of(
      PcmEncoding.U8, AudioFormat.Encoding.PCM_UNSIGNED,
      PcmEncoding.S16LE, AudioFormat.Encoding.PCM_SIGNED,
      PcmEncoding.S24LE, AudioFormat.Encoding.PCM_SIGNED,
      PcmEncoding.S32LE, AudioFormat.Encoding.PCM_SIGNED,
      PcmEncoding.F32LE, AudioFormat.Encoding.IEEE_FLOAT,
      PcmEncoding.F64LE, AudioFormat.Encoding.IEEE_FLOAT,
      PcmEncoding.MULAW, AudioFormat.Encoding.MU_LAW,
      PcmEncoding.ALAW, AudioFormat.Encoding.A_LAW);

  /** Quantisation step of each encoding at full scale, the most a round trip may move a sample. */
  private static double tolerance(PcmEncoding e) {
    return switch (e) {
      case U8 -> 0.5 / 128;
      case S16LE -> 0.5 / 32768;
      case S24LE -> 0.5 / 8388608;
      case S32LE -> 1e-7; // float carries 24 bits; rounding back to float dominates
      case F32LE, F64LE -> 0;
      case MULAW, ALAW -> 1024.0 / 32768; // widest G.711 segment: half of 2048 in 16-bit units
    };
  }

  @Test
  void everyEncodingAndHeaderRoundTrips(@TempDir Path dir) {
    Random random = new Random(5);
    int frames = 1001; // odd: 8-bit data gets a pad byte
    List<Audio> channels = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      float[] x = new float[frames];
      for (int i = 0; i < frames; i++) {
        x[i] = (float) (Math.sin(i * 0.01 * (c + 1)) * 0.95 + (random.nextDouble() - 0.5) * 0.05);
      }
      channels.add(Audio.of(x, 11025));
    }
    for (PcmEncoding encoding : PcmEncoding.values()) {
      for (WavWriter.Header header : WavWriter.Header.values()) {
        Path file = dir.resolve(encoding + "_" + header + ".wav");
        WavWriter.write(file, channels, encoding, header);
        DecodedWav read = WavReader.read(file);
        String label = encoding + " " + header;
        assertThat(read.format().encoding()).as(label).isEqualTo(READ_AS.get(encoding));
        assertThat(read.format().bitsPerSample()).as(label).isEqualTo(encoding.bitsPerSample());
        assertThat(read.frames()).isEqualTo(frames);
        assertThat(read.sampleRate()).isEqualTo(11025);
        for (int c = 0; c < 3; c++) {
          double diff = ResamplerTest.maxAbsDiff(read.channel(c).toArray(), channels.get(c).toArray());
          assertThat(diff).as(label).isLessThanOrEqualTo(tolerance(encoding));
        }
        // Decoded samples are written back unchanged: the encoding is a fixed point.
        byte[] again = WavWriter.toBytes(read.channels(), encoding, header);
        DecodedWav reread = WavReader.read(new ByteArrayInputStream(again));
        for (int c = 0; c < 3; c++) {
          assertThat(reread.channel(c).toArray()).as(label).isEqualTo(read.channel(c).toArray());
        }
        assertThat(again).as(label).isEqualTo(WavWriter.toBytes(
            WavReader.read(new ByteArrayInputStream(again)).channels(), encoding, header));
      }
    }
  }

  /** Writing what libsndfile decoded from its own files gives back its data bytes exactly. */
  @Test
  void dataBytesEqualLibsndfilesForTheSameSamples() {
    Map<String, PcmEncoding> subtypes = Map.of("pcm_u8", PcmEncoding.U8,
        "pcm_16", PcmEncoding.S16LE, "pcm_24", PcmEncoding.S24LE,
        "float", PcmEncoding.F32LE, "ulaw", PcmEncoding.MULAW, "alaw", PcmEncoding.ALAW);
    int checked = 0;
    for (JsonNode c : Reference.json("wav.json").get("cases")) {
      String name = c.get("name").asText();
      if (!name.startsWith("sf_wav_") || !subtypes.containsKey(name.substring(7))) {
        continue;
      }
      byte[] original = Reference.bytes("wav/" + c.get("file").asText());
      DecodedWav read = WavReader.read(new ByteArrayInputStream(original));
      byte[] ours = WavWriter.toBytes(read.channels(), subtypes.get(name.substring(7)), WavWriter.Header.CLASSIC);
      byte[] expected = dataChunk(original);
      if (name.endsWith("ulaw")) {
        // mu-law has two zeros (0x7F = -0, 0xFF = +0) that both decode to 0; 0 encodes as 0xFF.
        for (int i = 0; i < expected.length; i++) {
          expected[i] = expected[i] == 0x7F ? (byte) 0xFF : expected[i];
        }
      }
      assertThat(dataChunk(ours)).as(name).isEqualTo(expected);
      checked++;
    }
    assertThat(checked).isEqualTo(6);
  }

  @Test
  void integerEncodingsSaturateAndFloatsKeepValuesBeyondFullScale() {
    Audio loud = Audio.of(new float[] {1.5f, -1.5f, 1.0f, -1.0f}, 8000);
    DecodedWav pcm = WavReader.read(new ByteArrayInputStream(
        WavWriter.toBytes(List.of(loud), PcmEncoding.S16LE, WavWriter.Header.CLASSIC)));
    assertThat(pcm.channel(0).toArray()).containsExactly(32767 / 32768f, -1f, 32767 / 32768f, -1f);
    DecodedWav f = WavReader.read(new ByteArrayInputStream(
        WavWriter.toBytes(List.of(loud), PcmEncoding.F32LE, WavWriter.Header.EXTENSIBLE)));
    assertThat(f.channel(0).toArray()).containsExactly(1.5f, -1.5f, 1.0f, -1.0f);
  }

  @Test
  void refusesBadArguments() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    float[][] nan = {{0f, Float.NaN}};
    assertThatThrownBy(() -> WavWriter.write(out, nan, 2, 8000, PcmEncoding.S16LE, WavWriter.Header.CLASSIC))
        .isInstanceOf(TingxinException.class)
        .extracting(e -> ((TingxinException) e).code()).isEqualTo(ErrorCode.NON_FINITE_SAMPLE);
    assertThatThrownBy(() -> WavWriter.write(out, new float[0][], 0, 8000, PcmEncoding.S16LE,
        WavWriter.Header.CLASSIC)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WavWriter.toBytes(List.of(Audio.of(new float[3], 8000), Audio.of(new float[4], 8000)),
        PcmEncoding.S16LE, WavWriter.Header.CLASSIC)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WavWriter.write(Path.of("/nonexistent-dir/x.wav"), Audio.of(new float[3], 8000),
        PcmEncoding.S16LE)).isInstanceOf(TingxinException.class)
        .extracting(e -> ((TingxinException) e).code()).isEqualTo(ErrorCode.IO_ERROR);
  }

  /** A mono float32 WAV of {@code x}, which may hold NaN (the writer refuses those, so built by hand). */
  static byte[] floatWav(float[] x) {
    ByteBuffer b = ByteBuffer.allocate(44 + 4 * x.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(36 + 4 * x.length).put("WAVE".getBytes());
    b.put("fmt ".getBytes()).putInt(16).putShort((short) 3).putShort((short) 1).putInt(8000).putInt(32000)
        .putShort((short) 4).putShort((short) 32);
    b.put("data".getBytes()).putInt(4 * x.length);
    for (float v : x) {
      b.putFloat(v);
    }
    return b.array();
  }

  /** The body of the first data chunk. */
  static byte[] dataChunk(byte[] wav) {
    ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    int p = 12;
    while (p + 8 <= wav.length) {
      String id = new String(wav, p, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
      int size = b.getInt(p + 4);
      if (id.equals("data")) {
        return Arrays.copyOfRange(wav, p + 8, p + 8 + size);
      }
      p += 8 + size + (size & 1);
    }
    throw new AssertionError("no data chunk");
  }
}
