package io.github.tingxin.spark;

import io.github.tingxin.api.Device;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.ModelPackage;
import java.io.Serializable;

/** The recognizer settings executors build from; part of the key of the per-executor recognizer. */
record RecognizerSettings(int threads, Device.Type deviceType, int deviceIndex, boolean fallbackToCpu,
    double negativeThreshold, double maxAudioSeconds) implements Serializable {
  private static final long serialVersionUID = 1L;

  static RecognizerSettings of(BatchOptions o) {
    return new RecognizerSettings(o.threadsPerTask(), o.device().type(), o.device().index(),
        o.device().fallbackToCpu(), o.negativeThreshold(), o.maxAudioSeconds());
  }

  EmotionRecognizer build(ModelPackage model) {
    return EmotionRecognizer.builder()
        .model(model)
        .device(new Device(deviceType, deviceIndex, fallbackToCpu))
        .threads(threads)
        .negativeThreshold(negativeThreshold)
        .maxAudioSeconds(maxAudioSeconds)
        .build();
  }
}
