package io.github.tingxin.core.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.management.ThreadMXBean;
import io.github.tingxin.api.Audio;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.ModelManifest.FeatureRecipe;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.spi.FeatureExtractor;
import io.github.tingxin.spi.Features;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The array forms of {@link FeatureExtractor#extract}: the same features as through an {@link Audio}, read
 * from a range of the caller's array, written where the caller says, refusing NaN, and allocating nothing.
 */
class ArrayExtractTest {
  static Stream<FeatureExtractor> extractors() {
    return Stream.of(
        create("kaldi-fbank", Map.of("num_mel_bins", 80)),
        create("kaldi-fbank", Map.of("snip_edges", false, "use_energy", true, "dither", 0.1)),
        create("kaldi-fbank", Map.of("num_mel_bins", 40, "lfr_m", 7, "lfr_n", 6, "cmvn", "utterance")),
        create("kaldi-mfcc", Map.of()),
        create("kaldi-mfcc", Map.of("htk_compat", true, "subtract_mean", true)),
        create("whisper-logmel", Map.of("pad_to_seconds", 0)),
        create("whisper-logmel", Map.of("pad_to_seconds", 2, "n_mels", 128)),
        create("waveform", Map.of("normalize", "wav2vec2")),
        create("waveform", Map.of()));
  }

  private static FeatureExtractor create(String type, Map<String, Object> options) {
    return FeatureRecipes.create(new FeatureRecipe(type, options), 16000);
  }

  @ParameterizedTest
  @MethodSource("extractors")
  void aRangeOfAnArrayGivesTheFeaturesOfThatAudio(FeatureExtractor e) {
    float[] x = TestSignals.speechLike(16000, 30_000, 21);
    int offset = 3001;
    int length = 17_777;
    Features expected = e.extract(Audio.of(x, offset, length, 16000));
    Features got = e.extract(x, offset, length);
    assertThat(got.frames()).isEqualTo(expected.frames()).isEqualTo(e.numFrames(length));
    assertThat(got.data()).containsExactly(expected.data());

    float[] out = new float[expected.data().length + 50];
    Arrays.fill(out, -7f);
    assertThat(e.extract(x, offset, length, out, 20)).isEqualTo(expected.frames());
    assertThat(Arrays.copyOfRange(out, 20, 20 + expected.data().length)).containsExactly(expected.data());
    for (int i : new int[] {0, 19, 20 + expected.data().length, out.length - 1}) {
      assertThat(out[i]).as("outside the written range").isEqualTo(-7f);
    }
  }

  @ParameterizedTest
  @MethodSource("extractors")
  void badRangesAndShortOutputsAreRefused(FeatureExtractor e) {
    float[] x = new float[1000];
    assertThatThrownBy(() -> e.extract(x, 900, 200)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> e.extract(x, -1, 10)).isInstanceOf(IndexOutOfBoundsException.class);
    int needed = e.numFrames(1000) * e.dim();
    assertThatThrownBy(() -> e.extract(x, 0, 1000, new float[needed], 1))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> e.extract(null, 0, 0)).isInstanceOf(NullPointerException.class);
  }

  @ParameterizedTest
  @MethodSource("extractors")
  void aNonFiniteSampleIsRefusedByIndex(FeatureExtractor e) {
    float[] x = TestSignals.speechLike(16000, 16000, 22);
    x[12_345] = Float.NaN;
    assertThatThrownBy(() -> e.extract(x, 0, x.length)).isInstanceOfSatisfying(TingxinException.class, t -> {
      assertThat(t.code()).isEqualTo(ErrorCode.NON_FINITE_SAMPLE);
      assertThat(t.getMessage()).contains("12345").contains("NaN");
    });
    x[12_345] = Float.NEGATIVE_INFINITY;
    assertThatThrownBy(() -> e.extract(x, 10, x.length - 10, new float[e.numFrames(x.length) * e.dim()], 0))
        .isInstanceOfSatisfying(TingxinException.class, t -> assertThat(t.getMessage()).contains("12335"));
  }

  @ParameterizedTest
  @MethodSource("extractors")
  void writingIntoTheCallersArrayAllocatesNothing(FeatureExtractor e) {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    float[] x = TestSignals.speechLike(16000, 16_000, 23);
    float[] out = new float[e.numFrames(x.length) * e.dim()];
    long id = Thread.currentThread().getId();
    // While the JIT compiler replaces the code, a call may allocate a few bytes once; in steady state
    // ten calls in a row must allocate nothing (the first call also makes this thread's work buffers).
    long allocated = -1;
    for (int round = 0; round < 30 && allocated != 0; round++) {
      long before = threads.getThreadAllocatedBytes(id);
      for (int i = 0; i < 10; i++) {
        e.extract(x, 0, x.length, out, 0);
      }
      allocated = threads.getThreadAllocatedBytes(id) - before;
    }
    assertThat(allocated).as("bytes allocated by 10 calls of %s", e).isZero();
  }
}
