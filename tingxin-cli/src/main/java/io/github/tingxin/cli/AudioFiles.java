package io.github.tingxin.cli;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.ChannelSelection;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.Speaker;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.core.audio.ChannelSelector;
import io.github.tingxin.core.audio.DecodedWav;
import io.github.tingxin.core.audio.Resampler;
import io.github.tingxin.core.audio.WavReader;
import java.nio.file.Path;

/** Reads WAV files for the commands, through sentiment-core's reader and resampler. Stateless. */
final class AudioFiles {
  private AudioFiles() {}

  /**
   * Reads {@code file}, keeps {@code channel} (or the average of all, for -1), and resamples to
   * {@code rate}.
   *
   * @throws TingxinException for unreadable files (the WAV codes), {@link ErrorCode#INVALID_CHANNEL},
   *     {@link ErrorCode#UNSUPPORTED_SAMPLE_RATE} where the rates cannot be converted
   */
  static Audio readMono(Path file, int channel, int rate) {
    DecodedWav wav = WavReader.read(file);
    ChannelSelection selection = channel < 0 ? ChannelSelection.DOWNMIX : ChannelSelection.channel(channel);
    Audio audio = ChannelSelector.audio(wav, selection, Speaker.CALLER);
    return audio.sampleRate() == rate ? audio : Resampler.resample(audio, rate);
  }

  /** Seconds of audio in a WAV file, from its header; 0 where it cannot be read or does not say. */
  static double durationSeconds(Path file) {
    try (WavReader reader = WavReader.open(file)) {
      return Math.max(0, reader.format().durationSeconds());
    } catch (RuntimeException e) {
      return 0; // the analysis itself reports what is wrong with the file
    }
  }
}
