package io.github.tingxin.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The cues' ranges are checked by the record, and a segment carries them only when given. */
class ProsodicCuesTest {
  private static final ProsodicCues CUES = new ProsodicCues(182.5, 6.2, -24.0, 21.5, 4.1, 1, 0.25, 0.03, 0.12, 0.6);

  @Test
  void eachFigureOutOfItsRangeIsRefusedByName() {
    record Case(String field, UnaryOperator<ProsodicCues> change) {}
    List<Case> cases = List.of(
        new Case("pitchHz", c -> with(c, 0, 0)), new Case("pitchHz", c -> with(c, 0, Double.NaN)),
        new Case("pitchHz", c -> with(c, 0, Double.POSITIVE_INFINITY)),
        new Case("pitchRangeSemitones", c -> with(c, 1, -0.1)),
        new Case("energyDbfs", c -> with(c, 2, Double.NEGATIVE_INFINITY)),
        new Case("energyRangeDb", c -> with(c, 3, Double.NaN)), new Case("syllableRate", c -> with(c, 4, -1)),
        new Case("pauseCount", c -> with(c, 5, -1)), new Case("pauseSeconds", c -> with(c, 6, -0.5)),
        new Case("jitter", c -> with(c, 7, -1e-9)), new Case("shimmer", c -> with(c, 8, Double.NaN)),
        new Case("voicedFraction", c -> with(c, 9, 0)), new Case("voicedFraction", c -> with(c, 9, 1.01)));
    for (Case c : cases) {
      assertThatThrownBy(() -> c.change().apply(CUES)).as(c.field()).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(c.field() + " must be");
    }
    assertThat(with(CUES, 9, 1).voicedFraction()).isEqualTo(1);
    assertThat(with(CUES, 2, 3.5).energyDbfs()).as("float audio may exceed full scale").isEqualTo(3.5);
  }

  @Test
  void theColumnsNameTheValuesInComponentOrder() {
    assertThat(ProsodicCues.COLUMNS).hasSize(ProsodicCues.class.getRecordComponents().length);
    assertThat(CUES.values()).containsExactly(182.5, 6.2, -24.0, 21.5, 4.1, 1, 0.25, 0.03, 0.12, 0.6);
    for (int i = 0; i < ProsodicCues.COLUMNS.size(); i++) {
      // pitch_hz ~ pitchHz, pause_s ~ pauseSeconds: each column starts as its component does
      String component = ProsodicCues.class.getRecordComponents()[i].getName().toLowerCase(java.util.Locale.ROOT);
      assertThat(component).as(ProsodicCues.COLUMNS.get(i)).startsWith(ProsodicCues.COLUMNS.get(i).split("_")[0]);
    }
  }

  @Test
  void aSegmentHasNoCuesUnlessGivenThem() {
    List<LabelScore> scores = List.of();
    SegmentResult plain = new SegmentResult(0, 1, 2, Speaker.CALLER, -1, scores, OptionalDouble.of(0.2), true);
    assertThat(plain.prosody()).isEmpty();
    assertThat(plain.shortInput()).isTrue();
    assertThat(new SegmentResult(0, 1, 2, Speaker.CALLER, -1, scores, OptionalDouble.empty()).prosody()).isEmpty();
    SegmentResult withCues = new SegmentResult(0, 1, 2, Speaker.CALLER, -1, scores, OptionalDouble.of(0.2), true,
        Optional.of(CUES));
    assertThat(withCues.prosody()).contains(CUES);
    assertThat(withCues).isNotEqualTo(plain);
    assertThatThrownBy(() -> new SegmentResult(0, 1, 2, Speaker.CALLER, -1, scores, OptionalDouble.empty(), false,
        null)).isInstanceOf(NullPointerException.class).hasMessage("prosody");
  }

  /** The cues with figure {@code i} (in component order) set to {@code v}. */
  private static ProsodicCues with(ProsodicCues c, int i, double v) {
    double[] f = {c.pitchHz(), c.pitchRangeSemitones(), c.energyDbfs(), c.energyRangeDb(), c.syllableRate(),
        c.pauseCount(), c.pauseSeconds(), c.jitter(), c.shimmer(), c.voicedFraction()};
    f[i] = v;
    return new ProsodicCues(f[0], f[1], f[2], f[3], f[4], (int) f[5], f[6], f[7], f[8], f[9]);
  }
}
