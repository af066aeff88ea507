package io.github.tingxin.api;

import java.util.List;

/**
 * How one segment of speech sounded, in measurements a clinician can read next to the model's scores: pitch
 * level and range, loudness and its range, speaking rate, pauses, and two voice-quality measures. They are
 * computed on the segment's own audio (its span, no padding or context), only where
 * {@link RecognizerSettings#prosody()} asks for them; see {@link SegmentResult#prosody()}.
 *
 * <p>These describe a voice; they diagnose nothing. They are most telling compared within one call or one
 * caller (pitch dropping, speech slowing, pauses lengthening); telephone channels, microphones and gain move
 * the absolute values, {@code energyDbfs} most of all.
 *
 * <p>Method (Tingxin's {@code sentiment-core}, the same computation as the Python reference
 * {@code prosody.py} it is tested against): the segment at 16 kHz in 40 ms frames every 10 ms. Pitch by the
 * normalised autocorrelation of each frame (Boersma 1993), 60 to 500 Hz, with Praat's octave cost; a frame is
 * voiced where that autocorrelation peak exceeds 0.45 within 35 dB of the segment's loudest frame; the pitch
 * track is smoothed by a 5-frame median over voiced frames.
 *
 * <p>Immutable and thread-safe.
 *
 * @param pitchHz pitch level: the mean of the voiced frames' pitch on a semitone scale, given in hertz (the
 *     geometric mean of F0); roughly 85-180 Hz for adult male and 165-255 Hz for adult female voices
 * @param pitchRangeSemitones pitch range: from the 5th to the 95th percentile of the voiced frames' pitch, in
 *     semitones (12 to the octave); a flat, monotonous voice has a small range
 * @param energyDbfs loudness: the mean level of the frames within 35 dB of the segment's loudest, in dB of
 *     mean square relative to full scale (a full-scale sine is -3 dBFS); depends on the recording's gain
 * @param energyRangeDb loudness range: from the 5th to the 95th percentile of those frames' levels, in dB
 * @param syllableRate speaking rate: syllable-like nuclei (loudness peaks in voiced frames, at least 2 dB above
 *     the dip before them and 100 ms apart, after de Jong and Wempe 2009) per second of the segment, pauses
 *     included
 * @param pauseCount pauses inside the segment: runs of at least 100 ms more than 30 dB below its loudest
 *     frame, between its first and last speech; the silences between segments are not counted
 * @param pauseSeconds the pauses' total length, in seconds
 * @param jitter relative pitch-period perturbation: the mean absolute difference of the periods of consecutive
 *     voiced frames over the mean period (0.01 is 1 %); a frame-level approximation of Praat's local jitter,
 *     so larger than Praat's cycle-to-cycle values and not comparable with its clinical thresholds
 * @param shimmer relative amplitude perturbation: the mean absolute difference of the peak amplitudes of
 *     consecutive voiced frames over their mean (0.1 is 10 %); a frame-level approximation of Praat's local
 *     shimmer, with the same caveat as {@code jitter}
 * @param voicedFraction the share of the segment's frames that are voiced, above 0 and at most 1; the
 *     pitch, jitter and shimmer figures rest on these frames
 */
public record ProsodicCues(double pitchHz, double pitchRangeSemitones, double energyDbfs, double energyRangeDb,
    double syllableRate, int pauseCount, double pauseSeconds, double jitter, double shimmer,
    double voicedFraction) {

  /**
   * The names tables give the cues, in component order: the columns of the {@code tingxin} command line's CSV
   * and of the Spark job's segments table ({@code pitch_hz}, {@code pitch_range_st}, {@code energy_dbfs},
   * {@code energy_range_db}, {@code syllable_rate}, {@code pause_count}, {@code pause_s}, {@code jitter},
   * {@code shimmer}, {@code voiced_fraction}).
   */
  public static final List<String> COLUMNS = List.of("pitch_hz", "pitch_range_st", "energy_dbfs", "energy_range_db",
      "syllable_rate", "pause_count", "pause_s", "jitter", "shimmer", "voiced_fraction");

  /**
   * @throws IllegalArgumentException naming the figure that is not finite or out of its range: pitch above 0;
   *     ranges, rate, pauses, jitter and shimmer at least 0; voiced fraction above 0 and at most 1
   */
  public ProsodicCues {
    positive("pitchHz", pitchHz);
    atLeastZero("pitchRangeSemitones", pitchRangeSemitones);
    if (!Double.isFinite(energyDbfs)) {
      throw new IllegalArgumentException("energyDbfs must be finite, was " + energyDbfs);
    }
    atLeastZero("energyRangeDb", energyRangeDb);
    atLeastZero("syllableRate", syllableRate);
    if (pauseCount < 0) {
      throw new IllegalArgumentException("pauseCount must be at least 0, was " + pauseCount);
    }
    atLeastZero("pauseSeconds", pauseSeconds);
    atLeastZero("jitter", jitter);
    atLeastZero("shimmer", shimmer);
    positive("voicedFraction", voicedFraction);
    if (voicedFraction > 1) {
      throw new IllegalArgumentException("voicedFraction must be at most 1, was " + voicedFraction);
    }
  }

  /** The figures in component order, as {@link #COLUMNS} names them: {@code pauseCount} an Integer, the rest Doubles. */
  public List<Number> values() {
    return List.of(pitchHz, pitchRangeSemitones, energyDbfs, energyRangeDb, syllableRate, pauseCount, pauseSeconds,
        jitter, shimmer, voicedFraction);
  }

  private static void positive(String name, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be finite and above 0, was " + value);
    }
  }

  private static void atLeastZero(String name, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be finite and at least 0, was " + value);
    }
  }
}
