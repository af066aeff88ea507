/**
 * Cutting speech into the segments a model scores, as a stream:
 * {@link io.github.tingxin.core.segment.StreamingSegmenter} takes samples at the model's rate, runs a voice
 * activity detector and a {@link io.github.tingxin.core.vad.SpeechRegionTracker} over them, and emits turns
 * (split at pauses, long turns split at their quietest frame) or sliding windows, holding only the audio of
 * the open segment. Offline analysis runs the same segmenter over the whole recording, so live and offline
 * results agree.
 *
 * <p><b>Internal</b> to sentiment-core: not part of its API, may change in any release (README.md, "What
 * sentiment-core exports").
 */
package io.github.tingxin.core.segment;
