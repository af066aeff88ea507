package io.github.tingxin.core.audio;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.AudioFormat;
import io.github.tingxin.api.ChannelSelection;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.Speaker;
import io.github.tingxin.api.TingxinException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A decoded WAV recording: its format and one mono {@link Audio} per channel.
 *
 * <p>Immutable and thread-safe.
 *
 * @param format the format as read; {@link AudioFormat#frames()} is the number of frames decoded
 * @param channels the samples of each channel, in file order, all of {@code format.frames()} samples at
 *     {@code format.sampleRate()}
 * @param truncated whether the data ended before its declared size ({@link WavReader.Truncation#LENIENT}
 *     reading only)
 * @param missingBytes how many declared data bytes were missing (0 unless {@code truncated})
 */
public record DecodedWav(AudioFormat format, List<Audio> channels, boolean truncated, long missingBytes) {

  /**
   * @throws NullPointerException if {@code format} or {@code channels} is null
   * @throws IllegalArgumentException if the channels do not match the format, or {@code missingBytes}
   *     does not match {@code truncated}
   */
  public DecodedWav {
    Objects.requireNonNull(format, "format");
    channels = List.copyOf(channels);
    if (channels.size() != format.channels()) {
      throw new IllegalArgumentException("format has " + format.channels() + " channels, got " + channels.size());
    }
    for (Audio a : channels) {
      if (a.sampleRate() != format.sampleRate() || a.length() != format.frames()) {
        throw new IllegalArgumentException("channel " + a + " does not match " + format);
      }
    }
    if (missingBytes < 0 || (missingBytes > 0) != truncated) {
      throw new IllegalArgumentException("missingBytes " + missingBytes + " with truncated " + truncated);
    }
  }

  /** The sample rate in hertz. */
  public int sampleRate() {
    return format.sampleRate();
  }

  /** The number of frames (samples per channel). */
  public int frames() {
    return (int) format.frames();
  }

  /** The number of channels. */
  public int channelCount() {
    return channels.size();
  }

  /**
   * Channel {@code index} (0-based).
   *
   * @throws TingxinException {@link ErrorCode#INVALID_CHANNEL} if there is no such channel
   */
  public Audio channel(int index) {
    ChannelSelector.checkChannel(index, channels.size());
    return channels.get(index);
  }

  /**
   * The audio of each speaker under {@code selection}; the same as
   * {@link ChannelSelector#select(DecodedWav, ChannelSelection)}.
   *
   * @throws TingxinException {@link ErrorCode#INVALID_CHANNEL} if a selected channel does not exist
   */
  public Map<Speaker, Audio> select(ChannelSelection selection) {
    return ChannelSelector.select(this, selection);
  }

  @Override
  public String toString() {
    // No samples: hotline audio must not reach logs.
    return "DecodedWav[" + format + ", truncated=" + truncated + ", missingBytes=" + missingBytes + "]";
  }
}
