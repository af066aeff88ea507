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
 * {@link io.github.tingxin.core.features.FeatureRecipes#create}. Every FFT is JTransforms'.
 *
 * <p>Every extractor is immutable and thread-safe; per-call scratch buffers come from a thread-local
 * workspace, so a call allocates only its output. {@link io.github.tingxin.core.features.OnlineFeature}
 * is the exception: it is a per-stream object for one thread.
 */
package io.github.tingxin.core.features;
