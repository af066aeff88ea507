package io.github.tingxin.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tingxin.api.Audio;
import io.github.tingxin.api.Device;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.Label;
import io.github.tingxin.api.LabelScore;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ModelManifest.Head;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.Task;
import io.github.tingxin.core.audio.Resampler;
import io.github.tingxin.core.audio.WavReader;
import io.github.tingxin.spi.FeatureBatch;
import io.github.tingxin.spi.FeatureExtractor;
import io.github.tingxin.spi.Features;
import io.github.tingxin.spi.InferenceBackend;
import io.github.tingxin.spi.InferenceBackends;
import io.github.tingxin.spi.InferenceSession;
import io.github.tingxin.spi.Providers;
import io.github.tingxin.spi.SessionOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bundled default model gives, through Tingxin's Java pipeline, the probabilities that its training recipe
 * computed in Python for the same clips: proof that inference preprocessing equals training preprocessing.
 * Clips: EmoDB (CC0) committed in {@code equivalence/}, and CASIA (research only, never committed) read from
 * {@code ../shared/data/casia} (system property {@code tingxin.casia}); expected values in
 * {@code equivalence/python-predictions.json}, written by {@code recipes/train-whisper/package.py} (soundfile,
 * torchaudio resampling, whisper-logmel, the PyTorch model). Java: WavReader, then the recognizer's
 * {@code score} (Resampler, the {@code whisper-logmel} extractor, ONNX Runtime, the manifest's activations),
 * and, separately, one padded batch of every clip through the backend.
 */
class BundledDefaultModelTest {
  private static final String FIXTURES = "io/github/tingxin/models/equivalence/";
  private static final double PROBABILITY_TOLERANCE = 1e-3;
  /**
   * The int8 twin against its Python emulation (recipes/train-whisper/int8.py): the negative probability per
   * clip, and the mean over clips of each head's probabilities. Not 1e-3: PyTorch and ONNX Runtime compute the
   * float parts (convolutions, layer norms, attention) a few ulps apart, an activation that close to an int8
   * rounding step lands on the neighbouring one, and the layers after it carry that on. The emotion head's
   * softmax is sharper than the calibrated negative head, so one clip's emotion probabilities can move more
   * (up to 0.17 on these clips); its mean cannot.
   */
  private static final double INT8_NEGATIVE_TOLERANCE = 0.05;
  private static final double INT8_MEAN_TOLERANCE = 0.02;
  private static final Path CASIA = Path.of(System.getProperty("tingxin.casia", "../../shared/data/casia"));

  private static ModelPackage model;
  private static ModelManifest manifest;
  private static JsonNode expected;

  @BeforeAll
  static void open() throws IOException {
    model = ModelPackage.bundledDefault();
    manifest = model.manifest();
    try (InputStream in = resource("python-predictions.json").openStream()) {
      expected = new ObjectMapper().readTree(in);
    }
  }

  @Test
  void manifestDescribesTheTwoHeadsWithEnglishAndChineseNames() {
    assertThat(manifest.sampleRate()).isEqualTo(16000);
    assertThat(manifest.features().type()).isEqualTo("whisper-logmel");
    assertThat(manifest.features().options()).containsEntry("n_mels", 80).containsEntry("pad_to_seconds", 0);
    assertThat(manifest.input().lengths()).contains("lengths");
    assertThat(manifest.input().fixedFrames()).isZero();
    assertThat(manifest.segments().shortInput()).isEqualTo(ModelManifest.ShortInput.AS_IS);
    assertThat(manifest.negativeHeadSpec()).map(Head::name).contains("negative");
    Head negative = head("negative");
    assertThat(negative.task()).isEqualTo(Task.BINARY);
    assertThat(negative.labels()).extracting(Label::id).containsExactly("not_negative", "negative");
    Head emotion = head("emotion");
    assertThat(emotion.task()).isEqualTo(Task.MULTI_CLASS);
    assertThat(emotion.labels()).extracting(Label::id).containsExactly(
        "anger", "boredom", "disgust", "fear", "happiness", "sadness", "surprise", "neutral");
    assertThat(emotion.labels()).filteredOn(Label::negative).extracting(Label::id)
        .containsExactly("anger", "boredom", "disgust", "fear", "sadness");
    for (Head h : manifest.heads()) {
      for (Label l : h.labels()) {
        assertThat(l.english()).isNotBlank();
        assertThat(l.chinese()).isNotBlank().isNotEqualTo(l.english());
      }
    }
    assertThat(model.modelCard()).hasValueSatisfying(card -> assertThat(card)
        .contains("NOT been validated on real hotline calls").contains("NOT a clinical instrument")
        .contains("leave-one-corpus-out").contains("non-commercial"));
  }

  @Test
  void modelFitsTheSizeBudget() throws IOException {
    URL url = BundledDefaultModelTest.class.getClassLoader()
        .getResource(ModelPackage.BUNDLED_DEFAULT_RESOURCE + "/" + ModelPackage.MODEL_FILE);
    assertThat(url).isNotNull();
    try (InputStream in = url.openStream()) {
      assertThat(in.readAllBytes().length).isLessThanOrEqualTo(40 * 1024 * 1024);
    }
  }

  @Test
  void recognizerScoresGivePythonsProbabilities() throws Exception {
    JsonNode clips = expected.get("clips");
    assertThat(clips.size()).isGreaterThanOrEqualTo(12);
    List<Audio> audio = new ArrayList<>();
    for (JsonNode clip : clips) {
      audio.add(read(clip));
    }
    try (EmotionRecognizer recognizer = EmotionRecognizer.builder().model(model).threads(1).build()) {
      List<SegmentResult> results = recognizer.score(audio);
      for (int i = 0; i < clips.size(); i++) {
        JsonNode clip = clips.get(i);
        String name = name(clip);
        for (String headName : List.of("negative", "emotion")) {
          double[] p = results.get(i).scores().stream().filter(s -> s.head().equals(headName))
              .mapToDouble(LabelScore::score).toArray();
          assertSameAsPython(name + " " + headName, p, clip.get(headName));
        }
        double pythonNegative = clip.get("negative").get(1).asDouble();
        assertThat(results.get(i).negativeProbability()).hasValueCloseTo(pythonNegative, within(PROBABILITY_TOLERANCE));
      }
    }
  }

  @Test
  void onePaddedBatchOfMixedLengthsGivesEachClipsAnswer() throws Exception {
    FeatureExtractor extractor = extractor();
    JsonNode clips = expected.get("clips");
    List<Features> all = new ArrayList<>();
    for (JsonNode clip : clips) {
      Features f = extractor.extract(Resampler.resample(read(clip), manifest.sampleRate()));
      assertThat(f.frames()).as(name(clip) + " frames").isEqualTo(clip.get("frames").asInt());
      all.add(f);
    }
    assertThat(all.stream().mapToInt(Features::frames).distinct().count()).as("clips of different lengths").isGreaterThan(3);
    InferenceBackend backend = InferenceBackends.select(Device.CPU, Optional.empty());
    try (InferenceSession session = backend.open(model, SessionOptions.DEFAULT)) {
      Map<String, float[][]> out = session.run(FeatureBatch.of(all, manifest.input().layout(), 0));
      for (int i = 0; i < clips.size(); i++) {
        for (String headName : List.of("negative", "emotion")) {
          assertSameAsPython(name(clips.get(i)) + " " + headName + " (batched)",
              softmax(out.get(headName)[i]), clips.get(i).get(headName));
        }
      }
    }
  }

  @Test
  void theInt8TwinIsTheDefaultWithInt8MatMulsAndGivesItsEmulationsProbabilities() throws Exception {
    ModelPackage twin = ModelPackage.bundledDefaultInt8();
    assertThat(ModelPackage.named(ModelPackage.DEFAULT_INT8_NAME).manifest()).isEqualTo(twin.manifest());
    assertThat(ModelPackage.named(ModelPackage.DEFAULT_NAME).manifest()).isEqualTo(manifest);
    ModelManifest m = twin.manifest();
    assertThat(m.name()).isEqualTo(manifest.name() + "-int8");
    assertThat(m.version()).isEqualTo(manifest.version());
    assertThat(m.description()).contains("int8").contains(manifest.name());
    assertThat(m.features()).isEqualTo(manifest.features());
    assertThat(m.input()).isEqualTo(manifest.input());
    assertThat(m.heads()).isEqualTo(manifest.heads());
    assertThat(m.segments()).isEqualTo(manifest.segments());
    assertThat(m.sampleRate()).isEqualTo(manifest.sampleRate());
    assertThat(twin.modelBytes().length).as("int8 graph smaller than the float one")
        .isLessThan(model.modelBytes().length * 2 / 3);
    assertThat(twin.modelCard()).hasValueSatisfying(card -> assertThat(card).contains("int8 twin")
        .contains("NOT a clinical instrument"));

    JsonNode clips = expected.get("clips");
    List<Audio> audio = new ArrayList<>();
    for (JsonNode clip : clips) {
      audio.add(read(clip));
    }
    try (EmotionRecognizer recognizer = EmotionRecognizer.builder().model(twin).threads(1).batchSize(1).build()) {
      List<SegmentResult> results = recognizer.score(audio);
      for (String headName : List.of("negative", "emotion")) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < clips.size(); i++) {
          double[] p = results.get(i).scores().stream().filter(s -> s.head().equals(headName))
              .mapToDouble(LabelScore::score).toArray();
          JsonNode want = clips.get(i).get(headName + "Int8");
          assertThat(want).as("python-predictions.json has the int8 emulation (package.py)").isNotNull();
          assertThat(p).hasSize(want.size());
          for (int k = 0; k < p.length; k++) {
            double d = Math.abs(p[k] - want.get(k).asDouble());
            if (headName.equals("negative")) {
              assertThat(d).as(name(clips.get(i)) + " negative[" + k + "] int8").isLessThanOrEqualTo(INT8_NEGATIVE_TOLERANCE);
            }
            sum += d;
            n++;
          }
        }
        assertThat(sum / n).as("mean " + headName + " int8 difference from the emulation")
            .isLessThanOrEqualTo(INT8_MEAN_TOLERANCE);
      }
    }
  }

  private static void assertSameAsPython(String what, double[] p, JsonNode want) {
    assertThat(p).as(what).hasSize(want.size());
    for (int k = 0; k < p.length; k++) {
      assertThat(p[k]).as(what + "[" + k + "]").isCloseTo(want.get(k).asDouble(), within(PROBABILITY_TOLERANCE));
    }
  }

  private static Audio read(JsonNode clip) throws URISyntaxException {
    Path path;
    if (clip.has("file")) {
      path = Path.of(resource(clip.get("file").asText()).toURI());
    } else {
      path = CASIA.resolve(clip.get("casia").asText());
      assertThat(path).as("CASIA clip (the corpus beside the checkout, ../shared/data/casia)").isRegularFile();
    }
    return WavReader.read(path).channel(0);
  }

  private static String name(JsonNode clip) {
    return clip.has("file") ? clip.get("file").asText() : "casia/" + clip.get("casia").asText();
  }

  private static FeatureExtractor extractor() {
    return Providers.FEATURE_EXTRACTORS.named(manifest.features().type())
        .create(manifest.features(), manifest.sampleRate());
  }

  private static Head head(String name) {
    return manifest.heads().stream().filter(h -> h.name().equals(name)).findFirst().orElseThrow();
  }

  private static double[] softmax(float[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : logits) {
      max = Math.max(max, v);
    }
    double sum = 0;
    double[] p = new double[logits.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.exp(logits[i] - max);
      sum += p[i];
    }
    for (int i = 0; i < p.length; i++) {
      p[i] /= sum;
    }
    return p;
  }

  private static URL resource(String name) {
    URL url = BundledDefaultModelTest.class.getClassLoader().getResource(FIXTURES + name);
    assertThat(url).as("test fixture " + FIXTURES + name + " (run recipes/train-whisper/package.py)").isNotNull();
    return url;
  }
}
