package io.github.tingxin.api;

/**
 * Which channels of a recording to analyse, and as whom. Hotlines often record the caller on one
 * channel and the operator on the other.
 *
 * <p>Immutable and thread-safe.
 *
 * @param mode how channels are chosen
 * @param caller the caller's channel (0-based) for {@link Mode#CHANNEL} and {@link Mode#CALLER_AND_OPERATOR}
 * @param operator the operator's channel (0-based) for {@link Mode#CALLER_AND_OPERATOR}, else -1
 */
public record ChannelSelection(Mode mode, int caller, int operator) {

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
}
