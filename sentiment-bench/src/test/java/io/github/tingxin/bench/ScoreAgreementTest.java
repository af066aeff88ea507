package io.github.tingxin.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScoreAgreementTest {

  @Test
  void aucIsTheShareOfPositiveNegativePairsRankedRightWithTiesHalf() {
    int[] truth = {1, 0, 1, 0, -1};
    assertThat(ScoreAgreement.auc(new double[] {0.9, 0.1, 0.8, 0.2, 0.0}, truth)).isEqualTo("1.0000");
    assertThat(ScoreAgreement.auc(new double[] {0.1, 0.9, 0.2, 0.8, 1.0}, truth)).isEqualTo("0.0000");
    // pairs (pos, neg): (0.7,0.7) tie, (0.7,0.2) win, (0.1,0.7) loss, (0.1,0.2) loss -> 1.5 / 4
    assertThat(ScoreAgreement.auc(new double[] {0.7, 0.7, 0.1, 0.2, 0.5}, truth)).isEqualTo("0.3750");
    assertThat(ScoreAgreement.auc(new double[] {0.5, 0.5}, new int[] {1, 1})).isEqualTo("-");
  }

  @Test
  void emodbFileNamesGiveTheRecipesNegativeLabel() {
    assertThat(ScoreAgreement.emodbNegative("03a01Wa.wav")).isEqualTo(1); // anger
    assertThat(ScoreAgreement.emodbNegative("08a02Tb.wav")).isEqualTo(1); // sadness
    assertThat(ScoreAgreement.emodbNegative("16b10Lb.wav")).isEqualTo(1); // boredom
    assertThat(ScoreAgreement.emodbNegative("03a01Nc.wav")).isEqualTo(0); // neutral
    assertThat(ScoreAgreement.emodbNegative("03a01Fa.wav")).isEqualTo(0); // happiness
    assertThat(ScoreAgreement.emodbNegative("x.wav")).isEqualTo(-1);
  }

  @Test
  void casiaFoldersGiveTheRecipesNegativeLabel() {
    assertThat(ScoreAgreement.casiaNegative(java.nio.file.Path.of("casia", "wangzhe", "angry", "201.wav"))).isEqualTo(1);
    assertThat(ScoreAgreement.casiaNegative(java.nio.file.Path.of("casia", "wangzhe", "sad", "201.wav"))).isEqualTo(1);
    assertThat(ScoreAgreement.casiaNegative(java.nio.file.Path.of("casia", "wangzhe", "fear", "201.wav"))).isEqualTo(1);
    assertThat(ScoreAgreement.casiaNegative(java.nio.file.Path.of("casia", "wangzhe", "surprise", "201.wav"))).isEqualTo(0);
    assertThat(ScoreAgreement.casiaNegative(java.nio.file.Path.of("casia", "wangzhe", "neutral", "201.wav"))).isEqualTo(0);
    assertThat(ScoreAgreement.casiaNegative(java.nio.file.Path.of("casia", "sentences.txt"))).isEqualTo(-1);
    assertThat(ScoreAgreement.casiaNegative(java.nio.file.Path.of("201.wav"))).isEqualTo(-1);
  }
}
