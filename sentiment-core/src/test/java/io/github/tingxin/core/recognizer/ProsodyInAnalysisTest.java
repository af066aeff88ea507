package io.github.tingxin.core.recognizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.AudioInput;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.EmotionStream;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.Segmentation;
import io.github.tingxin.core.prosody.ProsodicFeatures;
import io.github.tingxin.core.vad.VadCallFixture;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Prosodic cues in the recognizer's output: opt-in, measured on each segment's own span (never its padding or
 * context), the same offline and streamed, and no change to the scores. On the VAD test call (ten EmoDB
 * utterances in noise) with {@link FakeBackend}.
 */
class ProsodyInAnalysisTest {
  private static float[] call;

  @BeforeAll
  static void load() throws Exception {
    call = TestModels.quantized(VadCallFixture.load().samples);
  }

  private static EmotionRecognizer.Builder builder() {
    return EmotionRecognizer.builder().model(TestModels.model(true)).backend("fake");
  }

  @Test
  void cuesAreOptInAndLeaveTheScoresAsTheyAre() {
    CallAnalysis plain;
    try (EmotionRecognizer r = builder().build()) {
      plain = r.analyze(AudioInput.of(Audio.of(call, 16000)));
    }
    CallAnalysis withCues;
    try (EmotionRecognizer r = builder().prosody(true).build()) {
      withCues = r.analyze(AudioInput.of(Audio.of(call, 16000)));
    }
    assertThat(plain.segments()).isNotEmpty().allSatisfy(s -> assertThat(s.prosody()).isEmpty());
    assertThat(withCues.segments()).hasSameSizeAs(plain.segments());
    for (int i = 0; i < plain.segments().size(); i++) {
      SegmentResult p = plain.segments().get(i);
      SegmentResult c = withCues.segments().get(i);
      assertThat(c.prosody()).as("segment " + i + " of voiced speech").isPresent();
      assertThat(new SegmentResult(c.index(), c.start(), c.end(), c.speaker(), c.channel(), c.scores(),
          c.negativeProbability(), c.shortInput())).isEqualTo(p);
    }
    assertThat(withCues.caller()).usingRecursiveComparison().ignoringFields("peaks").isEqualTo(plain.caller());
    assertThat(withCues.caller().peaks()).extracting(SegmentResult::index)
        .isEqualTo(plain.caller().peaks().stream().map(SegmentResult::index).toList());
  }

  @Test
  void eachPieceOfASplitTurnIsMeasuredOnItsOwnSpan() {
    // Turns of about 1.6 s cut at 0.7 s leave last pieces shorter than the model's 0.5 s minimum, which are
    // scored with the turn's audio before them as context; their cues must come from their span alone.
    try (EmotionRecognizer r = builder().prosody(true)
        .segmentation(Segmentation.DEFAULT.withLimits(0, 0.7)).build()) {
      CallAnalysis a = r.analyze(AudioInput.of(Audio.of(call, 16000)));
      boolean splitTail = false;
      for (int i = 0; i < a.segments().size(); i++) {
        SegmentResult s = a.segments().get(i);
        int from = (int) Math.round(s.start() * 16000);
        int to = (int) Math.round(s.end() * 16000);
        assertThat(s.prosody()).as("segment " + i).isEqualTo(ProsodicFeatures.cues(call, from, to - from, 16000));
        splitTail |= i > 0 && s.duration() < 0.5 && s.start() == a.segments().get(i - 1).end();
      }
      assertThat(splitTail).as("a short last piece of a split turn").isTrue();
    }
  }

  @Test
  void streamedCallsCarryTheOfflineCues() {
    try (EmotionRecognizer r = builder().prosody(true).build()) {
      CallAnalysis offline = r.analyze(AudioInput.of(Audio.of(call, 16000)));
      CallAnalysis streamed;
      try (EmotionStream s = r.openStream(16000, seg -> {})) {
        streamed = TestModels.feedInRandomChunks(s, call, new Random(9), 5000);
      }
      assertThat(offline.segments()).anySatisfy(seg -> assertThat(seg.prosody()).isPresent());
      assertThat(streamed.segments()).extracting(SegmentResult::prosody)
          .isEqualTo(offline.segments().stream().map(SegmentResult::prosody).toList());
    }
  }

  @Test
  void scoredClipsCarryCuesWhereVoiced() {
    Random random = new Random(2);
    float[] noise = new float[16000];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (float) (0.05 * random.nextGaussian());
    }
    Audio speech = Audio.of(call, 16000).slice(0, 16000 * 4);
    try (EmotionRecognizer r = builder().prosody(true).build()) {
      List<SegmentResult> scored = r.score(List.of(speech, Audio.of(noise, 16000)));
      assertThat(scored.get(0).prosody()).isEqualTo(ProsodicFeatures.cues(call, 0, 16000 * 4, 16000)).isPresent();
      assertThat(scored.get(1).prosody()).as("white noise has no voice to measure").isEmpty();
    }
  }
}
