package io.github.tingxin.cli;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a WAV file into mono {@link Audio} for the {@code features} command. Stateless. */
final class AudioFiles {
  private AudioFiles() {}

  /**
   * Reads {@code file}, keeps {@code channel} (or the average of all, for -1), and checks its rate.
   *
   * @throws TingxinException for unreadable files (the WAV codes), {@link ErrorCode#INVALID_CHANNEL},
   *     {@link ErrorCode#UNSUPPORTED_SAMPLE_RATE} where the file's rate is not {@code rate}
   */
  static Audio readMono(Path file, int channel, int rate) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      WavStreamHeader h = WavStreamHeader.read(in);
      PcmDecoder decoder = new PcmDecoder(h.encoding(), h.channels(), channel);
      byte[] data = h.dataBytes() < 0 ? in.readAllBytes() : in.readNBytes((int) Math.min(h.dataBytes(),
          Integer.MAX_VALUE - 16));
      if (h.dataBytes() >= 0 && data.length < h.dataBytes()) {
        throw new TingxinException(ErrorCode.DATA_TRUNCATED, file + " ends " + (h.dataBytes() - data.length)
            + " bytes before its declared data size; the file is cut short");
      }
      int frames = data.length / decoder.frameBytes();
      float[] samples = new float[frames];
      decoder.decode(data, 0, frames, samples);
      if (h.sampleRate() != rate) {
        throw new TingxinException(ErrorCode.UNSUPPORTED_SAMPLE_RATE, file + " is at " + h.sampleRate()
            + " Hz; pass --rate " + h.sampleRate() + " or resample it to " + rate + " Hz first");
      }
      return Audio.of(samples, h.sampleRate());
    } catch (NoSuchFileException e) {
      throw new TingxinException(ErrorCode.IO_ERROR, "no such file: " + file, e);
    } catch (IOException e) {
      throw new TingxinException(ErrorCode.IO_ERROR, "cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
