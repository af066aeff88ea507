package io.github.tingxin.core.features;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Pins every default of every options record (torchaudio's, or the recipe table's where they differ). */
class OptionsDefaultsTest {
  @Test
  void frameOptionsDefaults() {
    FrameOptions o = FrameOptions.defaults();
    assertThat(o.sampFreq()).isEqualTo(16000.0);
    assertThat(o.frameShiftMs()).isEqualTo(10.0);
    assertThat(o.frameLengthMs()).isEqualTo(25.0);
    assertThat(o.dither()).isEqualTo(0.0);
    assertThat(o.ditherSeed()).isEqualTo(0L);
    assertThat(o.preemphCoeff()).isEqualTo(0.97);
    assertThat(o.removeDcOffset()).isTrue();
    assertThat(o.windowType()).isEqualTo(WindowType.POVEY);
    assertThat(o.roundToPowerOfTwo()).isTrue();
    assertThat(o.blackmanCoeff()).isEqualTo(0.42);
    assertThat(o.snipEdges()).isTrue();
    assertThat(o.waveformScale()).isEqualTo(1.0);
    assertThat(o.windowSize()).isEqualTo(400);
    assertThat(o.windowShift()).isEqualTo(160);
    assertThat(o.paddedWindowSize()).isEqualTo(512);
    assertThat(FrameOptions.class.getRecordComponents()).hasSize(12);
  }

  @Test
  void melOptionsDefaults() {
    MelOptions o = MelOptions.defaults();
    assertThat(o.numBins()).isEqualTo(23);
    assertThat(o.lowFreq()).isEqualTo(20.0);
    assertThat(o.highFreq()).isEqualTo(0.0);
    assertThat(o.vtlnLow()).isEqualTo(100.0);
    assertThat(o.vtlnHigh()).isEqualTo(-500.0);
    assertThat(MelOptions.class.getRecordComponents()).hasSize(5);
  }

  @Test
  void fbankOptionsDefaults() {
    FbankOptions o = FbankOptions.defaults();
    assertThat(o.frameOpts()).isEqualTo(FrameOptions.defaults());
    assertThat(o.melOpts()).isEqualTo(MelOptions.defaults());
    assertThat(o.useEnergy()).isFalse();
    assertThat(o.energyFloor()).isEqualTo(1.0);
    assertThat(o.rawEnergy()).isTrue();
    assertThat(o.htkCompat()).isFalse();
    assertThat(o.useLogFbank()).isTrue();
    assertThat(o.usePower()).isTrue();
    assertThat(o.subtractMean()).isFalse();
    assertThat(o.vtlnWarp()).isEqualTo(1.0);
    assertThat(o.dim()).isEqualTo(23);
    assertThat(FbankOptions.class.getRecordComponents()).hasSize(10);
  }

  @Test
  void mfccOptionsDefaults() {
    MfccOptions o = MfccOptions.defaults();
    assertThat(o.frameOpts()).isEqualTo(FrameOptions.defaults());
    assertThat(o.melOpts()).isEqualTo(MelOptions.defaults());
    assertThat(o.numCeps()).isEqualTo(13);
    assertThat(o.useEnergy()).isTrue(); // the recipe table's (and Kaldi's); torchaudio's is false
    assertThat(o.energyFloor()).isEqualTo(1.0);
    assertThat(o.rawEnergy()).isTrue();
    assertThat(o.cepstralLifter()).isEqualTo(22.0);
    assertThat(o.htkCompat()).isFalse();
    assertThat(o.subtractMean()).isFalse();
    assertThat(o.vtlnWarp()).isEqualTo(1.0);
    assertThat(MfccOptions.class.getRecordComponents()).hasSize(10);
  }

  @Test
  void whisperOptionsDefaults() {
    WhisperOptions o = WhisperOptions.defaults();
    assertThat(o.sampleRate()).isEqualTo(16000);
    assertThat(o.nMels()).isEqualTo(80);
    assertThat(o.nFft()).isEqualTo(400);
    assertThat(o.hopLength()).isEqualTo(160);
    assertThat(o.padToSeconds()).isEqualTo(30.0);
    assertThat(WhisperOptions.class.getRecordComponents()).hasSize(5);
  }

  @Test
  void recipeWithNoOptionsGivesTheDefaults() {
    var empty = new io.github.tingxin.api.ModelManifest.FeatureRecipe("kaldi-fbank", java.util.Map.of());
    assertThat(FeatureRecipes.fbankOptions(empty, 16000)).isEqualTo(FbankOptions.defaults());
    var mfcc = new io.github.tingxin.api.ModelManifest.FeatureRecipe("kaldi-mfcc", java.util.Map.of());
    assertThat(FeatureRecipes.mfccOptions(mfcc, 16000)).isEqualTo(MfccOptions.defaults());
    assertThat(new Lfr(1, 1).isIdentity()).isTrue();
  }

  @Test
  void theJavaApiRefusesOutOfRangeValuesWithIllegalArgumentException() {
    // The records check the ranges of docs/model-package.md and name the option by its recipe keyword.
    org.junit.jupiter.api.function.Executable[] calls = {
        () -> MelOptions.defaults().withNumBins(MelOptions.MAX_BINS + 1),
        () -> FrameOptions.defaults().withFrameLengthMs(1e9),
        () -> FrameOptions.defaults().withFrameShiftMs(Double.POSITIVE_INFINITY),
        () -> FrameOptions.defaults().withSampFreq(1e12),
        () -> FrameOptions.defaults().withWaveformScale(1e300),
        () -> new Lfr(1_000_000_000, 1),
        () -> WhisperOptions.defaults().withNFft(1 << 20),
        () -> WhisperOptions.defaults().withPadToSeconds(1e9),
        () -> MfccOptions.defaults().withCepstralLifter(-1),
        () -> WindowType.fromKaldiName("hann"),
        () -> WaveformNormalizer.Mode.fromRecipeName("zscore")};
    String[] named = {"num_mel_bins", "frame_length", "frame_shift", "sample_frequency", "waveform_scale",
        "lfr_m", "n_fft", "pad_to_seconds", "cepstral_lifter", "window_type", "normalize"};
    for (int i = 0; i < calls.length; i++) {
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          calls[i]);
      assertThat(e.getMessage()).startsWith(named[i] + ": ");
    }
  }
}
