package io.github.tingxin.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tingxin.api.Audio;
import io.github.tingxin.core.audio.WavReader;
import io.github.tingxin.core.audio.PcmEncoding;
import io.github.tingxin.core.audio.WavWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A small archive of "calls" built from EmoDB (../shared/data/emodb): each call is a speaker's utterances
 * one after another with pauses between them, so the calls differ in speakers, emotions and lengths. Also the
 * broken files an archive holds in practice.
 */
final class Archive {
  static final Path EMODB = Path.of(System.getProperty("tingxin.emodb", "../../shared/data/emodb"))
      .toAbsolutePath().normalize();
  static final Path FIXTURE_MODELS = Path.of(System.getProperty("tingxin.fixtures", "../fixtures/models"))
      .toAbsolutePath().normalize();

  private Archive() {}

  /** The EmoDB files of {@code speaker} ("03", "08", ...), sorted by name. A missing corpus fails the test. */
  static List<Path> utterances(String speaker) {
    assertThat(EMODB).as("the EmoDB corpus (../shared/data/emodb beside the checkout)").isDirectory();
    try (Stream<Path> files = Files.list(EMODB)) {
      List<Path> list = files.filter(p -> p.getFileName().toString().startsWith(speaker)
          && p.getFileName().toString().endsWith(".wav")).sorted().toList();
      assertThat(list).as("EmoDB utterances of speaker " + speaker).hasSizeGreaterThan(10);
      return list;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Utterances {@code from..from+count} of {@code speaker} joined with 0.6 s pauses of faint noise. */
  static Audio call(String speaker, int from, int count) {
    List<Path> all = utterances(speaker);
    List<float[]> parts = new ArrayList<>();
    int rate = 0;
    Random noise = new Random(speaker.hashCode() * 31L + from);
    for (int i = from; i < from + count; i++) {
      Audio a = WavReader.read(all.get(i)).channel(0);
      rate = a.sampleRate();
      float[] pause = new float[(int) (0.6 * rate)];
      for (int j = 0; j < pause.length; j++) {
        pause[j] = (float) (noise.nextGaussian() * 1e-3);
      }
      parts.add(pause);
      parts.add(a.toArray());
    }
    int n = parts.stream().mapToInt(p -> p.length).sum();
    float[] out = new float[n];
    int at = 0;
    for (float[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return Audio.of(out, rate);
  }

  static void writeMono(Path file, Audio audio) throws IOException {
    Files.createDirectories(file.getParent());
    WavWriter.write(file, audio, PcmEncoding.S16LE);
  }

  /** Two speakers on two channels, the shorter padded with silence. */
  static void writeStereo(Path file, Audio left, Audio right) throws IOException {
    int n = Math.max(left.length(), right.length());
    Files.createDirectories(file.getParent());
    WavWriter.write(file, List.of(pad(left, n), pad(right, n)), PcmEncoding.S16LE, WavWriter.Header.CLASSIC);
  }

  private static Audio pad(Audio a, int n) {
    float[] s = new float[n];
    a.copyTo(0, s, 0, a.length());
    return Audio.of(s, a.sampleRate());
  }

  /** The first 30 bytes of a real WAV: the file ends inside the fmt chunk. */
  static void writeTruncated(Path file, Path from) throws IOException {
    byte[] all = Files.readAllBytes(from);
    Files.write(file, java.util.Arrays.copyOf(all, 30));
  }

  /** A well-formed RIFF/WAVE file in IMA ADPCM (format 0x0011), which Tingxin does not decode. */
  static void writeImaAdpcm(Path file) throws IOException {
    byte[] data = new byte[1024];
    new Random(7).nextBytes(data);
    ByteBuffer b = ByteBuffer.allocate(12 + 28 + 8 + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + 28 + 8 + data.length)
        .put("WAVE".getBytes(StandardCharsets.US_ASCII));
    b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(20).putShort((short) 0x0011).putShort((short) 1)
        .putInt(8000).putInt(4055).putShort((short) 256).putShort((short) 4).putShort((short) 2)
        .putShort((short) 505);
    b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data.length).put(data);
    Files.write(file, b.array());
  }
}
