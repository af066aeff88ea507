package io.github.tingxin.core.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.tingxin.api.Alert;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.EmotionStream;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.Label;
import io.github.tingxin.api.LabelScore;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ModelManifest.Activation;
import io.github.tingxin.api.ModelManifest.Head;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.StreamListener;
import io.github.tingxin.api.Task;
import io.github.tingxin.api.TingxinException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Fuzzes the streaming API ({@link EmotionRecognizer#openStream}) with random sample rates, chunk sizes and
 * ranges, NaN and infinite chunks, and {@code accept}, {@code finish} and {@code close} in random order.
 * The oracle is {@link EmotionStream}'s contract: a finite chunk is taken; a chunk with a non-finite sample
 * is refused whole with {@link ErrorCode#NON_FINITE_SAMPLE}; after {@code finish()} or {@code close()} every
 * call is {@link ErrorCode#STREAM_FINISHED} (close stays idempotent); an out-of-range chunk is an
 * {@link IndexOutOfBoundsException}; a rate the resampler cannot take is refused at open with
 * {@link ErrorCode#UNSUPPORTED_SAMPLE_RATE}; and {@code finish()} returns exactly the segments the listener
 * received, in order, each within the audio fed, with finite scores, and the call's exact duration.
 *
 * <p>Inference runs on sentiment-core's test backend ({@code FakeBackend}, whose scores follow the features),
 * with the real resampler, voice activity detection, segmenter and the Kaldi fbank recipe of the fixture
 * model {@code fbank-cnn-tiny}, so a run takes milliseconds. The audio fed is at most 40 s per input, so no
 * input can hang.
 */
class StreamFuzzTest {
  static final int MAX_SECONDS = 40;
  static final int MAX_SAMPLES = 2_000_000;

  private static EmotionRecognizer recognizer;

  /** One recognizer for all inputs, as an application shares one; never closed (it holds no native memory). */
  static synchronized EmotionRecognizer recognizer() {
    if (recognizer == null) {
      recognizer = EmotionRecognizer.builder().model(model()).backend("fake").batchSize(4).build();
    }
    return recognizer;
  }

  /** A package for the test backend's two outputs, with the feature recipe of fixtures/models/fbank-cnn-tiny. */
  static ModelPackage model() {
    ModelManifest fixture = ModelPackage.load(BadInputTableTest.FIXTURE).manifest();
    List<Head> heads = List.of(
        new Head("negative", Task.BINARY, "negative_logits", Activation.SOFTMAX,
            List.of(new Label("not_negative", "not negative", "非负面", false),
                new Label("negative", "negative", "负面", true)), List.of(0.5, 0.5), null),
        new Head("emotion", Task.MULTI_CLASS, "emotion_logits", Activation.SOFTMAX,
            List.of(new Label("anger", "anger", "愤怒", true), new Label("sadness", "sadness", "悲伤", true),
                new Label("neutral", "neutral", "中性", false)), null, null));
    ModelManifest manifest = new ModelManifest(1, "stream-fuzz", "1.0.0", "CC0-1.0", "for the stream fuzz test",
        16000, fixture.features(), fixture.input(), heads, Optional.of("negative"),
        new ModelManifest.SegmentLimits(0.25, 3.0), new ModelManifest.Provenance("nothing", "", "", ""));
    return ModelPackage.ofBytes(manifest, new byte[] {0}, "test:stream-fuzz", null);
  }

  @FuzzTest(maxDuration = "60s")
  void stream(FuzzedDataProvider data) {
    int rate = switch (data.consumeInt(0, 4)) {
      case 0 -> 8000;
      case 1 -> 16000;
      case 2 -> 44100;
      case 3 -> 11025;
      default -> data.consumeInt(-5, 400_000);
    };
    Recorder listener = new Recorder();
    Outcome<EmotionStream> opened = Outcome.of(() -> recognizer().openStream(rate, listener),
        EnumSet.of(ErrorCode.UNSUPPORTED_SAMPLE_RATE));
    if (opened.failed()) {
      assertThat(rate < 1 || rate > 384_000).as("rate %s refused", rate).isTrue();
      return;
    }
    assertThat(rate).isBetween(1, 384_000);
    EmotionStream stream = opened.value();
    assertThat(stream.sampleRate()).isEqualTo(rate);
    SplittableRandom random = new SplittableRandom(data.consumeLong());
    long maxSamples = Math.min(MAX_SAMPLES, (long) MAX_SECONDS * rate);
    long fed = 0;
    boolean done = false;
    CallAnalysis result = null;
    int steps = data.consumeInt(1, 40);
    for (int step = 0; step < steps && data.remainingBytes() > 0; step++) {
      switch (data.consumeInt(0, 9)) {
        case 0 -> { // finish
          Outcome<CallAnalysis> o = Outcome.of(stream::finish, EnumSet.of(ErrorCode.STREAM_FINISHED));
          assertThat(o.failed()).as("finish after done=%s: %s", done, o).isEqualTo(done);
          if (!done) {
            result = o.value();
            done = true;
            check(result, listener, fed, rate);
          }
        }
        case 1 -> { // close, which is idempotent
          stream.close();
          done = true;
        }
        case 2 -> { // a range outside the array
          float[] chunk = new float[data.consumeInt(0, 64)];
          int offset = data.consumeInt(-3, chunk.length + 3);
          int length = data.consumeInt(-3, chunk.length + 3);
          boolean outside = offset < 0 || length < 0 || offset + length > chunk.length;
          try {
            stream.accept(chunk, offset, length);
            assertThat(outside).as("range %s+%s of %s accepted", offset, length, chunk.length).isFalse();
            assertThat(done).as("accept after finish or close").isFalse();
            fed += length;
          } catch (IndexOutOfBoundsException e) {
            assertThat(outside).as("in-range %s+%s of %s refused", offset, length, chunk.length).isTrue();
          } catch (TingxinException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.STREAM_FINISHED);
            assertThat(done).isTrue();
          }
        }
        default -> { // a chunk of audio, sometimes with a NaN or an infinity
          int length = (int) Math.max(0, Math.min(maxSamples - fed, data.consumeInt(0, 3) == 0
              ? data.consumeInt(0, 16) : data.consumeInt(0, rate * 2)));
          int offset = data.consumeInt(0, 7);
          float[] chunk = new float[offset + length + data.consumeInt(0, 7)];
          fill(chunk, offset, length, data.consumeInt(0, 3), data.consumeFloat(), random);
          boolean poisoned = length > 0 && data.consumeInt(0, 7) == 0;
          if (poisoned) {
            float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
            chunk[offset + data.consumeInt(0, length - 1)] = bad[data.consumeInt(0, 2)];
          }
          Outcome<Boolean> o = Outcome.of(() -> {
            stream.accept(chunk, offset, length);
            return true;
          }, EnumSet.of(ErrorCode.STREAM_FINISHED, ErrorCode.NON_FINITE_SAMPLE));
          if (done) {
            assertThat(o.code()).as("accept after finish or close").isEqualTo(ErrorCode.STREAM_FINISHED);
          } else if (poisoned) {
            assertThat(o.code()).as("a chunk with a non-finite sample").isEqualTo(ErrorCode.NON_FINITE_SAMPLE);
          } else {
            assertThat(o.failed()).as("a finite chunk: %s", o).isFalse();
            fed += length;
          }
        }
      }
      checkDelivered(listener, fed, rate);
    }
    if (!done) {
      result = stream.finish();
      check(result, listener, fed, rate);
    }
    stream.close();
    Outcome<CallAnalysis> again = Outcome.of(stream::finish, EnumSet.of(ErrorCode.STREAM_FINISHED));
    assertThat(again.code()).isEqualTo(ErrorCode.STREAM_FINISHED);
  }

  /** Silence, noise, a tone or a chirp at a fuzzed level: speech-like bursts for the detector to find. */
  static void fill(float[] chunk, int offset, int length, int kind, float level, SplittableRandom random) {
    float amplitude = Float.isFinite(level) ? Math.min(1f, Math.abs(level)) : 0.5f;
    double phase = random.nextDouble();
    for (int i = 0; i < length; i++) {
      double x = switch (kind) {
        case 0 -> 0;
        case 1 -> random.nextDouble(-1, 1);
        case 2 -> Math.sin(2 * Math.PI * (0.01 * i + phase));
        default -> Math.sin(2 * Math.PI * (0.002 * i + 1e-6 * i * i + phase)) * (0.7 + 0.3 * random.nextDouble());
      };
      chunk[offset + i] = (float) (amplitude * x);
    }
  }

  /**
   * What the listener received so far lies within the audio fed. Segment times count samples at the model's
   * rate, and resampling rounds the length up (as torchaudio does), so an end may pass the audio fed by less
   * than one model-rate sample (found by fuzzing, input crash-88d1b0bc...: a segment ending at 1.155625 s
   * after 1.155583 s of audio had been fed at a rate other than 16 kHz).
   */
  static void checkDelivered(Recorder listener, long fed, int rate) {
    double seconds = fed / (double) rate;
    for (SegmentResult s : listener.segments) {
      assertThat(s.start()).isGreaterThanOrEqualTo(0);
      assertThat(s.end()).isGreaterThan(s.start()).isLessThanOrEqualTo(seconds + 1.0 / 16000 + 1e-9);
    }
  }

  /** finish() gives the segments delivered, in order, with finite scores, and the call's exact duration. */
  static void check(CallAnalysis result, Recorder listener, long fed, int rate) {
    assertThat(result.durationSeconds()).isEqualTo(fed / (double) rate);
    assertThat(result.segments()).isEqualTo(listener.segments);
    double previousStart = -1;
    for (SegmentResult s : result.segments()) {
      assertThat(s.start()).isGreaterThanOrEqualTo(previousStart);
      previousStart = s.start();
      assertThat(s.end() - s.start()).isLessThanOrEqualTo(3.0 + 1e-6);
      for (LabelScore score : s.scores()) {
        assertThat(Double.isFinite(score.score())).isTrue();
        assertThat(score.score()).isBetween(0.0, 1.0);
      }
      if (s.negativeProbability().isPresent()) {
        assertThat(s.negativeProbability().getAsDouble()).isBetween(0.0, 1.0);
      }
    }
    checkDelivered(listener, fed, rate);
  }

  /** Records what a stream delivers; never throws. */
  static final class Recorder implements StreamListener {
    final List<SegmentResult> segments = new ArrayList<>();
    final List<Alert> alerts = new ArrayList<>();

    @Override
    public void onSegment(SegmentResult segment) {
      if (segment == null) {
        fail("a null segment");
      }
      segments.add(segment);
    }

    @Override
    public void onAlert(Alert alert) {
      alerts.add(alert);
    }
  }
}
