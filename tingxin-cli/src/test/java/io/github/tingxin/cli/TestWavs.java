package io.github.tingxin.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Writes small WAV files for the tests, and makes fresh speech-like signals. */
final class TestWavs {
  private TestWavs() {}

  /** 16-bit PCM WAV bytes of {@code channels[c][i]} (all channels the same length). */
  static byte[] pcm16(int rate, short[]... channels) {
    int n = channels[0].length;
    int ch = channels.length;
    ByteBuffer b = ByteBuffer.allocate(44 + n * ch * 2).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(36 + n * ch * 2).put("WAVE".getBytes());
    b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) ch).putInt(rate)
        .putInt(rate * ch * 2).putShort((short) (ch * 2)).putShort((short) 16);
    b.put("data".getBytes()).putInt(n * ch * 2);
    for (int i = 0; i < n; i++) {
      for (short[] c : channels) {
        b.putShort(c[i]);
      }
    }
    return b.array();
  }

  static Path write(Path file, int rate, short[]... channels) throws IOException {
    Files.write(file, pcm16(rate, channels));
    return file;
  }

  /** A voiced, syllable-like signal with noise: what a feature extractor or VAD sees in speech. */
  static short[] speechLike(int rate, double seconds, long seed, double amplitude) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = (int) (rate * seconds);
    short[] x = new short[n];
    double f0 = 120 + 80 * r.nextDouble();
    double phase = 0;
    for (int i = 0; i < n; i++) {
      double t = i / (double) rate;
      phase += 2 * Math.PI * (f0 + 30 * Math.sin(2 * Math.PI * 3 * t)) / rate;
      double v = 0;
      for (int k = 1; k <= 10; k++) {
        v += Math.sin(k * phase) / k;
      }
      double env = 0.55 - 0.45 * Math.cos(2 * Math.PI * 4 * t);
      double s = amplitude * (0.5 * v * env + 0.02 * (r.nextDouble() * 2 - 1));
      x[i] = (short) Math.max(-32768, Math.min(32767, Math.round(s * 32767)));
    }
    return x;
  }
}
