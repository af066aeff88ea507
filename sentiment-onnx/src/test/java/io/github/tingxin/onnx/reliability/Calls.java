package io.github.tingxin.onnx.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.core.audio.WavReader;
import io.github.tingxin.core.audio.PcmEncoding;
import io.github.tingxin.core.audio.WavWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * Test calls and fixture models: the EmoDB-based VAD test call of sentiment-core (32.85 s, ten utterances
 * with pauses and noise) and variations of it, and the model packages of {@code fixtures/models}.
 */
final class Calls {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path VAD_CALL = ROOT.resolve("sentiment-core/src/test/resources/io/github/tingxin/core/vad/vad-call-16k.wav");

  private static Audio call;

  private Calls() {}

  /** The test call, 16 kHz mono. */
  static synchronized Audio call() {
    if (call == null) {
      assertThat(VAD_CALL).as("the VAD test call (tools/reference/make_vad_fixture.py)").exists();
      call = WavReader.read(VAD_CALL).channel(0);
    }
    return call;
  }

  /**
   * Call number {@code k}: the test call rotated by {@code 3.7 k} seconds, at gain {@code 0.45 + 0.07 k},
   * with a little deterministic noise; different calls give different segments and scores.
   */
  static Audio variant(int k) {
    return longCall(k, call().length() / 16000.0);
  }

  /** {@code seconds} of call {@code k}, the rotated test call repeated. */
  static Audio longCall(int k, double seconds) {
    Audio base = call();
    float[] x = new float[(int) Math.round(seconds * 16000)];
    float gain = 0.45f + 0.07f * k;
    int shift = (int) Math.round(3.7 * k * 16000);
    long state = 0x9E3779B97F4A7C15L * (k + 1);
    for (int i = 0; i < x.length; i++) {
      state = state * 6364136223846793005L + 1442695040888963407L;
      float noise = ((state >>> 40) / (float) (1 << 24) - 0.5f) * 0.002f;
      x[i] = gain * base.sample((i + shift) % base.length()) + noise;
    }
    return Audio.of(x, 16000);
  }

  /** 16-bit WAV bytes of {@code audio}. */
  static byte[] wav(Audio audio) {
    return WavWriter.toBytes(List.of(audio), PcmEncoding.S16LE, WavWriter.Header.CLASSIC);
  }

  /** A fixture model package of fixtures/models. */
  static ModelPackage fixture(String name) {
    Path dir = ROOT.resolve("fixtures/models").resolve(name);
    assertThat(dir).as("fixture model %s (tools/reference/models/make_fixtures.py)", name).isDirectory();
    return ModelPackage.load(dir);
  }

  /** This process's resident set size in bytes, from /proc/self/status (VmRSS). */
  static long rssBytes() {
    try {
      for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    throw new AssertionError("no VmRSS in /proc/self/status");
  }

  /** Heap in use after a full collection, in bytes. */
  static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
