package io.github.tingxin.core.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tingxin.api.Audio;
import io.github.tingxin.spi.Features;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every extractor against torchaudio / openai-whisper / Hugging Face reference vectors
 * ({@code tools/reference/features/make_reference.py}), through the recipe path the recognizer uses.
 */
class ReferenceFeaturesTest {
  /** Issue 4's tolerance on log-mel, MFCC and Whisper values. */
  static final double TOLERANCE = 1e-3;
  /** Normalised waveforms: float32 in both, values of order 1. */
  static final double WAVEFORM_TOLERANCE = 1e-5;

  private static final Map<String, Double> MAX_ERROR = new TreeMap<>();
  private static final Map<String, Reference.Case> WORST = new TreeMap<>();

  @Test
  void referenceCoversTheIssuesOptionGrid() {
    Reference ref = Reference.load();
    assertThat(ref.signals).hasSizeGreaterThanOrEqualTo(5);
    assertThat(ref.cases).hasSizeGreaterThan(100);
    for (String w : new String[] {"povey", "hamming", "hanning", "rectangular", "blackman"}) {
      assertThat(ref.cases).anyMatch(c -> w.equals(c.options().get("window_type")));
    }
    assertThat(ref.cases).anyMatch(c -> Boolean.FALSE.equals(c.options().get("snip_edges")));
    assertThat(ref.cases).anyMatch(c -> Boolean.FALSE.equals(c.options().get("use_power")));
    assertThat(ref.cases).anyMatch(c -> Boolean.TRUE.equals(c.options().get("use_energy")));
    for (int bins : new int[] {40, 80}) {
      assertThat(ref.cases).anyMatch(c -> Integer.valueOf(bins).equals(c.options().get("num_mel_bins")));
    }
    assertThat(ref.cases).anyMatch(c -> c.type().equals("kaldi-fbank") && c.options().isEmpty()); // 23 bins
    assertThat(ref.signals.values()).anyMatch(s -> s.rate() == 8000);
    assertThat(ref.cases).anyMatch(c -> c.type().equals("whisper-logmel") && c.dim() == 128);
    assertThat(ref.cases).anyMatch(c -> c.type().equals("whisper-logmel") && c.frames() == 3000);
  }

  @TestFactory
  Stream<DynamicTest> everyReferenceCase() {
    Reference ref = Reference.load();
    return ref.cases.stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> check(ref, c)));
  }

  private static void check(Reference ref, Reference.Case c) {
    Reference.Signal s = ref.signals.get(c.signal());
    var extractor = FeatureRecipes.create(c.recipe(), s.rate());
    Features f = extractor.extract(Audio.of(s.samples(), s.rate()));
    assertThat(f.frames()).as("frames").isEqualTo(c.frames());
    assertThat(f.dim()).as("dim").isEqualTo(c.dim());
    assertThat(extractor.numFrames(s.samples().length)).isEqualTo(c.frames());
    double max = 0;
    float[] got = f.data();
    for (int i = 0; i < c.expected().length; i++) {
      max = Math.max(max, Math.abs(got[i] - c.expected()[i]));
    }
    if (c.tailFrom() != null) {
      for (int i = c.tailFrom() * c.dim(); i < got.length; i++) {
        max = Math.max(max, Math.abs(got[i] - c.tailValue()));
      }
    }
    double tol = c.type().equals("waveform") ? WAVEFORM_TOLERANCE : TOLERANCE;
    synchronized (MAX_ERROR) {
      if (max > MAX_ERROR.getOrDefault(c.type(), -1.0)) {
        WORST.put(c.type(), c);
      }
      MAX_ERROR.merge(c.type(), max, Math::max);
    }
    assertThat(max).as("max abs difference of %s", c).isLessThanOrEqualTo(tol);
  }

  @AfterAll
  static void report() {
    // The observed maxima go into sentiment-bench/results/features.md.
    System.out.println("Observed max abs difference per recipe type: " + MAX_ERROR + ", worst cases " + WORST);
  }
}
