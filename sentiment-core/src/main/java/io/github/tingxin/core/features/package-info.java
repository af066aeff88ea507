/**
 * Feature extractors equal to the Python references: Kaldi filterbank and MFCC (as
 * {@code torchaudio.compliance.kaldi}), Whisper's log-mel spectrogram, waveform normalisation for
 * wav2vec 2.0 / HuBERT / emotion2vec, LFR stacking and CMVN, and an online (streaming) form of the
 * frame-based extractors.
 *
 * <p>One class per concept, with nested immutable options records that keep Kaldi's names and
 * torchaudio's defaults ({@link io.github.tingxin.core.features.FrameOptions},
 * {@link io.github.tingxin.core.features.MelOptions}, {@link io.github.tingxin.core.features.FbankOptions},
 * {@link io.github.tingxin.core.features.MfccOptions}, {@link io.github.tingxin.core.features.WhisperOptions}).
 * Manifest recipes ({@code docs/model-package.md}) become extractors through
 * {@link io.github.tingxin.core.features.FeatureRecipes#create}.
 *
 * <p>Frames are computed in blocks, one frame per lane of a lane-parallel FFT ({@code LaneFft} in double
 * precision for the Kaldi features, {@code FloatLaneFft} in float for Whisper's, as their references are),
 * so that HotSpot's C2 compiles the per-sample loops to SIMD instructions; frame sizes with a prime factor
 * above 5 go to JTransforms.
 *
 * <p>Every extractor is immutable and thread-safe; work buffers are lent to one call at a time from a pool the
 * extractor owns (under 1 MB each: a block of 256 Whisper or 128 Kaldi frames), so a call allocates only
 * its output, and nothing at all with
 * {@code extract(samples, offset, length, out, outOffset)}, which reads the caller's array in place and
 * writes into another.
 *
 * <p><b>Exported</b>: part of sentiment-core's API, kept compatible like {@code io.github.tingxin.api}
 * (README.md, "What sentiment-core exports").
 */
package io.github.tingxin.core.features;
