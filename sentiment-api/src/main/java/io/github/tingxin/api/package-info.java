/**
 * The public API of Tingxin: {@link io.github.tingxin.api.EmotionRecognizer} and the immutable values it
 * takes ({@link io.github.tingxin.api.AudioInput}, {@link io.github.tingxin.api.Audio},
 * {@link io.github.tingxin.api.ModelPackage}) and returns ({@link io.github.tingxin.api.CallAnalysis},
 * {@link io.github.tingxin.api.SegmentResult}).
 *
 * <p>Every failure that a caller can act on is a {@link io.github.tingxin.api.TingxinException} with an
 * {@link io.github.tingxin.api.ErrorCode}. Times are in seconds from the start of the audio; sample rates in
 * hertz; samples are floats with full scale 1.0. Every type states its thread safety in its javadoc.
 */
package io.github.tingxin.api;
