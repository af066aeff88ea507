package io.github.tingxin.api;

/** Whose speech a segment is. Immutable and thread-safe. */
public enum Speaker {
  /** The person who called (or the only party, in mono and downmixed audio). */
  CALLER,
  /** The hotline's operator, when {@link ChannelSelection.Mode#CALLER_AND_OPERATOR} is used. */
  OPERATOR
}
