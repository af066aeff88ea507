package io.github.tingxin.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import io.github.tingxin.api.Audio;
import io.github.tingxin.api.Device;
import org.junit.jupiter.api.Test;

class BenchDevicesTest {

  @Test
  void cudaIsSkippedWithAMessageWhereTheProviderIsAbsentAndNeverFallsBackToTheCpu() {
    if (OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
      assertThat(BenchDevices.require("cuda")).isEqualTo(Device.cuda(0));
    } else {
      assertThatThrownBy(() -> BenchDevices.require("cuda")).isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("SKIPPED device=cuda").hasMessageContaining("-Pcuda");
    }
    assertThat(BenchDevices.require("cpu")).isEqualTo(Device.CPU);
    assertThatThrownBy(() -> BenchDevices.require("gpu")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void callsAreTheTestCallTiledToTheAskedLengthAndRate() {
    Audio once = BenchDevices.tile(8000);
    Audio call = BenchDevices.call(2.5 * once.length() / 8000.0, 8000);
    assertThat(call.sampleRate()).isEqualTo(8000);
    assertThat(call.length()).isEqualTo((int) Math.round(2.5 * once.length()));
    float[] a = new float[once.length()];
    float[] b = new float[once.length()];
    once.copyTo(0, a, 0, a.length);
    call.copyTo(once.length(), b, 0, b.length);
    assertThat(b).containsExactly(a);
    double energy = 0;
    for (float v : a) {
      energy += v * v;
    }
    assertThat(energy / a.length).isGreaterThan(1e-5);
  }

  @Test
  void theDefaultModelIsTheBundledOne() {
    assertThat(BenchDevices.model("default").manifest().name()).isEqualTo("tingxin-whisper-tiny-emotion");
  }
}
