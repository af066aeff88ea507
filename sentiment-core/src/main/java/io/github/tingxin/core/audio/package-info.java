/**
 * Audio input: reading WAV files and streams ({@link io.github.tingxin.core.audio.WavReader}, whole or in
 * blocks: a header parser and the one sample decoder, {@link io.github.tingxin.core.audio.PcmDecoder}, which
 * also decodes headerless raw input; both are a {@link io.github.tingxin.core.audio.SampleReader}), choosing
 * channels ({@link io.github.tingxin.core.audio.ChannelSelector}), resampling
 * ({@link io.github.tingxin.core.audio.Resampler}, equal to {@code torchaudio.functional.resample}) and
 * G.711 companding ({@link io.github.tingxin.core.audio.G711}). The tests' WAV writer ({@code WavWriter}) is a
 * test fixture in the {@code tests} jar, not part of the product.
 *
 * <p>Samples are floats with full scale 1.0; rates are in hertz. Every public type states its thread safety.
 * Nothing here logs or puts samples in exception messages.
 *
 * <p><b>Exported</b>: part of sentiment-core's API, kept compatible like {@code io.github.tingxin.api}
 * (README.md, "What sentiment-core exports").
 */
package io.github.tingxin.core.audio;
