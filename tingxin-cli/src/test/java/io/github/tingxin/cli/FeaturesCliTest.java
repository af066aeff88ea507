package io.github.tingxin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.ModelManifest.FeatureRecipe;
import io.github.tingxin.spi.Features;
import io.github.tingxin.spi.Providers;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tingxin features} run as a process: the .npy parses and holds exactly the extractor's values. */
class FeaturesCliTest {
  /** Channel {@code channel} of a 16-bit WAV, decoded by the JDK (independent of the CLI's decoder). */
  static float[] jdkChannel(Path wav, int channel) throws Exception {
    try (AudioInputStream in = AudioSystem.getAudioInputStream(new File(wav.toString()))) {
      int ch = in.getFormat().getChannels();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      in.transferTo(bytes);
      ByteBuffer b = ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
      float[] x = new float[b.remaining() / 2 / ch];
      for (int i = 0; i < x.length; i++) {
        for (int c = 0; c < ch; c++) {
          short s = b.getShort();
          if (c == channel) {
            x[i] = s / 32768f;
          }
        }
      }
      return x;
    }
  }

  @Test
  void fbankOfOneChannelEqualsTheExtractors(@TempDir Path dir) throws Exception {
    Path wav = TestWavs.write(dir.resolve("two.wav"), 16000, TestWavs.speechLike(16000, 1.7, 1, 0.3),
        TestWavs.speechLike(16000, 1.7, 2, 0.6));
    Path npy = dir.resolve("fbank.npy");
    CliProcess.Result r = CliProcess.run("features", "--recipe", "kaldi-fbank", "--option", "num_mel_bins=48",
        "--option", "dither=0", "--option", "window_type=hamming", "--channel", "1", wav.toString(), "--out",
        npy.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout()).isEmpty();
    NpyTest.NpyArray got = NpyTest.NpyArray.read(npy);

    Features want = Providers.FEATURE_EXTRACTORS.named("kaldi-fbank")
        .create(new FeatureRecipe("kaldi-fbank", Map.of("num_mel_bins", 48, "dither", 0, "window_type", "hamming")),
            16000)
        .extract(Audio.of(jdkChannel(wav, 1), 16000));
    assertThat(got.rows()).isEqualTo(want.frames()).isEqualTo(168); // snip_edges: 1 + (27200 - 400) / 160
    assertThat(got.cols()).isEqualTo(48);
    assertThat(got.data()).containsExactly(want.data());
    assertThat(r.stderr()).contains("168 frames x 48 dims");
  }

  @Test
  void whisperLogMelWithoutPaddingEqualsTheExtractors(@TempDir Path dir) throws Exception {
    Path wav = TestWavs.write(dir.resolve("mono.wav"), 16000, TestWavs.speechLike(16000, 1.3, 3, 0.5));
    Path npy = dir.resolve("mel.npy");
    CliProcess.Result r = CliProcess.run("features", "--recipe", "whisper-logmel", "--option", "pad_to_seconds=0",
        "-q", wav.toString(), "--out", npy.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stderr()).isEmpty();
    NpyTest.NpyArray got = NpyTest.NpyArray.read(npy);
    Features want = Providers.FEATURE_EXTRACTORS.named("whisper-logmel")
        .create(new FeatureRecipe("whisper-logmel", Map.of("pad_to_seconds", 0)), 16000)
        .extract(Audio.of(jdkChannel(wav, 0), 16000));
    assertThat(got.rows()).isEqualTo(want.frames()).isGreaterThan(100);
    assertThat(got.cols()).isEqualTo(80);
    assertThat(got.data()).containsExactly(want.data());
  }

