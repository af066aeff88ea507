package io.github.tingxin.core.recognizer;

import io.github.tingxin.api.Device;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.EmotionRecognizer.RecognizerConfig;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ModelManifest.FeatureRecipe;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.Segmentation;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.core.model.ManifestJson;
import io.github.tingxin.core.segment.StreamingSegmenter;
import io.github.tingxin.spi.FeatureExtractor;
import io.github.tingxin.spi.FeatureExtractorProvider;
import io.github.tingxin.spi.InferenceBackend;
import io.github.tingxin.spi.InferenceBackends;
import io.github.tingxin.spi.InferenceSession;
import io.github.tingxin.spi.Providers;
import io.github.tingxin.spi.RecognizerFactory;
import io.github.tingxin.spi.SessionOptions;
import io.github.tingxin.spi.VoiceActivityDetector;

/**
 * Builds recognizers (registered as the {@link RecognizerFactory} service).
 *
 * <ul>
 *   <li>Backend: chosen by {@link InferenceBackends#select}: the {@link InferenceBackend} named by
 *   {@link RecognizerConfig#backend()}, else by the system property
 *   {@value InferenceBackend#OVERRIDE_PROPERTY}, else the highest-ranked one that supports the device;
 *   {@link ErrorCode#BACKEND_UNAVAILABLE} if none is on the class path or the named one is not;
 *   {@link ErrorCode#DEVICE_UNAVAILABLE} if it cannot run on the device (CUDA with
 *   {@link Device#fallbackToCpu()} is the backend's to fall back). One session per recognizer.</li>
 *   <li>Features: the {@link FeatureExtractorProvider} of the manifest's recipe type, through
 *   {@link Providers#FEATURE_EXTRACTORS}; none, or a recipe option it refuses, is
 *   {@link ErrorCode#MANIFEST_INVALID} naming the package's manifest and the field (a model error, not a
 *   usage error).</li>
 *   <li>Segments: the segmentation's limits, 0 meaning the model's own; a maximum (or sliding window) longer
 *   than the model's maximum, or a minimum over the maximum, is refused with
 *   {@link ErrorCode#INVALID_OPTION}. Windows and turns shorter than the model's minimum are scored by its
 *   short-input rule; only those under the floor ({@link SegmentScorer#floorSamples}) are dropped.</li>
 *   <li>Voice activity detection: the detector the segmentation names, through
 *   {@link Providers#VOICE_ACTIVITY_DETECTORS} ({@link ErrorCode#VAD_UNAVAILABLE} if none has that name), at
 *   the model's rate, with the detector's own {@link VoiceActivityDetector#regionTuning()}.</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class DefaultRecognizerFactory implements RecognizerFactory {
  /** For {@link java.util.ServiceLoader}. */
  public DefaultRecognizerFactory() {}

  @Override
  public EmotionRecognizer create(RecognizerConfig config) {
    ModelManifest manifest = config.model().manifest();
    FeatureExtractor extractor = extractor(manifest, config.model().location());
    StreamingSegmenter.Options segmentOptions = segmentOptions(config.segmentation(), manifest,
        SegmentScorer.floorSamples(manifest, extractor) / (double) manifest.sampleRate());
    Device device = config.device();
    InferenceBackend backend = InferenceBackends.select(device, config.backend());
    VoiceActivityDetector vad = Providers.VOICE_ACTIVITY_DETECTORS
        .named(config.segmentation().vad(), "the segmentation").open(manifest.sampleRate());
    try {
      InferenceSession session = backend.open(config.model(),
          new SessionOptions(device, config.intraOpThreads(), 0, SessionOptions.Optimization.ALL));
      try {
        SegmentScorer scorer = new SegmentScorer(manifest, extractor, session, config.batchSize());
        return new DefaultEmotionRecognizer(config, session, scorer, vad, vad.regionTuning(), segmentOptions);
      } catch (RuntimeException e) {
        session.close();
        throw e;
      }
    } catch (RuntimeException e) {
      vad.close();
      throw e;
    }
  }

  /**
   * Resolves the segmentation's limits against the model's.
   *
   * @param floorSeconds the shortest segment the model can score at all
   */
  static StreamingSegmenter.Options segmentOptions(Segmentation s, ModelManifest manifest, double floorSeconds) {
    ModelManifest.SegmentLimits limits = manifest.segments();
    double max = s.maxSeconds() > 0 ? s.maxSeconds() : limits.maxSeconds();
    if (max > limits.maxSeconds()) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "segmentation.maxSeconds " + max + " exceeds the "
          + "longest segment model " + manifest.name() + " takes (" + limits.maxSeconds() + " s); use at most that.");
    }
    double min = s.minSeconds() > 0 ? s.minSeconds() : limits.minSeconds();
    if (min > max) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "segmentation.minSeconds " + min + " exceeds the "
          + "maximum segment length " + max + " s.");
    }
    double window = s.windowSeconds() > 0 ? s.windowSeconds() : max;
    if (s.mode() == Segmentation.Mode.SLIDING && window > max) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "segmentation.windowSeconds " + window + " exceeds the "
          + "maximum segment length " + max + " s.");
    }
    double hop = s.hopSeconds() > 0 ? s.hopSeconds() : window;
    return new StreamingSegmenter.Options(s.mode(), min, max, s.minPauseSeconds(), Math.min(window, max),
        Math.min(hop, Math.min(window, max)), Math.min(floorSeconds, max));
  }

  /** The extractor of the manifest's recipe; a recipe it refuses is a manifest error naming the package. */
  private static FeatureExtractor extractor(ModelManifest manifest, String location) {
    String file = location + (location.endsWith("/") ? "" : "/") + ModelPackage.MANIFEST_FILE;
    FeatureRecipe recipe = manifest.features();
    FeatureExtractorProvider provider;
    try {
      provider = Providers.FEATURE_EXTRACTORS.named(recipe.type(), "the manifest");
    } catch (TingxinException missing) {
      throw new TingxinException(ErrorCode.MANIFEST_INVALID, file + ": features.type: " + missing.getMessage(),
          missing);
    }
    FeatureExtractor e;
    try {
      e = provider.create(recipe, manifest.sampleRate());
    } catch (TingxinException refused) {
      throw ManifestJson.featuresRefused(file, recipe, refused);
    }
    if (e.sampleRate() != manifest.sampleRate()) {
      throw new TingxinException(ErrorCode.UNSUPPORTED_OPTION, "The '" + recipe.type() + "' extractor works at "
          + e.sampleRate() + " Hz but the model " + manifest.name() + " is at " + manifest.sampleRate() + " Hz.");
    }
    return e;
  }
}
