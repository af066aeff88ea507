package io.github.tingxin.core.prosody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.ProsodicCues;
import io.github.tingxin.core.audio.WavReader;
import java.net.URL;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ProsodicFeatures#cues}: the readable cues of a segment, checked against signals whose pitch, loudness,
 * pauses and rhythm are known by construction, and against the features the Python reference pins.
 */
class ProsodicCuesTest {
  private static final int SR = ProsodicFeatures.SAMPLE_RATE;

  @Test
  void aSyntheticVoiceGivesItsPitchLoudnessAndPause() {
    float[] x = SyntheticVoice.withOnePause(SR);
    ProsodicCues c = cues(x, SR);
    assertThat(c.pitchHz()).isCloseTo(180, within(1.0));
    assertThat(c.pitchRangeSemitones()).isBetween(0.3, 1.0); // the vibrato's +-2 % is +-0.34 semitones
    // frames straddling the pause's edges pull the mean level a little below the steady tone's
    assertThat(c.energyDbfs()).isCloseTo(SyntheticVoice.levelDbfs(), within(0.5));
    assertThat(c.energyRangeDb()).isLessThan(1.0);
    assertThat(c.pauseCount()).isEqualTo(1);
    assertThat(c.pauseSeconds()).isCloseTo(0.3, within(0.05));
    assertThat(c.jitter()).isLessThan(0.01);
    assertThat(c.shimmer()).isLessThan(0.05);
    assertThat(c.voicedFraction()).isBetween(0.8, 0.9);
  }

