package io.github.tingxin.core.vad;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tingxin.spi.RegionTuning;
import io.github.tingxin.spi.VoiceActivityDetector;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * The VAD test call made by tools/reference/make_vad_fixture.py: ten EmoDB clips joined with pauses,
 * pink noise at 20 dB then 12 dB SNR, and a white-noise burst in the longest pause; with the known speech
 * regions. Also used by sentiment-onnx's Silero test (through the test jar).
 */
public final class VadCallFixture {
  /** 10 ms frames for agreement. */
  public static final double FRAME_SECONDS = 0.01;

  public final float[] samples;
  public final int sampleRate;
  public final List<double[]> speech = new ArrayList<>();
  public final double[] noiseBurst;

  private VadCallFixture(float[] samples, int sampleRate, JsonNode json) {
    this.samples = samples;
    this.sampleRate = sampleRate;
    for (JsonNode r : json.get("speech")) {
      speech.add(new double[] {r.get(0).asDouble(), r.get(1).asDouble()});
    }
    this.noiseBurst = new double[] {json.get("noiseBurst").get(0).asDouble(), json.get("noiseBurst").get(1).asDouble()};
  }

  /** Loads the call; fails (never skips) if the files are missing. */
  public static VadCallFixture load(InputStream wav, InputStream json) throws Exception {
    assertThat(wav).as("vad-call-16k.wav (make it with tools/reference/make_vad_fixture.py)").isNotNull();
    assertThat(json).as("vad-call-16k.json").isNotNull();
    try (AudioInputStream in = AudioSystem.getAudioInputStream(new BufferedInputStream(wav))) {
      assertThat(in.getFormat().getSampleSizeInBits()).isEqualTo(16);
      byte[] bytes = in.readAllBytes();
      ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      float[] s = new float[bytes.length / 2];
      for (int i = 0; i < s.length; i++) {
        s[i] = bb.getShort() / 32768f;
      }
      return new VadCallFixture(s, (int) in.getFormat().getSampleRate(), new ObjectMapper().readTree(json));
    }
  }

  /** Loads the copy in this module's test resources. */
  public static VadCallFixture load() throws Exception {
    return load(VadCallFixture.class.getResourceAsStream("vad-call-16k.wav"),
        VadCallFixture.class.getResourceAsStream("vad-call-16k.json"));
  }

  /** Speech regions (seconds) found by {@code detector} with {@code regions}, fed in chunks of {@code chunk}. */
  public static List<double[]> detect(VoiceActivityDetector detector, RegionTuning regions,
      float[] samples, int chunk) {
    VoiceActivityDetector.Stream stream = detector.newStream();
    double frameSeconds = detector.frameSamples() / (double) detector.sampleRate();
    SpeechRegionTracker tracker = new SpeechRegionTracker(regions, frameSeconds);
    List<double[]> found = new ArrayList<>();
    float[] probs = new float[chunk / detector.frameSamples() + 2];
    double[] open = new double[1];
    for (int i = 0; i < samples.length; i += chunk) {
      int n = Math.min(chunk, samples.length - i);
      int k = stream.accept(samples, i, n, probs, 0);
      for (int j = 0; j < k; j++) {
        int ev = tracker.push(probs[j]);
        if (ev == SpeechRegionTracker.START) {
          open[0] = tracker.startFrame() * frameSeconds;
        } else if (ev == SpeechRegionTracker.END) {
          found.add(new double[] {open[0], tracker.endFrame() * frameSeconds});
        }
      }
    }
    int last = tracker.finish();
    if (last == SpeechRegionTracker.START_AND_END) {
      open[0] = tracker.startFrame() * frameSeconds;
    }
    if ((last & SpeechRegionTracker.END) != 0) {
      found.add(new double[] {open[0], tracker.endFrame() * frameSeconds});
    }
    return found;
  }

  /** Share of 10 ms frames on which {@code found} and the known speech agree. */
  public double agreement(List<double[]> found) {
    int frames = (int) (samples.length / (double) sampleRate / FRAME_SECONDS);
    int agree = 0;
    for (int f = 0; f < frames; f++) {
      double t = (f + 0.5) * FRAME_SECONDS;
      if (inside(speech, t) == inside(found, t)) {
        agree++;
      }
    }
    return agree / (double) frames;
  }

  /** Share of known speech frames that {@code found} calls speech. */
  public double recall(List<double[]> found) {
    int speechFrames = 0;
    int hit = 0;
    int frames = (int) (samples.length / (double) sampleRate / FRAME_SECONDS);
    for (int f = 0; f < frames; f++) {
      double t = (f + 0.5) * FRAME_SECONDS;
      if (inside(speech, t)) {
        speechFrames++;
        if (inside(found, t)) {
          hit++;
        }
      }
    }
    return hit / (double) speechFrames;
  }

  /** Share of known non-speech frames that {@code found} calls speech. */
  public double falseAlarm(List<double[]> found) {
    int silent = 0;
    int wrong = 0;
    int frames = (int) (samples.length / (double) sampleRate / FRAME_SECONDS);
    for (int f = 0; f < frames; f++) {
      double t = (f + 0.5) * FRAME_SECONDS;
      if (!inside(speech, t)) {
        silent++;
        if (inside(found, t)) {
          wrong++;
        }
      }
    }
    return wrong / (double) silent;
  }

  /** Seconds of {@code found} speech inside the noise burst. */
  public double speechInBurst(List<double[]> found) {
    double s = 0;
    for (double[] r : found) {
      s += Math.max(0, Math.min(r[1], noiseBurst[1]) - Math.max(r[0], noiseBurst[0]));
    }
    return s;
  }

  public static String describe(List<double[]> regions) {
    StringBuilder sb = new StringBuilder();
    for (double[] r : regions) {
      sb.append(String.format(java.util.Locale.ROOT, "[%.2f, %.2f] ", r[0], r[1]));
    }
    return sb.toString();
  }

  private static boolean inside(List<double[]> regions, double t) {
    for (double[] r : regions) {
      if (t >= r[0] && t < r[1]) {
        return true;
      }
    }
    return false;
  }
}
