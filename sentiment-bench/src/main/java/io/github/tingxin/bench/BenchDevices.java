package io.github.tingxin.bench;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import io.github.tingxin.api.Audio;
import io.github.tingxin.api.Device;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.core.audio.Resampler;
import io.github.tingxin.core.audio.WavReader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the device-aware benchmarks share: the {@code device} parameter, model names, and the test call.
 *
 * <p>{@code device=cuda} never falls back to the CPU: where this ONNX Runtime build has no CUDA provider
 * (the default CPU build, or no GPU), {@link #require(String)} throws from {@code @Setup}, JMH prints the
 * message and moves on to the next parameters, so no number is ever recorded for a GPU that is not there.
 * Stateless; thread-safe.
 */
final class BenchDevices {
  /** The 16 kHz EmoDB call (ten utterances, pauses, noise) that the calls are tiled from. */
  static final String CALL = "sentiment-core/src/test/resources/io/github/tingxin/core/vad/vad-call-16k.wav";

  private BenchDevices() {}

  /**
   * The device for a {@code device} parameter value.
   *
   * @throws IllegalStateException for {@code cuda} where the CUDA execution provider is absent: the
   *     benchmark is skipped, by design
   */
  static Device require(String device) {
    if (device.equals("cpu")) {
      return Device.CPU;
    }
    if (!device.equals("cuda")) {
      throw new IllegalArgumentException("device must be cpu or cuda, not " + device);
    }
    if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
      throw new IllegalStateException("SKIPPED device=cuda: this ONNX Runtime build has no CUDA execution "
          + "provider (no GPU here, or the jar was built without -Pcuda). On a machine with an NVIDIA GPU, "
          + "CUDA 12 and cuDNN 9: mvn -q -Pcuda -pl sentiment-bench -am package -DskipTests, then rerun with "
          + "-p device=cuda. No figure is recorded for cuda.");
    }
    return Device.cuda(0);
  }

  /**
   * {@code default} or {@code default-int8} (the bundled models), a fixture name under {@code fixtures/models},
   * or a package path.
   */
  static ModelPackage model(String name) {
    if (name.equals(ModelPackage.DEFAULT_NAME) || name.equals(ModelPackage.DEFAULT_INT8_NAME)) {
      return ModelPackage.named(name);
    }
    return ModelPackage.load(InferenceBenchmark.resolve(name));
  }

  /** {@code seconds} of the test call tiled, at {@code rate} (8000: telephone band, resampled). */
  static Audio call(double seconds, int rate) {
    Audio call = tile(rate);
    float[] x = new float[(int) Math.round(seconds * rate)];
    for (int i = 0; i < x.length; i += call.length()) {
      call.copyTo(0, x, i, Math.min(call.length(), x.length - i));
    }
    return Audio.of(x, rate);
  }

  /**
   * {@code path} as given when it is absolute or exists, else resolved against the first folder from the
   * working directory up that holds it (benchmarks run from the repository root or a module folder).
   *
   * @throws IllegalArgumentException if no such folder holds it
   */
  static Path findUp(Path path) {
    if (path.isAbsolute() || Files.exists(path)) {
      return path;
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p.resolve(path))) {
        return p.resolve(path);
      }
    }
    throw new IllegalArgumentException(path + " not found from " + Path.of("").toAbsolutePath() + " up; run "
        + "from the repository root or give an absolute path");
  }

  /** The test call once, at {@code rate}. */
  static Audio tile(int rate) {
    Audio call = WavReader.read(findUp(Path.of(CALL))).channel(0);
    if (rate != call.sampleRate()) {
      call = Resampler.resample(call, rate);
    }
    return call;
  }
}