  @Test
  void aFullScaleSineIsThreeDecibelsBelowFullScale() {
    // 200 Hz: a 40 ms frame holds eight whole periods, so every frame's mean square is exactly a^2 / 2.
    float[] x = new float[SR];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (0.5 * Math.sin(2 * Math.PI * 200 * i / SR));
    }
    ProsodicCues c = cues(x, SR);
    assertThat(c.energyDbfs()).isCloseTo(20 * Math.log10(0.5) - 10 * Math.log10(2), within(0.01));
    assertThat(c.energyRangeDb()).isLessThan(0.01);
    assertThat(c.pitchHz()).isCloseTo(200, within(0.5));
    assertThat(c.pauseCount()).isZero();
    assertThat(c.pauseSeconds()).isZero();
    assertThat(c.voicedFraction()).isEqualTo(1.0);
  }

  @Test
  void syllableRateCountsTheLoudnessPeaksOfVoicedSpeech() {
    // A voice whose loudness swells four times a second (26 dB deep): four syllable-like nuclei per second.
    float[] x = SyntheticVoice.of(SR, 3.0, 140, t -> 0.05 + 0.95 * Math.pow(Math.sin(Math.PI * 4 * t), 2));
    ProsodicCues c = cues(x, SR);
    assertThat(c.syllableRate()).isCloseTo(4.0, within(1 / 3.0 + 1e-9));
    assertThat(c.pauseCount()).as("the dips stay within 30 dB of the peaks").isZero();
    assertThat(c.energyRangeDb()).isGreaterThan(10);
    // the steady voice has none after its first frames
    assertThat(cues(SyntheticVoice.of(SR, 3.0, 140, t -> 1), SR).syllableRate()).isLessThan(0.5);
  }

  @Test
  void unvoicedOrSilentAudioHasNoCues() {
    Random random = new Random(11);
    float[] noise = new float[SR];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (float) (0.1 * random.nextGaussian());
    }
    assertThat(ProsodicFeatures.cues(noise, 0, noise.length, SR)).as("white noise").isEmpty();
    assertThat(ProsodicFeatures.cues(new float[SR], 0, SR, SR)).as("digital silence").isEmpty();
    assertThat(ProsodicFeatures.cues(new float[] {0.5f}, 0, 1, SR)).as("one sample").isEmpty();
  }

  @Test
  void otherRatesAreResampledAndOnlyTheGivenRangeIsMeasured() {
    float[] at16k = SyntheticVoice.withOnePause(SR);
    float[] at8k = SyntheticVoice.withOnePause(8000);
    ProsodicCues wide = cues(at16k, SR);
    ProsodicCues narrow = cues(at8k, 8000);
    assertThat(narrow.pitchHz()).isCloseTo(wide.pitchHz(), within(wide.pitchHz() * 0.01));
    assertThat(narrow.energyDbfs()).isCloseTo(wide.energyDbfs(), within(0.5));
    assertThat(narrow.pauseCount()).isEqualTo(wide.pauseCount());
    // a range inside a larger array: the same as the range copied out
    float[] padded = new float[at16k.length + 3000];
    Random random = new Random(5);
    for (int i = 0; i < padded.length; i++) {
      padded[i] = (float) random.nextGaussian(); // loud noise around the voice must not count
    }
    System.arraycopy(at16k, 0, padded, 1000, at16k.length);
    assertThat(ProsodicFeatures.cues(padded, 1000, at16k.length, SR)).contains(wide);
  }

  @Test
  void theCuesAreTheReferenceFeaturesInReadableUnits() throws Exception {
    for (String clip : new String[] {"03a01Wa-clean.wav", "16a04Nc-telephone.wav", "09a05Ed-noise.wav"}) {
      URL url = ProsodicCuesTest.class.getClassLoader().getResource("io/github/tingxin/core/prosody/" + clip);
      assertThat(url).as(clip + " (run tools/reference/prosody/prosody_reference.py)").isNotNull();
      float[] x = WavReader.read(Path.of(url.toURI())).channel(0).toArray();
      ProsodicFeatures.Values f = ProsodicFeatures.compute(Audio.of(x, SR));
      ProsodicCues c = cues(x, SR);
      double duration = x.length / (double) SR;
      // the same measurement to rounding (the cues skip the spectral measures and transform at 1024 points)
      assertThat(c.pitchHz()).as(clip).isCloseTo(100 * Math.pow(2, f.get("f0_mean_st") / 12), near(c.pitchHz()));
      assertThat(c.pitchRangeSemitones()).isCloseTo(f.get("f0_range_st"), near(c.pitchRangeSemitones()));
      assertThat(c.energyRangeDb()).isCloseTo(f.get("energy_range_db"), near(c.energyRangeDb()));
      assertThat(c.energyDbfs()).isCloseTo(loudMeanDb(x), near(c.energyDbfs()));
      assertThat(c.syllableRate()).isCloseTo(f.get("syllable_rate_per_s"), near(c.syllableRate()));
      assertThat(c.pauseCount()).isEqualTo((int) Math.round(f.get("pause_count_per_s") * duration));
      assertThat(c.pauseSeconds()).isCloseTo(f.get("pause_fraction") * duration, near(c.pauseSeconds()));
      assertThat(c.jitter()).isCloseTo(f.get("jitter_local"), near(c.jitter()));
      assertThat(c.shimmer()).isCloseTo(f.get("shimmer_local"), near(c.shimmer()));
      assertThat(c.voicedFraction()).isCloseTo(f.get("voiced_fraction"), near(c.voicedFraction()));
    }
  }

  private static org.assertj.core.data.Offset<Double> near(double v) {
    return within(1e-9 * (1 + Math.abs(v)));
  }

  private static ProsodicCues cues(float[] x, int rate) {
    Optional<ProsodicCues> c = ProsodicFeatures.cues(x, 0, x.length, rate);
    assertThat(c).as("cues of a voiced signal").isPresent();
    return c.get();
  }

  /**
   * The loudness figure computed directly: the mean dB level (mean square after removing each 40 ms frame's
   * mean, 10 ms hop) of the frames within 35 dB of the loudest.
   */
  private static double loudMeanDb(float[] x) {
    int n = 1 + Math.max(0, (x.length - 640) / 160);
    double[] db = new double[n];
    for (int t = 0; t < n; t++) {
      double[] frame = new double[640];
      for (int i = 0; i < 640; i++) {
        frame[i] = x[t * 160 + i];
      }
      double mean = Arrays.stream(frame).average().orElseThrow();
      db[t] = 10 * Math.log10(Arrays.stream(frame).map(v -> (v - mean) * (v - mean)).average().orElseThrow() + 1e-10);
    }
    double max = Arrays.stream(db).max().orElseThrow();
    return Arrays.stream(db).filter(d -> d > max - 35).average().orElseThrow();
  }
}
