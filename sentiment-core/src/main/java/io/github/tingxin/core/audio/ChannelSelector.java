package io.github.tingxin.core.audio;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.ChannelSelection;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.Speaker;
import io.github.tingxin.api.TingxinException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Turns multi-channel audio into the mono audio of each {@link Speaker}, as a {@link ChannelSelection}
 * says: one channel as the caller, the mean of all channels as the caller (downmix), or one channel as the
 * caller and another as the operator. Hotlines often record the caller on one channel and the operator on
 * the other.
 *
 * <p>Works on a whole {@link DecodedWav} ({@link #select}) or on blocks from
 * {@link WavReader#read(float[][], int, int)} ({@link #mix}). Stateless and thread-safe.
 */
public final class ChannelSelector {
  private ChannelSelector() {}

  /**
   * The audio of each speaker in {@code wav} under {@code selection}: {@link Speaker#CALLER} always, and
   * {@link Speaker#OPERATOR} for {@link ChannelSelection.Mode#CALLER_AND_OPERATOR}. A downmix of one channel
   * is that channel; a downmix of several is their mean, computed in double precision.
   *
   * @return an unmodifiable map in {@link Speaker} order
   * @throws NullPointerException if an argument is null
   * @throws TingxinException {@link ErrorCode#INVALID_CHANNEL} if a selected channel does not exist
   */
  public static Map<Speaker, Audio> select(DecodedWav wav, ChannelSelection selection) {
    Objects.requireNonNull(wav, "wav");
    Objects.requireNonNull(selection, "selection");
    check(selection, wav.channelCount());
    Map<Speaker, Audio> result = new EnumMap<>(Speaker.class);
    result.put(Speaker.CALLER, audio(wav, selection, Speaker.CALLER));
    if (selection.mode() == ChannelSelection.Mode.CALLER_AND_OPERATOR) {
      result.put(Speaker.OPERATOR, audio(wav, selection, Speaker.OPERATOR));
    }
    return Collections.unmodifiableMap(result);
  }

  /**
   * The audio of {@code speaker} in {@code wav} under {@code selection}.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code speaker} is {@link Speaker#OPERATOR} and the selection has no
   *     operator channel
   * @throws TingxinException {@link ErrorCode#INVALID_CHANNEL} if a selected channel does not exist
   */
  public static Audio audio(DecodedWav wav, ChannelSelection selection, Speaker speaker) {
    Objects.requireNonNull(wav, "wav");
    check(selection, wav.channelCount());
    int channel = channelOf(selection, speaker);
    if (channel >= 0) {
      return wav.channels().get(channel);
    }
    if (wav.channelCount() == 1) {
      return wav.channels().get(0);
    }
    int frames = wav.frames();
    int count = wav.channelCount();
    float[] mean = new float[frames];
    int step = Math.min(frames, 1 << 12);
    double[] sum = new double[step];
    float[] block = new float[step];
    for (int from = 0; from < frames; from += step) {
      int n = Math.min(step, frames - from);
      java.util.Arrays.fill(sum, 0, n, 0.0);
      for (Audio a : wav.channels()) {
        a.copyTo(from, block, 0, n);
        for (int i = 0; i < n; i++) {
          sum[i] += block[i];
        }
      }
      for (int i = 0; i < n; i++) {
        mean[from + i] = (float) (sum[i] / count);
      }
    }
    return Audio.of(mean, wav.sampleRate());
  }

  /**
   * Writes the samples of {@code speaker} for {@code frames} frames of a block (one array per channel, as
   * {@link WavReader#read(float[][], int, int)} fills them) into {@code out}: the selected channel, or the
   * mean of {@code channelCount} channels for a downmix. Allocates nothing.
   *
   * @param block the block, one array per channel
   * @param channelCount how many channels the recording has
   * @param offset the first frame in each channel array
   * @param frames how many frames
   * @param selection which channels
   * @param speaker whose samples
   * @param out where the mono samples go
   * @param outOffset where the first goes
   * @throws NullPointerException if an argument is null
   * @throws IndexOutOfBoundsException if a range is out of bounds
   * @throws IllegalArgumentException if {@code speaker} is {@link Speaker#OPERATOR} and the selection has no
   *     operator channel
   * @throws TingxinException {@link ErrorCode#INVALID_CHANNEL} if a selected channel does not exist
   */
  public static void mix(float[][] block, int channelCount, int offset, int frames, ChannelSelection selection,
      Speaker speaker, float[] out, int outOffset) {
    Objects.requireNonNull(block, "block");
    Objects.requireNonNull(out, "out");
    check(selection, channelCount);
    Objects.checkFromIndexSize(outOffset, frames, out.length);
    int channel = channelOf(selection, speaker);
    if (channel >= 0 || channelCount == 1) {
      float[] src = block[Math.max(channel, 0)];
      Objects.checkFromIndexSize(offset, frames, src.length);
      System.arraycopy(src, offset, out, outOffset, frames);
      return;
    }
    for (int c = 0; c < channelCount; c++) {
      Objects.checkFromIndexSize(offset, frames, block[c].length);
    }
    for (int i = 0; i < frames; i++) {
      double sum = 0;
      for (int c = 0; c < channelCount; c++) {
        sum += block[c][offset + i];
      }
      out[outOffset + i] = (float) (sum / channelCount);
    }
  }

  /**
   * Checks that every channel {@code selection} names exists among {@code channelCount}.
   *
   * @throws NullPointerException if {@code selection} is null
   * @throws TingxinException {@link ErrorCode#INVALID_CHANNEL} if one does not
   */
  public static void check(ChannelSelection selection, int channelCount) {
    Objects.requireNonNull(selection, "selection");
    switch (selection.mode()) {
      case DOWNMIX -> { }
      case CHANNEL -> checkChannel(selection.caller(), channelCount);
      case CALLER_AND_OPERATOR -> {
        if (channelCount < 2) {
          throw new TingxinException(ErrorCode.INVALID_CHANNEL, "Caller and operator channels were requested, but "
              + "the recording has " + channelCount + " channel; analyse it as one party (downmix or channel 0).");
        }
        checkChannel(selection.caller(), channelCount);
        checkChannel(selection.operator(), channelCount);
      }
    }
  }

  static void checkChannel(int index, int channelCount) {
    if (index < 0 || index >= channelCount) {
      throw new TingxinException(ErrorCode.INVALID_CHANNEL, "Channel " + index + " was requested, but the recording"
          + " has " + channelCount + (channelCount == 1 ? " channel (0)" : " channels (0 to " + (channelCount - 1)
          + ")") + "; choose one of those, or downmix.");
    }
  }

  /** The channel of {@code speaker}, or -1 for a downmix. */
  private static int channelOf(ChannelSelection selection, Speaker speaker) {
    Objects.requireNonNull(speaker, "speaker");
    if (speaker == Speaker.OPERATOR) {
      if (selection.mode() != ChannelSelection.Mode.CALLER_AND_OPERATOR) {
        throw new IllegalArgumentException(selection + " has no operator channel");
      }
      return selection.operator();
    }
    return selection.mode() == ChannelSelection.Mode.DOWNMIX ? -1 : selection.caller();
  }
}
