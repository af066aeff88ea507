package io.github.tingxin.bench;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.AudioInput;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.Segmentation;
import io.github.tingxin.core.audio.WavReader;
import io.github.tingxin.core.prosody.ProsodicFeatures;
import io.github.tingxin.core.segment.StreamingSegmenter;
import io.github.tingxin.onnx.OnnxBackend;
import io.github.tingxin.spi.FeatureBatch;
import io.github.tingxin.spi.FeatureExtractor;
import io.github.tingxin.spi.Features;
import io.github.tingxin.spi.InferenceSession;
import io.github.tingxin.spi.Providers;
import io.github.tingxin.spi.SessionOptions;
import io.github.tingxin.spi.VoiceActivityDetector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@code EmotionRecognizer.analyze} on a call of {@code seconds} (the EmoDB VAD test call of sentiment-core,
 * ten utterances with pauses and noise, repeated), against the model's own inference on exactly the
 * batches analyze gives it. {@code analyze} minus {@code inference} is what segmentation (resampling, VAD,
 * segmenting), features, batching, decoding and aggregation add; the target is under 10 % of
 * {@code analyze}. {@code segmentation} and {@code features} time those two parts alone; {@code prosody} times
 * what {@code EmotionRecognizer.Builder.prosody(true)} adds: the prosodic cues of each segment's span.
 *
 * <p>Run from the repository root (the parameters are paths relative to it), one inference thread:
 * <pre>
 * java -jar sentiment-bench/target/benchmarks.jar AnalyzeBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s \
 *     -jvmArgs "-Xms2g -Xmx2g -XX:+AlwaysPreTouch"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class AnalyzeBenchmark {

  /** Model package directory. */
  @Param({"sentiment-models/src/main/resources/io/github/tingxin/models/default", "fixtures/models/fbank-cnn-tiny",
      "fixtures/models/wav2vec2-tiny"})
  public String model;

  /** Length of the call, seconds. */
  @Param({"60", "600"})
  public int seconds;

  /** The call the audio is tiled from (16 kHz mono WAV). */
  @Param("sentiment-core/src/test/resources/io/github/tingxin/core/vad/vad-call-16k.wav")
  public String callFile;

  /** Intra-op threads of the inference session (both methods). */
  @Param("1")
  public int threads;

  public EmotionRecognizer recognizer;
  public Audio audio;
  public InferenceSession session;
  public List<FeatureBatch> batches;
  public FeatureExtractor extractor;
  public List<Audio> segmentAudio;
  public float[] samples;
  public List<int[]> spans;
  public VoiceActivityDetector vad;
  public StreamingSegmenter.Options segmentOptions;

  @Setup(Level.Trial)
  public void setUp() {
    ModelPackage pkg = ModelPackage.load(Path.of(model));
    ModelManifest manifest = pkg.manifest();
    Audio call = WavReader.read(Path.of(callFile)).channel(0);
    float[] x = new float[seconds * call.sampleRate()];
    for (int i = 0; i < x.length; i += call.length()) {
      call.copyTo(0, x, i, Math.min(call.length(), x.length - i));
    }
    audio = Audio.of(x, call.sampleRate());
    recognizer = EmotionRecognizer.builder().model(pkg).threads(threads).build();
    CallAnalysis analysis = recognizer.analyze(AudioInput.of(audio));

    // The batches analyze runs: its segments' audio as the model takes it (short turns padded by the
    // model's rule, the last piece of a split turn with its context), features by the same recipe, sorted
    // by length, in groups of the batch size (the models here have a lengths input).
    extractor = Providers.FEATURE_EXTRACTORS.named(manifest.features().type())
        .create(manifest.features(), manifest.sampleRate());
    List<Features> features = new ArrayList<>();
    segmentAudio = new ArrayList<>();
    samples = x;
    spans = new ArrayList<>();
    int minSamples = (int) Math.round(manifest.segments().minSeconds() * manifest.sampleRate());
    for (SegmentResult s : analysis.segments()) {
      int from = (int) Math.round(s.start() * manifest.sampleRate());
      int to = (int) Math.round(s.end() * manifest.sampleRate());
      spans.add(new int[] {from, to});
      Audio scored;
      if (s.shortInput() && manifest.segments().shortInput() == ModelManifest.ShortInput.PAD) {
        // a short turn, padded with silence to the model's minimum
        scored = Audio.of(java.util.Arrays.copyOf(audio.slice(from, to).toArray(), minSamples), audio.sampleRate());
      } else if (!s.shortInput() && to - from < minSamples) {
        scored = audio.slice(to - minSamples, to); // the last piece of a split turn, with its turn as context
      } else {
        scored = audio.slice(from, to);
      }
      segmentAudio.add(scored);
      features.add(extractor.extract(scored));
    }
    // analyze scores what has piled up every 64 segments (batch size 8), sorting each pile by length; a
    // batch grows from its shortest segment while its padding stays within 25% of its own frames (the
    // recognizer's SegmentScorer.PADDING_ALLOWANCE, for these models without fixed frames)
    int batchSize = recognizer.config().batchSize();
    int pile = Math.max(64, 4 * batchSize);
    batches = new ArrayList<>();
    for (int p = 0; p < features.size(); p += pile) {
      List<Features> sorted = new ArrayList<>(features.subList(p, Math.min(features.size(), p + pile)));
      sorted.sort(Comparator.comparingInt(Features::frames));
      for (int i = 0; i < sorted.size(); ) {
        int j = i + 1;
        long own = sorted.get(i).frames();
        while (j < sorted.size() && j - i < batchSize
            && (long) sorted.get(j).frames() * (j - i + 1) <= 1.25 * (own + sorted.get(j).frames())) {
          own += sorted.get(j++).frames();
        }
        batches.add(FeatureBatch.of(sorted.subList(i, j), manifest.input().layout(), manifest.input().fixedFrames()));
        i = j;
      }
    }
    vad = Providers.VOICE_ACTIVITY_DETECTORS.named(Segmentation.Vad.ENERGY).open(manifest.sampleRate());
    segmentOptions = new StreamingSegmenter.Options(Segmentation.Mode.TURNS, manifest.segments().minSeconds(),
        manifest.segments().maxSeconds(), Segmentation.DEFAULT.minPauseSeconds(), 0, 0);
    session = new OnnxBackend().open(pkg, new SessionOptions(recognizer.config().device(), threads, 0,
        SessionOptions.Optimization.ALL));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    recognizer.close();
    session.close();
    vad.close();
  }

  /** The whole analysis: resampling, VAD, segmenting, features, inference, decoding, summaries. */
  @Benchmark
  public CallAnalysis analyze() {
    return recognizer.analyze(AudioInput.of(audio));
  }

  /** Voice activity detection and segmenting alone (the default segmentation), as analyze runs them. */
  @Benchmark
  public long segmentation() {
    long[] count = new long[1];
    StreamingSegmenter s = new StreamingSegmenter(segmentOptions, vad, vad.regionTuning(),
        (from, to, samples) -> count[0]++);
    float[] block = new float[16_384];
    for (int from = 0; from < audio.length(); from += block.length) {
      int n = Math.min(block.length, audio.length() - from);
      audio.copyTo(from, block, 0, n);
      s.accept(block, 0, n);
    }
    s.finish();
    return count[0];
  }

  /** The features of analyze's segments alone. */
  @Benchmark
  public void features(Blackhole bh) {
    for (Audio a : segmentAudio) {
      bh.consume(extractor.extract(a));
    }
  }

  /** The model alone, on the batches analyze gives it. */
  @Benchmark
  public void inference(Blackhole bh) {
    for (FeatureBatch b : batches) {
      bh.consume(session.run(b));
    }
  }

  /** The prosodic cues of analyze's segments alone, each measured on its span as analyze does. */
  @Benchmark
  public void prosody(Blackhole bh) {
    for (int[] span : spans) {
      bh.consume(ProsodicFeatures.cues(samples, span[0], span[1] - span[0], audio.sampleRate()));
    }
  }
}
