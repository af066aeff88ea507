package io.github.tingxin.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FramedVadStreamTest {
  /** Probability = mean of the frame (after a context slot the stream keeps as its previous frame's last sample). */
  static final class MeanStream extends FramedVadStream {
    final float[] buffer;
    final List<Long> framesDoneSeen = new ArrayList<>();

    MeanStream(float[] buffer) {
      super(buffer, 1, buffer.length - 1);
      this.buffer = buffer;
    }

    @Override
    protected float frameProbability() {
      framesDoneSeen.add(framesDone());
      float sum = buffer[0];
      for (int i = 1; i < buffer.length; i++) {
        sum += buffer[i];
      }
      buffer[0] = buffer[buffer.length - 1];
      return sum;
    }
  }

  @Test
  void anyChunkingGivesTheFramesOfFeedingWhole() {
    float[] signal = new float[1003];
    Random r = new Random(5);
    for (int i = 0; i < signal.length; i++) {
      signal[i] = (float) r.nextGaussian();
    }
    MeanStream whole = new MeanStream(new float[11]);
    float[] expected = new float[whole.framesCompletedBy(signal.length)];
    assertThat(whole.accept(signal, 0, signal.length, expected, 0)).isEqualTo(100);
    assertThat(whole.framesDoneSeen).startsWith(0L, 1L, 2L);

    MeanStream chunked = new MeanStream(new float[11]);
    float[] got = new float[expected.length];
    int at = 0;
    int written = 0;
    while (at < signal.length) {
      int n = Math.min(1 + r.nextInt(25), signal.length - at);
      int frames = chunked.framesCompletedBy(n);
      assertThat(chunked.accept(signal, at, n, got, written)).isEqualTo(frames);
      written += frames;
      at += n;
    }
    assertThat(got).containsExactly(expected);
    assertThat(chunked.framesDone()).isEqualTo(100);
  }

  @Test
  void rangesAndFrameSizesAreChecked() {
    assertThatThrownBy(() -> new MeanStream(new float[1])).isInstanceOf(IllegalArgumentException.class);
    MeanStream s = new MeanStream(new float[11]);
    assertThatThrownBy(() -> s.accept(new float[25], 0, 25, new float[1], 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> s.accept(new float[5], 3, 5, new float[1], 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
