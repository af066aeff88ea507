/**
 * The recognizer: {@link io.github.tingxin.core.recognizer.DefaultRecognizerFactory} builds the
 * {@link io.github.tingxin.api.EmotionRecognizer} behind {@code EmotionRecognizer.builder()}. It joins
 * audio input, the streaming segmenter, the model's feature extractor, the inference backend and the score
 * decoder, and adds up a call's segments into a {@link io.github.tingxin.api.CallAnalysis}. Offline analysis
 * and live streams run the same per-speaker pipeline, so they give the same segments and figures.
 *
 * <p><b>Internal</b> to sentiment-core: not part of its API, may change in any release (README.md, "What
 * sentiment-core exports").
 */
package io.github.tingxin.core.recognizer;
