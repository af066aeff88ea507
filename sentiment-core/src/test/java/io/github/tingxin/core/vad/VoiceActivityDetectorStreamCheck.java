package io.github.tingxin.core.vad;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tingxin.spi.VoiceActivityDetector;
import java.util.Arrays;
import java.util.Random;

/** Checks that a detector's stream gives the same probabilities however the audio is chunked. */
public final class VoiceActivityDetectorStreamCheck {
  private VoiceActivityDetectorStreamCheck() {}

  /** All probabilities of {@code samples}, fed in chunks of {@code chunk}. */
  public static float[] probabilities(VoiceActivityDetector vad, float[] samples, int chunk) {
    VoiceActivityDetector.Stream stream = vad.newStream();
    float[] out = new float[samples.length / vad.frameSamples() + 1];
    int n = 0;
    for (int i = 0; i < samples.length; i += chunk) {
      int len = Math.min(chunk, samples.length - i);
      int expected = stream.framesCompletedBy(len);
      int got = stream.accept(samples, i, len, out, n);
      assertThat(got).isEqualTo(expected);
      n += got;
    }
    assertThat(stream.framesDone()).isEqualTo(n);
    return Arrays.copyOf(out, n);
  }

  /** Feeds random chunk sizes (1 sample to 3 frames) and expects {@code whole} exactly. */
  public static void assertChunkInvariant(VoiceActivityDetector vad, float[] samples, float[] whole, Random random) {
    VoiceActivityDetector.Stream stream = vad.newStream();
    float[] out = new float[whole.length + 4];
    int n = 0;
    int i = 0;
    while (i < samples.length) {
      int len = Math.min(samples.length - i, 1 + random.nextInt(3 * vad.frameSamples()));
      n += stream.accept(samples, i, len, out, n);
      i += len;
    }
    assertThat(Arrays.copyOf(out, n)).containsExactly(whole);
  }
}
