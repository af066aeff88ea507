/**
 * Interpretable prosodic and voice-quality features of speech (pitch, energy, jitter, shimmer, speaking rate,
 * pauses): {@link io.github.tingxin.core.prosody.ProsodicFeatures}, which also gives the recognizer each
 * segment's {@link io.github.tingxin.api.ProsodicCues}.
 *
 * <p><b>Internal</b> to sentiment-core: not part of its API, may change in any release (README.md, "What
 * sentiment-core exports").
 */
package io.github.tingxin.core.prosody;
