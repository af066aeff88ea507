package io.github.tingxin.api;

/**
 * Which channels of a recording to analyse, and as whom. Hotlines often record the caller on one
 * channel and the operator on the other.
 *
 * <p>Immutable, thread-safe and serialisable.
 *
 * @param mode how channels are chosen
 * @param caller the caller's channel (0-based) for {@link Mode#CHANNEL} and {@link Mode#CALLER_AND_OPERATOR}
 * @param operator the operator's channel (0-based) for {@link Mode#CALLER_AND_OPERATOR}, else -1
 */
public record ChannelSelection(Mode mode, int caller, int operator) implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  /** How channels are chosen. */
  public enum Mode {
    /** Average all channels into one, analysed as the caller. */
    DOWNMIX,
    /** Analyse one channel as the caller; ignore the others. */
    CHANNEL,
    /** Analyse one channel as the caller and another as the operator. */
    CALLER_AND_OPERATOR
  }

  /** Downmix every channel (the default; a mono file is its own downmix). */
  public static final ChannelSelection DOWNMIX = new ChannelSelection(Mode.DOWNMIX, -1, -1);

  /**
   * @throws NullPointerException if {@code mode} is null
   * @throws IllegalArgumentException if the channel numbers do not fit the mode
   */
  public ChannelSelection {
    java.util.Objects.requireNonNull(mode, "mode");
    switch (mode) {
      case DOWNMIX -> {
        if (caller != -1 || operator != -1) {
          throw new IllegalArgumentException("DOWNMIX takes no channel numbers");
        }
      }
      case CHANNEL -> {
        if (caller < 0 || operator != -1) {
          throw new IllegalArgumentException("CHANNEL needs caller >= 0 and no operator channel");
        }
      }
      case CALLER_AND_OPERATOR -> {
        if (caller < 0 || operator < 0 || caller == operator) {
          throw new IllegalArgumentException("CALLER_AND_OPERATOR needs two different channels >= 0");
        }
      }
    }
  }

  /** Channel {@code index} (0-based) as the caller. */
  public static ChannelSelection channel(int index) {
    return new ChannelSelection(Mode.CHANNEL, index, -1);
  }

  /** Both parties, each on its own channel (0-based). */
  public static ChannelSelection callerAndOperator(int caller, int operator) {
    return new ChannelSelection(Mode.CALLER_AND_OPERATOR, caller, operator);
  }

  /**
   * Parses the channel vocabulary every Tingxin command and the batch manifest's {@code channel} column
   * share: {@code downmix} (also {@code mix}, or empty) for {@link #DOWNMIX}, {@code N} for channel N (0 is
   * the first) as the caller, {@code C,O} for caller channel C and operator channel O. Case and blanks
   * around the parts do not matter. {@link #toString()} gives the canonical text back.
   *
   * @param text the text; null reads as empty
   * @return the selection
   * @throws TingxinException {@link ErrorCode#INVALID_OPTION} naming the text
   */
  public static ChannelSelection parse(String text) {
    String t = text == null ? "" : text.strip().toLowerCase(java.util.Locale.ROOT);
    if (t.isEmpty() || t.equals("downmix") || t.equals("mix")) {
      return DOWNMIX;
    }
    try {
      int comma = t.indexOf(',');
      if (comma < 0) {
        return channel(channelNumber(t));
      }
      return callerAndOperator(channelNumber(t.substring(0, comma)), channelNumber(t.substring(comma + 1)));
    } catch (IllegalArgumentException e) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "channel must be 'downmix', a channel number such as 0,"
          + " or caller,operator such as 0,1 (two different channels); got '" + text + "'", e);
    }
  }

  private static int channelNumber(String text) {
    String t = text.strip();
    // Digits only: no sign, and few enough that the number is a plausible channel (WAV allows 65535).
    if (!t.matches("[0-9]{1,5}")) {
      throw new IllegalArgumentException("not a channel number: " + t);
    }
    return Integer.parseInt(t);
  }

  /** The canonical text {@link #parse} reads: {@code downmix}, {@code N} or {@code C,O}. */
  @Override
  public String toString() {
    return switch (mode) {
      case DOWNMIX -> "downmix";
      case CHANNEL -> Integer.toString(caller);
      case CALLER_AND_OPERATOR -> caller + "," + operator;
    };
  }
}
