package io.github.tingxin.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.AudioInput;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ModelPackage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What executors receive: a package broadcast as bytes (Java serialisation, as Spark's broadcast uses) is the
 * package the driver had, a line's recalibration included, and scores a call as it does on the driver.
 */
class ShippedModelTest {
  @Test
  void aRecalibratedPackageReachesExecutorsWithItsCalibrationAndScoresAsOnTheDriver() throws Exception {
    ModelPackage plain = ModelPackage.bundledDefault();
    ModelPackage recalibrated = plain.withManifest(plain.manifest()
        .withHeadCalibration("negative", Optional.of(new ModelManifest.Calibration(1.7, -0.4))));

    ModelPackage received = roundTrip(ShippedModel.of(recalibrated)).toPackage();

    assertThat(received.manifest()).isEqualTo(recalibrated.manifest());
    assertThat(received.manifest().heads().get(0).calibration())
        .contains(new ModelManifest.Calibration(1.7, -0.4));
    assertThat(received.modelBytes()).isEqualTo(plain.modelBytes());
    assertThat(received.modelCard()).isEqualTo(plain.modelCard());
    Audio voice = Archive.call("03", 0, 2);
    CallAnalysis onDriver;
    CallAnalysis onExecutor;
    CallAnalysis uncalibrated;
    try (EmotionRecognizer r = EmotionRecognizer.builder().model(recalibrated).threads(1).batchSize(1).build()) {
      onDriver = r.analyze(AudioInput.of(voice));
    }
    try (EmotionRecognizer r = EmotionRecognizer.builder().model(received).threads(1).batchSize(1).build()) {
      onExecutor = r.analyze(AudioInput.of(voice));
    }
    try (EmotionRecognizer r = EmotionRecognizer.builder().model(plain).threads(1).batchSize(1).build()) {
      uncalibrated = r.analyze(AudioInput.of(voice));
    }
    assertThat(onExecutor).isEqualTo(onDriver);
    assertThat(onDriver.segments()).isNotEmpty();
    assertThat(onDriver.segments().get(0).negativeProbability())
        .as("the calibration is applied, not dropped on the way")
        .isNotEqualTo(uncalibrated.segments().get(0).negativeProbability());
  }

  private static ShippedModel roundTrip(ShippedModel shipped) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(shipped);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (ShippedModel) in.readObject();
    }
  }
}
