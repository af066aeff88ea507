import io.github.tingxin.api.Audio;
import io.github.tingxin.core.audio.WavReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * Builds a call archive from EmoDB for the Spark throughput run: per speaker, calls of up to eight utterances with
 * 0.6 s pauses of faint noise, 16-bit WAV at EmoDB's rate, repeated COPIES times (each copy at another gain,
 * so no two files are identical). Also writes manifest.csv (path, call_id, caller_id).
 *
 * <p>Usage: java -cp tingxin-cli/target/tingxin.jar sentiment-bench/scripts/MakeCallArchive.java EMODB OUT COPIES
 */
public final class MakeCallArchive {
  public static void main(String[] args) throws IOException {
    Path emodb = Path.of(args[0]);
    Path out = Path.of(args[1]);
    int copies = Integer.parseInt(args[2]);
    Map<String, List<Path>> bySpeaker = new TreeMap<>();
    try (Stream<Path> files = Files.list(emodb)) {
      files.filter(p -> p.getFileName().toString().matches("\\d\\d.*\\.wav")).sorted()
          .forEach(p -> bySpeaker.computeIfAbsent(p.getFileName().toString().substring(0, 2), k -> new ArrayList<>())
              .add(p));
    }
    StringBuilder manifest = new StringBuilder("path,call_id,caller_id\n");
    double seconds = 0;
    int calls = 0;
    for (int copy = 0; copy < copies; copy++) {
      float gain = 1f - 0.15f * copy;
      for (Map.Entry<String, List<Path>> e : bySpeaker.entrySet()) {
        List<Path> utterances = e.getValue();
        for (int from = 0, n = 0; from < utterances.size(); from += 8, n++) {
          List<float[]> parts = new ArrayList<>();
          int rate = 0;
          Random noise = new Random(31L * copy + 7L * from + e.getKey().hashCode());
          for (Path u : utterances.subList(from, Math.min(from + 8, utterances.size()))) {
            Audio a = WavReader.read(u).channel(0);
            rate = a.sampleRate();
            float[] pause = new float[(int) (0.6 * rate)];
            for (int i = 0; i < pause.length; i++) {
              pause[i] = (float) (noise.nextGaussian() * 1e-3);
            }
            float[] speech = a.toArray();
            for (int i = 0; i < speech.length; i++) {
              speech[i] *= gain;
            }
            parts.add(pause);
            parts.add(speech);
          }
          float[] call = new float[parts.stream().mapToInt(p -> p.length).sum()];
          int at = 0;
          for (float[] p : parts) {
            System.arraycopy(p, 0, call, at, p.length);
            at += p.length;
          }
          String id = String.format("copy%d/speaker%s/call%02d", copy, e.getKey(), n);
          Path file = out.resolve(id + ".wav");
          Files.createDirectories(file.getParent());
          writeS16(file, call, rate);
          manifest.append(id).append(".wav,").append(id).append(",speaker").append(e.getKey()).append('\n');
          seconds += call.length / (double) rate;
          calls++;
        }
      }
    }
    Files.writeString(out.resolve("manifest.csv"), manifest);
    System.out.printf("%d calls, %.1f min of audio, in %s%n", calls, seconds / 60, out);
  }

  /** Writes mono 16-bit PCM WAV with the JDK's writer (Tingxin's product writes no audio). */
  private static void writeS16(Path file, float[] samples, int rate) throws IOException {
    byte[] pcm = new byte[2 * samples.length];
    for (int i = 0; i < samples.length; i++) {
      int v = (int) Math.max(-32768, Math.min(32767, Math.rint(samples[i] * 32768.0)));
      pcm[2 * i] = (byte) v;
      pcm[2 * i + 1] = (byte) (v >> 8);
    }
    AudioFormat format = new AudioFormat(rate, 16, 1, true, false);
    try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), format, samples.length)) {
      AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
    }
  }
}
