package io.github.tingxin.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tingxin.api.Audio;
import io.github.tingxin.api.Device;
import io.github.tingxin.api.Label;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ModelManifest.Head;
import io.github.tingxin.api.ModelPackage;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bundled default model gives, through Tingxin's Java pipeline (WavReader, Resampler, the
 * {@code kaldi-fbank} extractor found by {@link FeatureExtractorProvider}, the ONNX Runtime backend found by
 * {@link InferenceBackend}), the probabilities that the training recipe computed in Python (torchaudio
 * resample and Kaldi fbank, PyTorch model) for the same clips: proof that inference preprocessing equals
 * training preprocessing. Fixtures: {@code equivalence/} (EmoDB clips, CC0, and
 * {@code python-predictions.json}, written by {@code recipes/train-default/export.py}).
 */
class BundledDefaultModelTest {
  private static final String FIXTURES = "io/github/tingxin/models/equivalence/";
  private static final double PROBABILITY_TOLERANCE = 1e-3;

  private static ModelPackage model;
  private static ModelManifest manifest;
  private static InferenceSession session;
  private static FeatureExtractor extractor;
  private static JsonNode expected;

  @BeforeAll
  static void open() throws IOException {
    model = ModelPackage.bundledDefault();
    manifest = model.manifest();
    extractor = Providers.FEATURE_EXTRACTORS.named(manifest.features().type())
        .create(manifest.features(), manifest.sampleRate());
    InferenceBackend backend = InferenceBackends.select(Device.CPU, Optional.empty());
    session = backend.open(model, SessionOptions.DEFAULT);
    try (InputStream in = resource("python-predictions.json").openStream()) {
      expected = new ObjectMapper().readTree(in);
    }
  }

  @AfterAll
  static void close() {
    if (session != null) {
      session.close();
    }
  }

  @Test
  void manifestDescribesTheTwoHeadsWithEnglishAndChineseNames() {
    assertThat(manifest.sampleRate()).isEqualTo(16000);
    assertThat(manifest.features().type()).isEqualTo("kaldi-fbank");
    assertThat(manifest.features().options()).containsEntry("num_mel_bins", 64).containsEntry("dither", 0.0);
    assertThat(manifest.input().lengths()).contains("lengths");
    assertThat(manifest.negativeHeadSpec()).map(Head::name).contains("negative");
    Head negative = head("negative");
    assertThat(negative.task()).isEqualTo(Task.BINARY);
    assertThat(negative.labels()).extracting(Label::id).containsExactly("not_negative", "negative");
    Head emotion = head("emotion");
    assertThat(emotion.task()).isEqualTo(Task.MULTI_CLASS);
    assertThat(emotion.labels()).extracting(Label::id)
        .containsExactly("anger", "boredom", "disgust", "fear", "happiness", "sadness", "neutral");
    assertThat(emotion.labels()).filteredOn(Label::negative).extracting(Label::id)
        .containsExactly("anger", "boredom", "disgust", "fear", "sadness");
    for (Head h : manifest.heads()) {
      for (Label l : h.labels()) {
        assertThat(l.english()).isNotBlank();
        assertThat(l.chinese()).isNotBlank().isNotEqualTo(l.english());
      }
    }
    assertThat(model.modelCard()).hasValueSatisfying(card -> assertThat(card)
        .contains("NOT been validated on Chinese hotline calls").contains("NOT a clinical instrument")
        .contains("leave-one-speaker-out"));
  }

  @Test
  void modelIsSmall() throws IOException {
    URL url = BundledDefaultModelTest.class.getClassLoader()
        .getResource(ModelPackage.BUNDLED_DEFAULT_RESOURCE + "/" + ModelPackage.MODEL_FILE);
    assertThat(url).isNotNull();
    try (InputStream in = url.openStream()) {
      assertThat(in.readAllBytes().length).isLessThanOrEqualTo(5 * 1024 * 1024);
    }
  }

  @Test
  void javaPipelineGivesPythonsProbabilitiesOneByOne() throws Exception {
    JsonNode clips = expected.get("clips");
    assertThat(clips.size()).isGreaterThanOrEqualTo(7);
    for (JsonNode clip : clips) {
      Features f = features(clip.get("file").asText());
      assertThat(f.frames()).as(clip.get("file").asText() + " frames").isEqualTo(clip.get("frames").asInt());
      Map<String, float[][]> out = session.run(FeatureBatch.of(List.of(f), manifest.input().layout(), 0));
      assertSameAsPython(clip, out, 0);
    }
  }

  @Test
  void javaPipelineGivesPythonsProbabilitiesInOnePaddedBatch() throws Exception {
    JsonNode clips = expected.get("clips");
    List<Features> all = new ArrayList<>();
    for (JsonNode clip : clips) {
      all.add(features(clip.get("file").asText()));
    }
    Map<String, float[][]> out = session.run(FeatureBatch.of(all, manifest.input().layout(), 0));
    for (int i = 0; i < clips.size(); i++) {
      assertSameAsPython(clips.get(i), out, i);
    }
  }

  private static void assertSameAsPython(JsonNode clip, Map<String, float[][]> out, int row) {
    String file = clip.get("file").asText();
    for (String headName : List.of("negative", "emotion")) {
      Head h = head(headName);
      double[] p = softmax(out.get(h.name())[row]);
      JsonNode want = clip.get(headName);
      assertThat(p).as(file + " " + headName).hasSize(want.size());
      for (int k = 0; k < p.length; k++) {
        assertThat(p[k]).as(file + " " + headName + "[" + k + "]").isCloseTo(want.get(k).asDouble(),
            within(PROBABILITY_TOLERANCE));
      }
      assertThat(argmax(p)).as(file + " " + headName + " top class").isEqualTo(argmax(want));
    }
  }

  private static Features features(String file) throws URISyntaxException {
    Path path = Path.of(resource(file).toURI());
    Audio audio = WavReader.read(path).channel(0);
    Audio resampled = Resampler.resample(audio, manifest.sampleRate());
    return extractor.extract(resampled);
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

  private static int argmax(double[] p) {
    int best = 0;
    for (int i = 1; i < p.length; i++) {
      if (p[i] > p[best]) {
        best = i;
      }
    }
    return best;
  }

  private static int argmax(JsonNode p) {
    int best = 0;
    for (int i = 1; i < p.size(); i++) {
      if (p.get(i).asDouble() > p.get(best).asDouble()) {
        best = i;
      }
    }
    return best;
  }

  private static URL resource(String name) {
    URL url = BundledDefaultModelTest.class.getClassLoader().getResource(FIXTURES + name);
    assertThat(url).as("test fixture " + FIXTURES + name + " (run recipes/train-default/export.py)").isNotNull();
    return url;
  }
}
