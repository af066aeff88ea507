/**
 * Tingxin's implementation: audio input and resampling ({@code io.github.tingxin.core.audio}), feature
 * extraction, voice activity detection, segmentation, aggregation and the recognizer. Applications use the
 * public API in {@code io.github.tingxin.api}. Of this module, the packages {@code audio}, {@code features}
 * and {@code model} are exported, a toolkit callers may use directly; {@code recognizer}, {@code segment},
 * {@code vad} and {@code prosody} are internal (README.md, "What sentiment-core exports"). The jar's module
 * name is {@code io.github.tingxin.core}.
 */
package io.github.tingxin.core;
