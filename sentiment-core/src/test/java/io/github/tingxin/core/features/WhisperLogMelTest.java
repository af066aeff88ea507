package io.github.tingxin.core.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tingxin.api.Audio;
import io.github.tingxin.spi.Features;
import org.junit.jupiter.api.Test;

class WhisperLogMelTest {
  @Test
  void paddingToThirtySecondsGivesThreeThousandFrames() {
    WhisperLogMel whisper = new WhisperLogMel(WhisperOptions.defaults());
    Features f = whisper.extract(Audio.of(TestSignals.speechLike(16000, 20000, 9), 16000));
    assertThat(f.frames()).isEqualTo(3000);
    assertThat(f.dim()).isEqualTo(80);
    // Empty audio still gives the model its fixed 3000 frames, all at the floor.
    Features empty = whisper.extract(Audio.empty(16000));
    assertThat(empty.frames()).isEqualTo(3000);
    // Longer audio is trimmed to 30 s.
    assertThat(whisper.numFrames(16000 * 45)).isEqualTo(3000);
  }

  @Test
  void withoutPaddingFramesFollowTheLength() {
    WhisperLogMel whisper = new WhisperLogMel(WhisperOptions.defaults().withPadToSeconds(0).withNMels(128));
    assertThat(whisper.numFrames(16000)).isEqualTo(100);
    assertThat(whisper.extract(Audio.of(new float[159], 16000)).frames()).isZero();
    Features f = whisper.extract(Audio.of(TestSignals.speechLike(16000, 16000, 2), 16000));
    assertThat(f.frames()).isEqualTo(100);
    assertThat(f.dim()).isEqualTo(128);
    // The dynamic range is limited to 8 (2 after the (x + 4) / 4 scaling).
    float max = Float.NEGATIVE_INFINITY;
    float min = Float.POSITIVE_INFINITY;
    for (float v : f.data()) {
      max = Math.max(max, v);
      min = Math.min(min, v);
    }
    assertThat(max - min).isLessThanOrEqualTo(2.0f);
  }
}