  @Test
  void audioAtAnotherRateIsResampledFirst(@TempDir Path dir) throws Exception {
    Path wav = TestWavs.write(dir.resolve("tel.wav"), 8000, TestWavs.speechLike(8000, 1.1, 6, 0.4));
    Path npy = dir.resolve("mfcc.npy");
    CliProcess.Result r = CliProcess.run("features", "--recipe", "kaldi-mfcc", "--option", "num_ceps=20",
        "--option", "num_mel_bins=30", wav.toString(), "--out", npy.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    NpyTest.NpyArray got = NpyTest.NpyArray.read(npy);
    Audio at16k = io.github.tingxin.core.audio.Resampler.resample(Audio.of(jdkChannel(wav, 0), 8000), 16000);
    Features want = Providers.FEATURE_EXTRACTORS.named("kaldi-mfcc")
        .create(new FeatureRecipe("kaldi-mfcc", Map.of("num_ceps", 20, "num_mel_bins", 30)), 16000).extract(at16k);
    assertThat(got.rows()).isEqualTo(want.frames()).isEqualTo(108); // 17600 samples at 16 kHz
    assertThat(got.cols()).isEqualTo(20);
    assertThat(got.data()).containsExactly(want.data());
  }

  @Test
  void anUnknownOptionIsRefusedInOneLine(@TempDir Path dir) throws Exception {
    Path wav = TestWavs.write(dir.resolve("mono.wav"), 16000, TestWavs.speechLike(16000, 0.5, 4, 0.5));
    CliProcess.Result r = CliProcess.inProcess(null, "features", "--recipe", "kaldi-fbank", "--option", "num_mel_binz=40",
        wav.toString(), "--out", dir.resolve("x.npy").toString());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.stderrLines()).hasSize(1);
    assertThat(r.stderrLines().get(0)).startsWith("tingxin: error: ").contains("num_mel_binz", "[INVALID_OPTION]");
    assertThat(Files.exists(dir.resolve("x.npy"))).isFalse();
  }

  @Test
  void anAbsurdValueIsRefusedWithTheOptionsRange(@TempDir Path dir) throws Exception {
    // Issue 17 item 8: not a bare "For input string", an overflow or an OutOfMemoryError.
    Path wav = TestWavs.write(dir.resolve("mono.wav"), 16000, TestWavs.speechLike(16000, 0.5, 4, 0.5));
    String[][] cases = {{"num_mel_bins=99999999999999999999", "num_mel_bins: must be a whole number from 4 to 1024"},
        {"frame_length=1e9", "frame_length: 1.0E9 ms at 16000.0 Hz is more than 65536 samples"},
        {"lfr_m=1000000000", "lfr_m: must be a whole number from 1 to 64, got 1000000000"}};
    for (String[] c : cases) {
      CliProcess.Result r = CliProcess.inProcess(null, "features", "--recipe", "kaldi-fbank", "--option", c[0],
          wav.toString(), "--out", dir.resolve("x.npy").toString());
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.stderrLines()).hasSize(1);
      assertThat(r.stderrLines().get(0)).contains("[INVALID_OPTION]", c[1]);
    }
    CliProcess.Result r = CliProcess.inProcess(null, "features", "--recipe", "whisper-logmel", "--option",
        "n_fft=99999999999999999999", wav.toString(), "--out", dir.resolve("x.npy").toString());
    assertThat(r.stderrLines().get(0)).contains("[INVALID_OPTION]", "n_fft: must be a whole number from 2 to 65536");
    assertThat(Files.exists(dir.resolve("x.npy"))).isFalse();
  }

  @Test
  void anUnwritableOutputExitsFive(@TempDir Path dir) throws Exception {
    Path wav = TestWavs.write(dir.resolve("mono.wav"), 16000, TestWavs.speechLike(16000, 0.5, 5, 0.5));
    CliProcess.Result r = CliProcess.inProcess(null, "features", "--recipe", "kaldi-mfcc", wav.toString(), "--out",
        dir.resolve("no/such/dir/x.npy").toString());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OUTPUT);
    assertThat(r.stderrLines()).hasSize(1);
    assertThat(r.stderrLines().get(0)).contains("cannot write", "x.npy");
  }

  @Test
  void optionValuesAreTyped() {
    Map<String, Object> m = FeaturesCommand.parseOptions(java.util.List.of("a=1", "b=2.5", "c=true", "d=povey",
        "e=0.1,-2,3e-1", "f=-7", "g=99999999999", "h=99999999999999999999"));
    assertThat(m).containsEntry("a", 1).containsEntry("b", 2.5).containsEntry("c", true)
        .containsEntry("d", "povey").containsEntry("f", -7).containsEntry("g", 99999999999L)
        .containsEntry("h", "99999999999999999999");
    assertThat(m.get("e")).isEqualTo(java.util.List.of(0.1, -2, 0.3));
  }
}
