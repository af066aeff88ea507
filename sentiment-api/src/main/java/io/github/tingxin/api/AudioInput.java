package io.github.tingxin.api;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A recording to analyse and which of its channels to use.
 *
 * <p>Immutable and thread-safe (the with-methods return new instances). An input made from an
 * {@link InputStream} can be analysed once, since analysing it consumes the stream; Tingxin never closes
 * a stream it did not open.
 */
public final class AudioInput {
  private final Path file;
  private final InputStream stream;
  private final Audio audio;
  private final ChannelSelection channels;

  private AudioInput(Path file, InputStream stream, Audio audio, ChannelSelection channels) {
    this.file = file;
    this.stream = stream;
    this.audio = audio;
    this.channels = channels;
  }

  /**
   * A WAV file (see {@code WavReader} in sentiment-core for the encodings read).
   *
   * @throws NullPointerException if {@code file} is null
   */
  public static AudioInput file(Path file) {
    return new AudioInput(Objects.requireNonNull(file, "file"), null, null, ChannelSelection.DOWNMIX);
  }

  /**
   * WAV bytes from a stream, read to its end when analysed; the caller keeps ownership and closes it.
   *
   * @throws NullPointerException if {@code stream} is null
   */
  public static AudioInput stream(InputStream stream) {
    return new AudioInput(null, Objects.requireNonNull(stream, "stream"), null, ChannelSelection.DOWNMIX);
  }

  /**
   * Mono audio already decoded, analysed as the caller.
   *
   * @throws NullPointerException if {@code audio} is null
   */
  public static AudioInput of(Audio audio) {
    return new AudioInput(null, null, Objects.requireNonNull(audio, "audio"), ChannelSelection.DOWNMIX);
  }

  /**
   * The same input, analysing channel {@code index} (0-based) as the caller.
   *
   * @throws IllegalArgumentException if {@code index} is negative
   */
  public AudioInput channel(int index) {
    return channels(ChannelSelection.channel(index));
  }

  /** The same input, analysing the average of all channels as the caller (the default). */
  public AudioInput downmix() {
    return channels(ChannelSelection.DOWNMIX);
  }

  /**
   * The same input, analysing both parties, each on its own channel (0-based).
   *
   * @throws IllegalArgumentException if the channels are negative or equal
   */
  public AudioInput callerAndOperator(int callerChannel, int operatorChannel) {
    return channels(ChannelSelection.callerAndOperator(callerChannel, operatorChannel));
  }

  /**
   * The same input with {@code selection}.
   *
   * @throws NullPointerException if {@code selection} is null
   * @throws IllegalArgumentException if the input is decoded mono audio and the selection needs channels
   */
  public AudioInput channels(ChannelSelection selection) {
    Objects.requireNonNull(selection, "selection");
    if (audio != null && selection.mode() != ChannelSelection.Mode.DOWNMIX && selection.caller() != 0) {
      throw new IllegalArgumentException("decoded Audio is mono: only channel 0 or downmix apply");
    }
    if (audio != null && selection.mode() == ChannelSelection.Mode.CALLER_AND_OPERATOR) {
      throw new IllegalArgumentException("decoded Audio is mono: it has no operator channel");
    }
    return new AudioInput(file, stream, audio, selection);
  }

  /** The channels to analyse. */
  public ChannelSelection channels() {
    return channels;
  }

  /** The file, for inputs made with {@link #file(Path)}. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /** The stream, for inputs made with {@link #stream(InputStream)}. */
  public Optional<InputStream> stream() {
    return Optional.ofNullable(stream);
  }

  /** The audio, for inputs made with {@link #of(Audio)}. */
  public Optional<Audio> audio() {
    return Optional.ofNullable(audio);
  }

  /** A description for messages that names no content: the file name, "stream" or the audio's size. */
  public String describe() {
    if (file != null) {
      return file.toString();
    }
    return stream != null ? "<stream>" : audio.toString();
  }

  @Override
  public String toString() {
    return "AudioInput[" + describe() + ", " + channels + "]";
  }
}
