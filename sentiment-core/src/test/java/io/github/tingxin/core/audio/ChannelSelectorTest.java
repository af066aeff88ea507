package io.github.tingxin.core.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.ChannelSelection;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.Speaker;
import io.github.tingxin.api.TingxinException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelSelectorTest {
  /** Three channels of independent noise, float32 in WAVE_FORMAT_EXTENSIBLE. */
  private final DecodedWav three = WavReader.read(Reference.path("wav/hand_extensible_float.wav"));
  private final DecodedWav mono = WavReader.read(Reference.path("wav/hand_pcm_fmt18.wav"));

  @Test
  void picksOneChannelAsTheCaller() {
    Map<Speaker, Audio> selected = ChannelSelector.select(three, ChannelSelection.channel(2));
    assertThat(selected).containsOnlyKeys(Speaker.CALLER);
    assertThat(selected.get(Speaker.CALLER)).isSameAs(three.channel(2));
  }

  @Test
  void downmixIsTheMeanOfAllChannels() {
    float[][] ch = new float[3][];
    for (int c = 0; c < 3; c++) {
      ch[c] = three.channel(c).toArray();
    }
    Audio mix = ChannelSelector.select(three, ChannelSelection.DOWNMIX).get(Speaker.CALLER);
    assertThat(mix.length()).isEqualTo(three.frames());
    assertThat(mix.sampleRate()).isEqualTo(44100);
    boolean differs = false;
    for (int i = 0; i < mix.length(); i++) {
      float expected = (float) (((double) ch[0][i] + ch[1][i] + ch[2][i]) / 3);
      assertThat(mix.sample(i)).isEqualTo(expected);
      differs |= ch[0][i] != expected;
    }
    assertThat(differs).isTrue();
    assertThat(ChannelSelector.select(mono, ChannelSelection.DOWNMIX).get(Speaker.CALLER)).isSameAs(mono.channel(0));
  }

  @Test
  void callerAndOperatorEachGetTheirChannel() {
    Map<Speaker, Audio> both = three.select(ChannelSelection.callerAndOperator(1, 0));
    assertThat(both.keySet()).containsExactly(Speaker.CALLER, Speaker.OPERATOR);
    assertThat(both.get(Speaker.CALLER)).isSameAs(three.channel(1));
    assertThat(both.get(Speaker.OPERATOR)).isSameAs(three.channel(0));
    assertThatThrownBy(() -> ChannelSelector.audio(three, ChannelSelection.DOWNMIX, Speaker.OPERATOR))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aMissingChannelIsInvalidChannel() {
    assertInvalid(() -> ChannelSelector.select(three, ChannelSelection.channel(3)), "Channel 3", "0 to 2");
    assertInvalid(() -> ChannelSelector.select(three, ChannelSelection.callerAndOperator(0, 5)), "Channel 5");
    assertInvalid(() -> ChannelSelector.select(mono, ChannelSelection.callerAndOperator(0, 1)), "1 channel");
    assertInvalid(() -> mono.channel(1), "Channel 1", "1 channel (0)");
  }

  @Test
  void blockMixingEqualsWholeSelection() {
    float[][] block = new float[3][];
    for (int c = 0; c < 3; c++) {
      block[c] = three.channel(c).toArray();
    }
    int n = three.frames();
    float[] out = new float[n + 5];
    for (ChannelSelection selection : new ChannelSelection[] {ChannelSelection.DOWNMIX, ChannelSelection.channel(1),
        ChannelSelection.callerAndOperator(2, 0)}) {
      for (Speaker speaker : three.select(selection).keySet()) {
        ChannelSelector.mix(block, 3, 0, n, selection, speaker, out, 5);
        float[] expected = ChannelSelector.audio(three, selection, speaker).toArray();
        assertThat(java.util.Arrays.copyOfRange(out, 5, 5 + n)).isEqualTo(expected);
      }
    }
    assertInvalid(() -> ChannelSelector.mix(block, 3, 0, n, ChannelSelection.channel(7), Speaker.CALLER, out, 0),
        "Channel 7");
  }

  private static void assertInvalid(Runnable r, String... parts) {
    TingxinException e = WavReaderTest.catchTingxin(r);
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CHANNEL);
    assertThat(e.getMessage()).contains(parts);
  }
}
