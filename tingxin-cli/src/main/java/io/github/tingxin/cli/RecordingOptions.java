package io.github.tingxin.cli;

import io.github.tingxin.api.RecognizerSettings;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;

/**
 * The options of the commands that analyse whole recordings, {@code analyze} and {@code batch}: every shared
 * mixin, so that both take the same options with the same words ({@code stream} takes all but
 * {@code --max-audio-seconds}).
 */
final class RecordingOptions {
  @Mixin ModelOption model;
  @Mixin ChannelOption channels;
  @Mixin RecognizerOptions.Device device;
  @Mixin RecognizerOptions.Inference inference;
  @Mixin RecognizerOptions.Segments segments;
  @Mixin RecognizerOptions.LengthLimit lengthLimit;
  @Mixin RecognizerOptions.Prosody prosody;

  /** {@code base} with these options, and {@code more}, applied. */
  RecognizerSettings settings(RecognizerSettings base, RecognizerOptions.Source... more) {
    List<RecognizerOptions.Source> sources = new ArrayList<>(List.of(device, inference, segments, lengthLimit,
        prosody));
    sources.addAll(List.of(more));
    return RecognizerOptions.settings(base, sources.toArray(RecognizerOptions.Source[]::new));
  }
}
