package io.github.tingxin.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The one channel vocabulary of the commands and the batch manifest. */
class ChannelSelectionTest {
  @Test
  void channelTextsParseToSelectionsAndBack() {
    assertThat(ChannelSelection.parse("")).isEqualTo(ChannelSelection.DOWNMIX);
    assertThat(ChannelSelection.parse(" Mix ")).isEqualTo(ChannelSelection.DOWNMIX);
    assertThat(ChannelSelection.parse("downmix")).isEqualTo(ChannelSelection.DOWNMIX);
    assertThat(ChannelSelection.parse("1")).isEqualTo(ChannelSelection.channel(1));
    assertThat(ChannelSelection.parse("0, 1")).isEqualTo(ChannelSelection.callerAndOperator(0, 1));
    assertThat(ChannelSelection.parse(" 1 ,0").toString()).isEqualTo("1,0");
    assertThat(ChannelSelection.parse(null).toString()).isEqualTo("downmix");
    assertThat(ChannelSelection.parse("7").toString()).isEqualTo("7");
    for (String bad : new String[] {"left", "-1", "1,1", "0,1,2", "1,", "+1", "99999999999", "0x1"}) {
      assertThatThrownBy(() -> ChannelSelection.parse(bad)).as(bad).isInstanceOfSatisfying(TingxinException.class,
          e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_OPTION)).hasMessageContaining("'" + bad + "'");
    }
  }

  @Test
  void everyErrorCodeHasAKindAndTheDocumentedExitStatus() {
    for (ErrorCode c : ErrorCode.values()) {
      assertThat(c.kind()).as(c.name()).isNotNull();
    }
    assertThat(ErrorCode.NOT_RIFF_WAVE.kind().exitStatus()).isEqualTo(2);
    assertThat(ErrorCode.INVALID_OPTION.kind().exitStatus()).isEqualTo(1);
    assertThat(ErrorCode.MANIFEST_INVALID.kind().exitStatus()).isEqualTo(3);
    assertThat(ErrorCode.DEVICE_UNAVAILABLE.kind().exitStatus()).isEqualTo(4);
    assertThat(ErrorCode.INTERRUPTED.kind().exitStatus()).isEqualTo(130);
  }
}
