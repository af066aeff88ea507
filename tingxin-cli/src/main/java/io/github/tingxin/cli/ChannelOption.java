package io.github.tingxin.cli;

import io.github.tingxin.api.ChannelSelection;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import picocli.CommandLine.Option;

/**
 * {@code --channel downmix|N|C,O}: which channels are analysed, and as whom; the one channel vocabulary of
 * every command and of the batch manifest's {@code channel} column ({@link ChannelSelection#parse}). The
 * first release's {@code analyze --caller-and-operator C,O} still works, as a hidden spelling of
 * {@code --channel C,O}.
 */
final class ChannelOption {
  @Option(names = "--channel", paramLabel = "downmix|N|C,O",
      description = {"Channels to analyse: downmix (default: the average of all channels, as the caller), N (channel"
          + " N alone as the caller; 0 is the first), or C,O (channel C as the caller and O as the operator, both"
          + " summarised; analyze and batch)."})
  String channel;

  @Option(names = "--caller-and-operator", paramLabel = "C,O", hidden = true,
      description = "The first release's spelling of --channel C,O.")
  String callerAndOperator;

  /**
   * The selection given (downmix by default).
   *
   * @throws TingxinException {@link ErrorCode#INVALID_OPTION} naming the option
   */
  ChannelSelection selection() {
    if (channel != null && callerAndOperator != null) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "--channel and --caller-and-operator exclude each other");
    }
    if (callerAndOperator != null) {
      ChannelSelection s = parse("--caller-and-operator", callerAndOperator);
      if (s.mode() != ChannelSelection.Mode.CALLER_AND_OPERATOR) {
        throw new TingxinException(ErrorCode.INVALID_OPTION, "--caller-and-operator takes two different channel"
            + " numbers, e.g. 0,1; got '" + callerAndOperator + "'");
      }
      return s;
    }
    return parse("--channel", channel);
  }

  /**
   * The selection, for a command that analyses one party only.
   *
   * @throws TingxinException {@link ErrorCode#UNSUPPORTED_OPTION} for {@code C,O}
   */
  ChannelSelection oneParty(String command) {
    ChannelSelection s = selection();
    if (s.mode() == ChannelSelection.Mode.CALLER_AND_OPERATOR) {
      throw new TingxinException(ErrorCode.UNSUPPORTED_OPTION, "--channel " + s + ": 'tingxin " + command
          + "' analyses one party; give one channel N, or downmix ('tingxin analyze' takes C,O)");
    }
    return s;
  }

  /** The text of the selection given, canonical ({@code downmix} by default). */
  String text() {
    return selection().toString();
  }

  private static ChannelSelection parse(String option, String text) {
    try {
      return ChannelSelection.parse(text);
    } catch (TingxinException e) {
      throw new TingxinException(e.code(), option + ": " + e.getMessage(), e);
    }
  }
}
