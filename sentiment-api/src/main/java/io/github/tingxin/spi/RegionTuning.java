package io.github.tingxin.spi;

/**
 * How a detector's per-frame speech probabilities become speech regions, as Silero's
 * {@code get_speech_timestamps} does it: a region starts when a frame reaches {@code onset} and the next frames
 * stay at or above {@code offset} for {@code minSpeechSeconds}; it ends once the probability has stayed under
 * {@code offset} for {@code minSilenceSeconds} (the hangover); regions are widened by {@code padSeconds} on
 * both sides. Each {@link VoiceActivityDetector} says the tuning it was made for
 * ({@link VoiceActivityDetector#regionTuning()}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param onset probability at which speech may start, in (0, 1]
 * @param offset probability under which a frame counts as silence once speech started, in [0, onset]
 * @param minSpeechSeconds speech must last this long to count, in [0, 10] (0: one frame); speech that the end
 *     of the input cuts short counts however short it is (the input ended, not the speaker)
 * @param minSilenceSeconds silence must last this long to end a region (hangover), in [0, 10]
 * @param padSeconds added to each side of a region, in [0, minSilenceSeconds]
 */
public record RegionTuning(double onset, double offset, double minSpeechSeconds, double minSilenceSeconds,
    double padSeconds) {
  /** @throws IllegalArgumentException naming the invalid field */
  public RegionTuning {
    if (!(onset > 0 && onset <= 1)) {
      throw new IllegalArgumentException("onset must be in (0, 1], was " + onset);
    }
    if (!(offset >= 0 && offset <= onset)) {
      throw new IllegalArgumentException("offset must be in [0, onset], was " + offset);
    }
    if (!(minSpeechSeconds >= 0 && minSpeechSeconds <= 10)) {
      throw new IllegalArgumentException("minSpeechSeconds must be in [0, 10], was " + minSpeechSeconds);
    }
    if (!(minSilenceSeconds >= 0 && minSilenceSeconds <= 10)) {
      throw new IllegalArgumentException("minSilenceSeconds must be in [0, 10], was " + minSilenceSeconds);
    }
    if (!(padSeconds >= 0 && padSeconds <= minSilenceSeconds)) {
      throw new IllegalArgumentException("padSeconds must be in [0, minSilenceSeconds], was " + padSeconds);
    }
  }
}
