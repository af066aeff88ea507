package io.github.tingxin.core.vad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EnergyVoiceActivityDetectorTest {
  private static VadCallFixture call;

  @BeforeAll
  static void load() throws Exception {
    call = VadCallFixture.load();
  }

  @Test
  void findsTheKnownSpeechOfTheNoisyEmoDbCall() {
    EnergyVoiceActivityDetector vad = new EnergyVoiceActivityDetector(call.sampleRate);
    List<double[]> found = VadCallFixture.detect(vad, EnergyVoiceActivityDetector.DEFAULT_REGIONS, call.samples, 4096);
    String measured = String.format(java.util.Locale.ROOT, "agreement %.4f recall %.4f falseAlarm %.4f burst %.3f s; %s",
        call.agreement(found), call.recall(found), call.falseAlarm(found), call.speechInBurst(found),
        VadCallFixture.describe(found));
    assertThat(call.agreement(found)).as(measured).isGreaterThanOrEqualTo(0.90);
    assertThat(call.recall(found)).as(measured).isGreaterThanOrEqualTo(0.90);
    assertThat(call.falseAlarm(found)).as(measured).isLessThanOrEqualTo(0.10);
    assertThat(call.speechInBurst(found)).as(measured).isLessThan(0.1);
    System.out.println("energy VAD: " + measured);
  }

  @Test
  void findsTheSpeechAtTelephoneRateToo() {
    float[] at8k = io.github.tingxin.core.audio.Resampler.resample(io.github.tingxin.api.Audio.of(call.samples,
        call.sampleRate), 8000).toArray();
    EnergyVoiceActivityDetector vad = new EnergyVoiceActivityDetector(8000);
    List<double[]> found = VadCallFixture.detect(vad, EnergyVoiceActivityDetector.DEFAULT_REGIONS, at8k, 800);
    String measured = String.format(java.util.Locale.ROOT, "8 kHz: agreement %.4f falseAlarm %.4f",
        call.agreement(found), call.falseAlarm(found));
    assertThat(call.agreement(found)).as(measured).isGreaterThanOrEqualTo(0.90);
    assertThat(call.falseAlarm(found)).as(measured).isLessThanOrEqualTo(0.10);
    System.out.println("energy VAD " + measured);
  }

  @Test
  void chunkingNeverChangesTheProbabilities() {
    EnergyVoiceActivityDetector vad = new EnergyVoiceActivityDetector(call.sampleRate);
    float[] whole = probabilities(vad, call.samples, call.samples.length);
    Random random = new Random(7);
    VoiceActivityDetectorStreamCheck.assertChunkInvariant(vad, call.samples, whole, random);
    assertThat(whole.length).isEqualTo(call.samples.length / vad.frameSamples());
  }

  @Test
  void silenceAndSteadyNoiseAreNotSpeech() {
    EnergyVoiceActivityDetector vad = new EnergyVoiceActivityDetector(16000);
    Random random = new Random(3);
    float[] noise = new float[16000 * 5];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (float) (random.nextGaussian() * 0.01);
    }
    assertThat(VadCallFixture.detect(vad, EnergyVoiceActivityDetector.DEFAULT_REGIONS, noise, 1000)).isEmpty();
    assertThat(VadCallFixture.detect(vad, EnergyVoiceActivityDetector.DEFAULT_REGIONS, new float[16000], 1000))
        .isEmpty();
  }

  /**
   * A quiet recording (a caller far from the telephone, a line with little gain) is heard as a loud one: the
   * noisy EmoDB call 30 and 40 dB quieter gives what it gives at its own level. With the former speech level
   * (-55 dBFS) recall fell to 0.77 at 30 dB and 0.03 at 40 dB. Noise alone at such levels stays silence.
   */
  @Test
  void aQuietRecordingIsHeardAsALoudOne() {
    EnergyVoiceActivityDetector vad = new EnergyVoiceActivityDetector(call.sampleRate);
    for (double gainDb : new double[] {-30, -40}) {
      float gain = (float) Math.pow(10, gainDb / 20);
      float[] quiet = call.samples.clone();
      for (int i = 0; i < quiet.length; i++) {
        quiet[i] *= gain;
      }
      List<double[]> found = VadCallFixture.detect(vad, EnergyVoiceActivityDetector.DEFAULT_REGIONS, quiet, 4096);
      String measured = String.format(java.util.Locale.ROOT, "%.0f dB: agreement %.4f recall %.4f falseAlarm %.4f",
          gainDb, call.agreement(found), call.recall(found), call.falseAlarm(found));
      assertThat(call.agreement(found)).as(measured).isGreaterThanOrEqualTo(0.90);
      assertThat(call.recall(found)).as(measured).isGreaterThanOrEqualTo(0.90);
      assertThat(call.falseAlarm(found)).as(measured).isLessThanOrEqualTo(0.10);
    }
    Random random = new Random(11);
    for (double rms : new double[] {1e-3, 3e-4, 1e-4, 3e-5}) {
      float[] noise = new float[16000 * 5];
      for (int i = 0; i < noise.length; i++) {
        noise[i] = (float) (random.nextGaussian() * rms);
      }
      assertThat(VadCallFixture.detect(vad, EnergyVoiceActivityDetector.DEFAULT_REGIONS, noise, 1000))
          .as("white noise at %.0f dBFS", 20 * Math.log10(rms)).isEmpty();
    }
  }

  @Test
  void refusesRatesItCannotTake() {
    assertThatThrownBy(() -> new EnergyVoiceActivityDetector(2000)).isInstanceOf(TingxinException.class)
        .extracting(e -> ((TingxinException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED_SAMPLE_RATE);
    assertThatThrownBy(() -> new EnergyVoiceActivityDetector(6000)).isInstanceOf(TingxinException.class)
        .hasMessageContaining("Nyquist");
  }

  @Test
  void optionsAreValidated() {
    assertThatThrownBy(() -> new EnergyVoiceActivityDetector.Options(2, 6, 1.5, 0.45, 0.06, -55, -80, 3, 20, 3, 0.5,
        250, 3400)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("frameMillis");
    assertThat(EnergyVoiceActivityDetector.Options.DEFAULT.frameMillis()).isEqualTo(20);
  }

  static float[] probabilities(EnergyVoiceActivityDetector vad, float[] samples, int chunk) {
    return VoiceActivityDetectorStreamCheck.probabilities(vad, samples, chunk);
  }
}
