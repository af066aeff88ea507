package io.github.tingxin.core.recognizer;

import io.github.tingxin.core.vad.EnergyVadProvider;
import io.github.tingxin.spi.RegionTuning;
import io.github.tingxin.spi.VoiceActivityDetector;
import io.github.tingxin.spi.VoiceActivityDetectorProvider;

/**
 * A plug-in detector as a third party would write one ({@code half-energy}, registered in the test resources):
 * the energy detector's probabilities halved, with the energy tuning's thresholds halved to match. Halving is
 * exact in binary floating point, so it finds exactly the energy detector's regions, and only with its own
 * tuning: the energy tuning's onset of 0.5 is above every halved probability.
 */
public final class HalfEnergyVadProvider implements VoiceActivityDetectorProvider {
  static final String NAME = "half-energy";

  public HalfEnergyVadProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public VoiceActivityDetector open(int sampleRate) {
    VoiceActivityDetector energy = new EnergyVadProvider().open(sampleRate);
    RegionTuning e = energy.regionTuning();
    RegionTuning half = new RegionTuning(e.onset() / 2, e.offset() / 2, e.minSpeechSeconds(), e.minSilenceSeconds(),
        e.padSeconds());
    return new VoiceActivityDetector() {
      @Override
      public String name() {
        return NAME;
      }

      @Override
      public int sampleRate() {
        return energy.sampleRate();
      }

      @Override
      public int frameSamples() {
        return energy.frameSamples();
      }

      @Override
      public RegionTuning regionTuning() {
        return half;
      }

      @Override
      public Stream newStream() {
        Stream inner = energy.newStream();
        return new Stream() {
          @Override
          public int framesCompletedBy(int length) {
            return inner.framesCompletedBy(length);
          }

          @Override
          public int accept(float[] samples, int offset, int length, float[] probabilities, int outOffset) {
            int n = inner.accept(samples, offset, length, probabilities, outOffset);
            for (int i = outOffset; i < outOffset + n; i++) {
              probabilities[i] /= 2;
            }
            return n;
          }

          @Override
          public long framesDone() {
            return inner.framesDone();
          }
        };
      }

      @Override
      public void close() {
        energy.close();
      }
    };
  }
}
