package io.github.tingxin.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole call analysed: the timeline of scored segments and a summary per speaker.
 *
 * <p>Every stretch of speech the voice activity detector finds (all the audio, without one) is scored, however
 * short (down to {@link ModelManifest.SegmentLimits#FLOOR_SECONDS}). Audio with no speech gives an analysis
 * with no segments, 0 s of speech and empty figures (see {@link CallSummary}), not an error.
 *
 * <p>Immutable and thread-safe.
 *
 * @param model name and version of the model that scored it
 * @param durationSeconds length of the recording
 * @param segments every scored segment, in time order (callers and operators interleaved)
 * @param caller the caller's summary
 * @param operator the operator's summary, when both channels were analysed
 */
public record CallAnalysis(String model, double durationSeconds, List<SegmentResult> segments, CallSummary caller,
    Optional<CallSummary> operator) {

  /** @throws NullPointerException if a reference is null */
  public CallAnalysis {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(operator, "operator");
    segments = List.copyOf(segments);
  }

  /** The caller's segments, in time order. */
  public List<SegmentResult> callerSegments() {
    return segments.stream().filter(s -> s.speaker() == Speaker.CALLER).toList();
  }
}
