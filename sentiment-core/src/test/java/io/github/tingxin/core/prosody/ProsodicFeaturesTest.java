package io.github.tingxin.core.prosody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tingxin.api.Audio;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.core.audio.WavReader;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * {@link ProsodicFeatures} against the Python reference implementation ({@code tools/reference/prosody/prosody.py},
 * vectors by {@code prosody_reference.py}) on EmoDB clips (clean, telephone channel, pink noise), and against
 * the known pitch of a synthetic voice.
 */
class ProsodicFeaturesTest {
  private static final String FIXTURES = "io/github/tingxin/core/prosody/";

  @Test
  void matchesThePythonReference() throws Exception {
    JsonNode ref;
    try (InputStream in = resource("python-prosody.json").openStream()) {
      ref = new ObjectMapper().readTree(in);
    }
    List<String> names = new ArrayList<>();
    ref.get("names").forEach(n -> names.add(n.asText()));
    assertThat(names).isEqualTo(ProsodicFeatures.NAMES);
    assertThat(ref.get("clips").size()).isEqualTo(4);
    for (JsonNode clip : ref.get("clips")) {
      String file = clip.get("file").asText();
      Audio audio = WavReader.read(Path.of(resource(file).toURI())).channel(0);
      ProsodicFeatures.Values got = ProsodicFeatures.compute(audio);
      for (String name : ProsodicFeatures.NAMES) {
        double want = clip.get("features").get(name).asDouble();
        // The reference is rounded to float32.
        assertThat(got.get(name)).as(file + " " + name).isCloseTo(want, within(1e-5 + 1e-5 * Math.abs(want)));
      }
    }
  }

  @Test
  void findsThePitchOfASyntheticVoice() {
    // 1.5 s of a 180 Hz voice-like harmonic tone with a 6 Hz vibrato of +-2 %, then 0.3 s of silence,
    // then 0.5 s more voice: pitch mean 12*log2(1.8) semitones re 100 Hz, one pause.
    int sr = ProsodicFeatures.SAMPLE_RATE;
    float[] x = SyntheticVoice.withOnePause(sr);
    ProsodicFeatures.Values p = ProsodicFeatures.compute(Audio.of(x, sr));
    assertThat(p.get("f0_mean_st")).isCloseTo(12 * Math.log(1.8) / Math.log(2), within(0.1));
    assertThat(p.get("f0_range_st")).isBetween(0.3, 1.0);
    assertThat(p.get("voiced_fraction")).isBetween(0.8, 0.9);
    assertThat(p.get("pause_count_per_s")).isCloseTo(1 / 2.3, within(1e-9));
    assertThat(p.get("mean_pause_s")).isCloseTo(0.3, within(0.05));
    assertThat(p.get("duration_s")).isCloseTo(2.3, within(1e-9));
    assertThat(p.get("jitter_local")).isLessThan(0.01);
    assertThat(p.asMap()).containsOnlyKeys(ProsodicFeatures.NAMES);
  }

  @Test
  void refusesOtherRatesAndEmptyAudio() {
    assertThatThrownBy(() -> ProsodicFeatures.compute(Audio.of(new float[8000], 8000)))
        .isInstanceOfSatisfying(TingxinException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_SAMPLE_RATE))
        .hasMessageContaining("resample");
    assertThatThrownBy(() -> ProsodicFeatures.compute(Audio.empty(16000)))
        .isInstanceOfSatisfying(TingxinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.EMPTY_AUDIO));
    assertThatThrownBy(() -> ProsodicFeatures.compute(Audio.of(new float[16000], 16000)).get("pitch"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("f0_mean_st");
  }

  @Test
  void isThreadSafe() throws Exception {
    Audio audio = WavReader.read(Path.of(resource("03a01Wa-clean.wav").toURI())).channel(0);
    ProsodicFeatures.Values want = ProsodicFeatures.compute(audio);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<ProsodicFeatures.Values>> got = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        got.add(pool.submit(() -> ProsodicFeatures.compute(audio)));
      }
      for (Future<ProsodicFeatures.Values> f : got) {
        assertThat(f.get()).isEqualTo(want);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static URL resource(String name) {
    URL url = ProsodicFeaturesTest.class.getClassLoader().getResource(FIXTURES + name);
    assertThat(url).as("test fixture " + FIXTURES + name + " (run tools/reference/prosody/prosody_reference.py)")
        .isNotNull();
    return url;
  }
}
