package io.github.tingxin.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeviceTest {
  @Test
  void parsesEveryDocumentedForm() {
    assertThat(Device.parse("cpu")).isEqualTo(Device.CPU);
    assertThat(Device.parse(" CUDA ")).isEqualTo(Device.cuda(0));
    assertThat(Device.parse("cuda:3")).isEqualTo(Device.cuda(3));
    assertThat(Device.parse("cuda?")).isEqualTo(Device.cudaIfAvailable(0));
    assertThat(Device.parse("cuda:1?")).isEqualTo(Device.cudaIfAvailable(1));
    assertThat(Device.parse("cuda:2?").toString()).isEqualTo("cuda:2?");
  }

  @Test
  void refusesAnythingElseWithAnActionableCode() {
    for (String bad : new String[] {"gpu", "cuda:", "cuda:-1", "cuda:x", "tpu?", ""}) {
      assertThatThrownBy(() -> Device.parse(bad))
          .as(bad)
          .isInstanceOfSatisfying(TingxinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_OPTION))
          .hasMessageContaining("cpu, cuda");
    }
  }

  @Test
  void validatesComponents() {
    assertThatThrownBy(() -> new Device(Device.Type.CPU, 1, false)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Device(Device.Type.CPU, 0, true)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Device.cuda(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
