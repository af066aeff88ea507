package io.github.tingxin.onnx.vad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.core.vad.SpeechRegionTracker;
import io.github.tingxin.core.vad.VoiceActivityDetectors;
import io.github.tingxin.spi.VoiceActivityDetector;
import java.io.BufferedInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Silero VAD on the VAD test call of sentiment-core (tools/reference/make_vad_fixture.py: ten EmoDB clips
 * joined with pauses, pink noise at 20 then 12 dB SNR, a white-noise burst), against its known speech.
 */
class SileroVoiceActivityDetectorTest {
  private static final Path FIXTURE = Path.of("..", "sentiment-core", "src", "test", "resources", "io", "github",
      "tingxin", "core", "vad");
  private static float[] samples;
  private static final List<double[]> speech = new ArrayList<>();
  private static double[] burst;

  @BeforeAll
  static void load() throws Exception {
    Path wav = FIXTURE.resolve("vad-call-16k.wav");
    assertThat(wav).as("the VAD test call, made by tools/reference/make_vad_fixture.py").exists();
    try (AudioInputStream in = AudioSystem.getAudioInputStream(new BufferedInputStream(Files.newInputStream(wav)))) {
      byte[] bytes = in.readAllBytes();
      ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      samples = new float[bytes.length / 2];
      for (int i = 0; i < samples.length; i++) {
        samples[i] = bb.getShort() / 32768f;
      }
    }
    JsonNode json = new ObjectMapper().readTree(FIXTURE.resolve("vad-call-16k.json").toFile());
    for (JsonNode r : json.get("speech")) {
      speech.add(new double[] {r.get(0).asDouble(), r.get(1).asDouble()});
    }
    burst = new double[] {json.get("noiseBurst").get(0).asDouble(), json.get("noiseBurst").get(1).asDouble()};
  }

  @Test
  void findsTheKnownSpeechOfTheNoisyEmoDbCall() {
    try (SileroVoiceActivityDetector vad = SileroVoiceActivityDetector.open(16000)) {
      List<double[]> found = regions(vad, VoiceActivityDetectors.regionOptions(vad), 4000);
      String measured = String.format(Locale.ROOT, "agreement %.4f falseAlarm %.4f burst %.3f s; %s",
          agreement(found, true, false), agreement(found, false, true), inBurst(found), describe(found));
      System.out.println("silero VAD (" + SileroVoiceActivityDetector.MODEL_RESOURCE + "): " + measured);
      assertThat(agreement(found, true, false)).as(measured).isGreaterThanOrEqualTo(0.90);
      assertThat(agreement(found, false, true)).as(measured).isLessThanOrEqualTo(0.10);
      assertThat(inBurst(found)).as(measured).isLessThan(0.1);
    }
  }

  @Test
  void chunkingNeverChangesTheProbabilities() {
    try (SileroVoiceActivityDetector vad = SileroVoiceActivityDetector.open(16000)) {
      float[] first = Arrays.copyOf(samples, 16000 * 6);
      float[] whole = probabilities(vad.newStream(), first, first.length, first.length / 512);
      Random random = new Random(9);
      VoiceActivityDetector.Stream s = vad.newStream();
      float[] out = new float[whole.length + 2];
      int n = 0;
      for (int i = 0; i < first.length; ) {
        int len = Math.min(first.length - i, 1 + random.nextInt(1500));
        int expected = s.framesCompletedBy(len);
        assertThat(s.accept(first, i, len, out, n)).isEqualTo(expected);
        n = (int) s.framesDone();
        i += len;
      }
      assertThat(Arrays.copyOf(out, n)).containsExactly(whole);
      float max = 0;
      float min = 1;
      for (float p : whole) {
        max = Math.max(max, p);
        min = Math.min(min, p);
      }
      assertThat(max).isGreaterThan(0.9f);
      assertThat(min).isLessThan(0.1f);
    }
  }

  @Test
  void refusesOtherRatesAndStreamsAfterClose() {
    assertThatThrownBy(() -> SileroVoiceActivityDetector.open(22050)).isInstanceOf(TingxinException.class)
        .extracting(e -> ((TingxinException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED_SAMPLE_RATE);
    SileroVoiceActivityDetector vad = SileroVoiceActivityDetector.open(8000);
    assertThat(vad.frameSamples()).isEqualTo(256);
    VoiceActivityDetector.Stream s = vad.newStream();
    vad.close();
    vad.close();
    assertThatThrownBy(() -> s.accept(new float[256], 0, 256, new float[1], 0))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(vad::newStream).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void foundThroughTheServiceByName() {
    try (VoiceActivityDetector vad = VoiceActivityDetectors.open("silero", 16000)) {
      assertThat(vad).isInstanceOf(SileroVoiceActivityDetector.class);
    }
  }

  static float[] probabilities(VoiceActivityDetector.Stream s, float[] x, int chunk, int frames) {
    float[] out = new float[frames + 2];
    int n = 0;
    for (int i = 0; i < x.length; i += chunk) {
      n += s.accept(x, i, Math.min(chunk, x.length - i), out, n);
    }
    return Arrays.copyOf(out, n);
  }

  static List<double[]> regions(VoiceActivityDetector vad, SpeechRegionTracker.Options options, int chunk) {
    double frameSeconds = vad.frameSamples() / (double) vad.sampleRate();
    SpeechRegionTracker tracker = new SpeechRegionTracker(options, frameSeconds);
    float[] p = probabilities(vad.newStream(), samples, chunk, samples.length / vad.frameSamples());
    List<double[]> found = new ArrayList<>();
    double start = 0;
    for (float v : p) {
      int ev = tracker.push(v);
      if (ev == SpeechRegionTracker.START) {
        start = tracker.startFrame() * frameSeconds;
      } else if (ev == SpeechRegionTracker.END) {
        found.add(new double[] {start, tracker.endFrame() * frameSeconds});
      }
    }
    int last = tracker.finish();
    if (last == SpeechRegionTracker.START_AND_END) {
      start = tracker.startFrame() * frameSeconds;
    }
    if ((last & SpeechRegionTracker.END) != 0) {
      found.add(new double[] {start, tracker.endFrame() * frameSeconds});
    }
    return found;
  }

  /**
   * All frames: share of 10 ms frames where found and known agree. With {@code silentOnly}: share of known
   * silent frames called speech (false alarms).
   */
  static double agreement(List<double[]> found, boolean all, boolean silentOnly) {
    int frames = samples.length / 160;
    int count = 0;
    int hits = 0;
    for (int f = 0; f < frames; f++) {
      double t = (f + 0.5) / 100;
      boolean known = inside(speech, t);
      boolean detected = inside(found, t);
      if (all) {
        count++;
        hits += known == detected ? 1 : 0;
      } else if (!known) {
        count++;
        hits += detected ? 1 : 0;
      }
    }
    return hits / (double) count;
  }

  static double inBurst(List<double[]> found) {
    double s = 0;
    for (double[] r : found) {
      s += Math.max(0, Math.min(r[1], burst[1]) - Math.max(r[0], burst[0]));
    }
    return s;
  }

  static String describe(List<double[]> regions) {
    StringBuilder sb = new StringBuilder();
    for (double[] r : regions) {
      sb.append(String.format(Locale.ROOT, "[%.2f, %.2f] ", r[0], r[1]));
    }
    return sb.toString();
  }

  static boolean inside(List<double[]> regions, double t) {
    for (double[] r : regions) {
      if (t >= r[0] && t < r[1]) {
        return true;
      }
    }
    return false;
  }
}
