package io.github.tingxin.core.recognizer;

import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.EmotionStream;
import io.github.tingxin.api.Label;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ModelManifest.Activation;
import io.github.tingxin.api.ModelManifest.FeatureRecipe;
import io.github.tingxin.api.ModelManifest.Head;
import io.github.tingxin.api.ModelManifest.InputSpec;
import io.github.tingxin.api.ModelManifest.Layout;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.Task;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/** A test model package for {@link FakeBackend} and a WAV writer for test calls. */
final class TestModels {
  private TestModels() {}

  static final List<Head> HEADS = List.of(
      new Head("negative", Task.BINARY, "negative_logits", Activation.SOFTMAX,
          List.of(new Label("not_negative", "not negative", "非负面", false), new Label("negative", "negative", "负面", true)),
          List.of(0.5, 0.5), null),
      new Head("emotion", Task.MULTI_CLASS, "emotion_logits", Activation.SOFTMAX,
          List.of(new Label("anger", "anger", "愤怒", true), new Label("sadness", "sadness", "悲伤", true),
              new Label("neutral", "neutral", "中性", false)), null, null));

  /** A 16 kHz package of 0.5..4 s segments, with or without a lengths input. */
  static ModelPackage model(boolean lengths) {
    ModelManifest manifest = new ModelManifest(1, "fake-model", "1.0.0", "CC0-1.0", "for tests", 16000,
        new FeatureRecipe("test-level", Map.of()),
        new InputSpec("features", Layout.BATCH_TIME_FEATURE, lengths ? Optional.of("lengths") : Optional.empty(), 0),
        HEADS, Optional.of("negative"), new ModelManifest.SegmentLimits(0.5, 4.0),
        new ModelManifest.Provenance("nothing", "", "", ""));
    return ModelPackage.ofBytes(manifest, new byte[] {0}, "test:fake-model", null);
  }

  /** 16-bit PCM WAV bytes of the channels (equal lengths). */
  static byte[] wav(int rate, float[]... channels) {
    int frames = channels[0].length;
    int bytes = frames * channels.length * 2;
    ByteBuffer b = ByteBuffer.allocate(44 + bytes).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(36 + bytes).put("WAVE".getBytes());
    b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) channels.length).putInt(rate)
        .putInt(rate * channels.length * 2).putShort((short) (channels.length * 2)).putShort((short) 16);
    b.put("data".getBytes()).putInt(bytes);
    for (int i = 0; i < frames; i++) {
      for (float[] c : channels) {
        b.putShort((short) Math.max(-32768, Math.min(32767, Math.round(c[i] * 32768))));
      }
    }
    return b.array();
  }

  /** The EmoDB-based VAD test call (32.85 s, ten utterances in noise) as a 16-bit WAV holds it. */
  static float[] call() throws Exception {
    return quantized(io.github.tingxin.core.vad.VadCallFixture.load().samples);
  }

  /** The samples a 16-bit WAV holds for {@code x}. */
  static float[] quantized(float[] x) {
    float[] q = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      q[i] = Math.max(-32768, Math.min(32767, Math.round(x[i] * 32768))) / 32768f;
    }
    return q;
  }

  /** Feeds {@code x} to the stream in chunks of 1 to {@code maxChunk} samples, drawn from {@code chunks}; finishes it. */
  static CallAnalysis feedInRandomChunks(EmotionStream stream, float[] x, Random chunks, int maxChunk) {
    for (int i = 0; i < x.length; ) {
      int n = Math.min(x.length - i, 1 + chunks.nextInt(maxChunk));
      stream.accept(x, i, n);
      i += n;
    }
    return stream.finish();
  }

  static ByteArrayOutputStream sink() {
    return new ByteArrayOutputStream();
  }
}
