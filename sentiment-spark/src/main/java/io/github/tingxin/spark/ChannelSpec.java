package io.github.tingxin.spark;

import io.github.tingxin.api.AudioInput;
import io.github.tingxin.api.ChannelSelection;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.util.Locale;

/**
 * The channel text of a manifest row or of {@code --channel}: {@code downmix} (the average of all
 * channels, also written {@code mix} or left empty), {@code N} (channel N alone, 0 is the first, as the
 * caller) or {@code C,O} (channel C is the caller, channel O the operator).
 */
final class ChannelSpec {
  static final String DOWNMIX = "downmix";

  private ChannelSpec() {}

  /**
   * The canonical text of {@code text}: what the tables show.
   *
   * @throws TingxinException {@link ErrorCode#INVALID_OPTION} naming the text
   */
  static String canonical(String text) {
    return format(parse(text));
  }

  /** @throws TingxinException {@link ErrorCode#INVALID_OPTION} naming the text */
  static ChannelSelection parse(String text) {
    String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    if (t.isEmpty() || t.equals(DOWNMIX) || t.equals("mix")) {
      return ChannelSelection.DOWNMIX;
    }
    try {
      int comma = t.indexOf(',');
      if (comma < 0) {
        return ChannelSelection.channel(channelNumber(t));
      }
      int caller = channelNumber(t.substring(0, comma).strip());
      int operator = channelNumber(t.substring(comma + 1).strip());
      return ChannelSelection.callerAndOperator(caller, operator);
    } catch (IllegalArgumentException e) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "channel must be 'downmix', a channel number such as 0,"
          + " or caller,operator such as 0,1; got '" + text + "'", e);
    }
  }

  static String format(ChannelSelection selection) {
    return switch (selection.mode()) {
      case DOWNMIX -> DOWNMIX;
      case CHANNEL -> Integer.toString(selection.caller());
      case CALLER_AND_OPERATOR -> selection.caller() + "," + selection.operator();
    };
  }

  static AudioInput apply(AudioInput input, String canonical) {
    return input.channels(parse(canonical));
  }

  private static int channelNumber(String s) {
    int n = Integer.parseInt(s);
    if (n < 0) {
      throw new IllegalArgumentException("negative channel " + n);
    }
    return n;
  }
}
