package io.github.tingxin.core.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.ModelManifest.FeatureRecipe;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.spi.FeatureExtractor;
import io.github.tingxin.spi.FeatureExtractorProvider;
import io.github.tingxin.spi.Features;
import io.github.tingxin.spi.Providers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FeatureRecipesTest {
  private static FeatureExtractor create(String type, Map<String, Object> options) {
    return FeatureRecipes.create(new FeatureRecipe(type, options), 16000);
  }

  private static void assertCode(ThrowingCallable call, ErrorCode code, String mentions) {
    assertThatThrownBy(call).isInstanceOfSatisfying(TingxinException.class, e -> {
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.getMessage()).contains(mentions);
    });
  }

  @Test
  void serviceLoaderFindsOneProviderPerRecipeType() {
    // Other tests may register their own providers; ours must be there, one for each type.
    Map<String, FeatureExtractorProvider> byType = new HashMap<>();
    for (FeatureExtractorProvider p : Providers.FEATURE_EXTRACTORS.all()) {
      if (p.getClass().getPackageName().equals(FeatureRecipes.class.getPackageName())) {
        p.types().forEach(t -> assertThat(byType.put(t, p)).as("a second provider of %s", t).isNull());
      }
    }
    assertThat(byType.keySet()).containsExactlyInAnyOrder("waveform", "kaldi-fbank", "kaldi-mfcc", "whisper-logmel");
    assertThat(Providers.FEATURE_EXTRACTORS.named("whisper-logmel")).isInstanceOf(FeatureRecipesProvider.class);
    FeatureExtractor e = byType.get("kaldi-fbank").create(new FeatureRecipe("kaldi-fbank",
        Map.of("num_mel_bins", 80)), 16000);
    assertThat(e.dim()).isEqualTo(80);
    // one provider makes all four types; a type it does not make is a programming error
    assertThatThrownBy(() -> byType.get("kaldi-mfcc").create(new FeatureRecipe("test-level", Map.of()), 16000))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unknownOptionIsRefusedByName() {
    assertCode(() -> create("kaldi-fbank", Map.of("num_mel_bin", 80)), ErrorCode.INVALID_OPTION, "num_mel_bin");
    assertCode(() -> create("kaldi-mfcc", Map.of("use_power", false)), ErrorCode.INVALID_OPTION, "use_power");
    assertCode(() -> create("whisper-logmel", Map.of("num_mel_bins", 80)), ErrorCode.INVALID_OPTION, "num_mel_bins");
    assertCode(() -> create("waveform", Map.of("norm", "wav2vec2")), ErrorCode.INVALID_OPTION, "norm");
    assertCode(() -> create("mel", Map.of()), ErrorCode.INVALID_OPTION, "features.type");
  }

  @Test
  void sampleFrequencyMustEqualTheModelRate() {
    assertThat(create("kaldi-fbank", Map.of("sample_frequency", 16000.0)).sampleRate()).isEqualTo(16000);
    assertCode(() -> create("kaldi-fbank", Map.of("sample_frequency", 8000)), ErrorCode.INVALID_OPTION,
        "sample_frequency");
    assertCode(() -> create("whisper-logmel", Map.of("sample_frequency", 8000)), ErrorCode.INVALID_OPTION,
        "sample_frequency");
  }

  @Test
  void optionsThatCannotBeHonouredAreRefused() {
    assertCode(() -> create("kaldi-fbank", Map.of("vtln_warp", 0.9)), ErrorCode.UNSUPPORTED_OPTION, "vtln_warp");
    assertCode(() -> create("kaldi-mfcc", Map.of("vtln_warp", 1.1)), ErrorCode.UNSUPPORTED_OPTION, "vtln_warp");
    assertCode(() -> OnlineFeature.of(new KaldiFbank(FbankOptions.defaults().withSubtractMean(true))),
        ErrorCode.UNSUPPORTED_OPTION, "subtract_mean");
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "kaldi-fbank; num_mel_bins; 3; num_mel_bins",
      "kaldi-fbank; num_mel_bins; 23.5; num_mel_bins",
      "kaldi-fbank; frame_length; 0.05; frame_length",
      "kaldi-fbank; frame_shift; -10; frame_shift",
      "kaldi-fbank; dither; -1; dither",
      "kaldi-fbank; preemphasis_coefficient; 1.5; preemphasis_coefficient",
      "kaldi-fbank; window_type; hann; window_type",
      "kaldi-fbank; low_freq; 9000; low_freq",
      "kaldi-fbank; high_freq; 9000; high_freq",
      "kaldi-fbank; high_freq; -8000; high_freq",
      "kaldi-fbank; energy_floor; -1; energy_floor",
      "kaldi-fbank; snip_edges; maybe; snip_edges",
      "kaldi-fbank; waveform_scale; 0; waveform_scale",
      "kaldi-fbank; lfr_m; 0; lfr_m",
      "kaldi-fbank; cmvn; per-speaker; cmvn",
      "kaldi-fbank; cmvn_means; 1,2; cmvn_means",
      "kaldi-mfcc; num_ceps; 30; num_ceps",
      "whisper-logmel; n_mels; 64; n_mels",
      "whisper-logmel; n_fft; 401; n_fft",
      "whisper-logmel; pad_to_seconds; -1; pad_to_seconds",
      "waveform; normalize; zscore; normalize"})
  void invalidValuesAreRefusedByName(String type, String option, String value, String mentions) {
    assertCode(() -> create(type, Map.of(option, value)), ErrorCode.INVALID_OPTION, mentions);
  }

  // Issue 17 item 8: absurd values get their option's range, never an overflow, an OutOfMemoryError or a
  // bare NumberFormatException. Each is refused before anything is sized from it.
  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "kaldi-fbank; num_mel_bins; 99999999999999999999; num_mel_bins: must be a whole number from 4 to 1024",
      "kaldi-fbank; num_mel_bins; 1025; num_mel_bins: must be a whole number from 4 to 1024, got '1025'",
      "kaldi-fbank; frame_length; 1e9; frame_length: 1.0E9 ms at 16000.0 Hz is more than 65536 samples",
      "kaldi-fbank; frame_length; 4097; frame_length: 4097.0 ms at 16000.0 Hz is more than 65536 samples",
      "kaldi-fbank; frame_shift; 1e300; frame_shift: 1.0E300 ms at 16000.0 Hz is more than 65536 samples",
      "kaldi-fbank; frame_shift; NaN; frame_shift: must be a finite number > 0",
      "kaldi-fbank; lfr_m; 1e9; lfr_m: must be a whole number from 1 to 64",
      "kaldi-fbank; lfr_n; 65; lfr_n: must be a whole number from 1 to 64, got '65'",
      "kaldi-fbank; dither; 1e300; dither: must be from 0 to 1000000",
      "kaldi-fbank; waveform_scale; 1e300; waveform_scale: must be above 0 and at most 1000000",
      "kaldi-fbank; blackman_coeff; 2; blackman_coeff: must be from 0 to 1",
      "kaldi-fbank; dither_seed; 99999999999999999999; dither_seed: '99999999999999999999' is not a whole number",
      "kaldi-mfcc; num_ceps; 99999999999; num_ceps: must be a whole number from 1 to 1024",
      "kaldi-mfcc; cepstral_lifter; -1; cepstral_lifter: must be from 0 to 10000",
      "whisper-logmel; n_fft; 99999999999999999999; n_fft: must be a whole number from 2 to 65536",
      "whisper-logmel; n_fft; 131072; n_fft: must be a whole number from 2 to 65536",
      "whisper-logmel; hop_length; 0; hop_length: must be a whole number from 1 to 65536, got '0'",
      "whisper-logmel; hop_length; 1e9; hop_length: must be a whole number from 1 to 65536",
      "whisper-logmel; n_mels; 1e300; n_mels: must be a whole number from 1 to 1024",
      "whisper-logmel; pad_to_seconds; 1e9; pad_to_seconds: must be from 0 to 600, got 1.0E9"})
  void absurdValuesAreRefusedWithTheirRange(String type, String option, String value, String message) {
    assertCode(() -> create(type, Map.of(option, value)), ErrorCode.INVALID_OPTION, message);
  }

  @Test
  void theLargestValuesInRangeMakeWorkingExtractors() {
    // At the edges of the ranges the extractors still work, with bounded per-thread buffers.
    float[] x = TestSignals.speechLike(16000, 70_000, 31);
    FeatureExtractor wide = create("kaldi-fbank", Map.of("frame_length", 4096, "frame_shift", 4096,
        "num_mel_bins", 1024, "lfr_m", 64, "lfr_n", 64));
    assertThat(wide.dim()).isEqualTo(1024 * 64);
    assertThat(wide.extract(Audio.of(x, 16000)).frames()).isEqualTo(1);
    FeatureExtractor whisper = create("whisper-logmel", Map.of("n_fft", 65536, "hop_length", 65536,
        "n_mels", 128, "pad_to_seconds", 0));
    assertThat(whisper.extract(Audio.of(x, 16000)).frames()).isEqualTo(1);
  }

  @Test
  void oddFrameWithoutPowerOfTwoIsRefused() {
    assertCode(() -> create("kaldi-fbank", Map.of("frame_length", 25.0625, "round_to_power_of_two", false)),
        ErrorCode.INVALID_OPTION, "frame_length");
  }

  @Test
  void globalCmvnNeedsStatisticsOfTheRightSize() {
    assertCode(() -> create("kaldi-fbank", Map.of("cmvn", "global")), ErrorCode.INVALID_OPTION, "cmvn_means");
    assertCode(() -> create("kaldi-fbank", Map.of("cmvn", "global", "cmvn_means", List.of(1.0, 2.0),
        "cmvn_vars", List.of(1.0, 2.0))), ErrorCode.INVALID_OPTION, "cmvn_means");
    Map<String, Object> opts = new HashMap<>();
    opts.put("cmvn", "global");
    opts.put("num_mel_bins", 4 + 0 * 23);
    opts.put("cmvn_means", List.of(0, 0, 0, 0));
    opts.put("cmvn_vars", List.of(1, 1, 0, 1));
    assertCode(() -> create("kaldi-fbank", opts), ErrorCode.INVALID_OPTION, "cmvn_vars[2]");
    assertCode(() -> create("kaldi-fbank", Map.of("cmvn_vars", List.of(1.0))), ErrorCode.INVALID_OPTION,
        "cmvn_vars");
  }

  @Test
  void stringValuesFromTheCommandLineAreParsed() {
    FeatureExtractor fromStrings = create("kaldi-fbank", Map.of("num_mel_bins", "40", "snip_edges", "false",
        "window_type", "hamming", "frame_shift", "12.5"));
    FeatureExtractor fromJson = create("kaldi-fbank", Map.of("num_mel_bins", 40, "snip_edges", false,
        "window_type", "hamming", "frame_shift", 12.5));
    float[] x = TestSignals.speechLike(16000, 12345, 3);
    Audio audio = Audio.of(x, 16000);
    assertThat(fromStrings.extract(audio).data()).containsExactly(fromJson.extract(audio).data());
    assertThat(fromStrings.dim()).isEqualTo(40);
  }

  @Test
  void lfrAndCmvnShapeTheOutput() {
    FeatureExtractor e = create("kaldi-fbank", Map.of("num_mel_bins", 80, "lfr_m", 7, "lfr_n", 6,
        "cmvn", "utterance"));
    assertThat(e.dim()).isEqualTo(560);
    float[] x = TestSignals.speechLike(16000, 16000, 5);
    Features f = e.extract(Audio.of(x, 16000));
    assertThat(f.frames()).isEqualTo((98 + 5) / 6).isEqualTo(e.numFrames(16000));
    // utterance CMVN: every dimension has mean 0 over the frames
    for (int d = 0; d < f.dim(); d += 37) {
      double sum = 0;
      for (int t = 0; t < f.frames(); t++) {
        sum += f.get(t, d);
      }
      assertThat(sum / f.frames()).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-4));
    }
  }

  @Test
  void wrongSampleRateIsRefused() {
    FeatureExtractor e = create("kaldi-mfcc", Map.of());
    assertCode(() -> e.extract(Audio.of(new float[8000], 8000)), ErrorCode.UNSUPPORTED_SAMPLE_RATE, "8000");
    FeatureExtractor w = create("whisper-logmel", Map.of());
    assertCode(() -> w.extract(Audio.of(new float[8000], 8000)), ErrorCode.UNSUPPORTED_SAMPLE_RATE, "8000");
  }
}
