/**
 * Interpretable prosodic and voice-quality features of speech (pitch, energy, jitter, shimmer, speaking rate,
 * pauses): {@link io.github.tingxin.core.prosody.ProsodicFeatures}.
 */
package io.github.tingxin.core.prosody;
