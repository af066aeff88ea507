/**
 * Tingxin's implementation: audio input and resampling ({@code io.github.tingxin.core.audio}), feature
 * extraction, voice activity detection, segmentation, aggregation and the recognizer. Applications use the
 * public API in {@code io.github.tingxin.api}; the types here are for the SDK's own modules, tools and
 * advanced callers.
 */
package io.github.tingxin.core;
