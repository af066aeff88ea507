package io.github.tingxin.examples;

import io.github.tingxin.api.AudioInput;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.CallSummary;
import io.github.tingxin.api.Device;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.TingxinException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Analyses one recording and prints its timeline and the caller's summary.
 *
 * <pre>
 * java -cp examples/target/examples.jar io.github.tingxin.examples.AnalyzeFile examples/samples/sample-call.wav [MODEL]
 * </pre>
 */
public final class AnalyzeFile {
  private AnalyzeFile() {}

  /**
   * @param args the WAV file, then optionally a model package directory or zip
   */
  public static void main(String[] args) {
    if (args.length < 1) {
      System.err.println("usage: AnalyzeFile CALL.wav [MODEL_DIR_OR_ZIP]");
      System.exit(1);
    }
    Path wav = Path.of(args[0]);
    ModelPackage model = args.length > 1 ? ModelPackage.load(Path.of(args[1])) : ModelPackage.bundledDefault();

    try (EmotionRecognizer recognizer = EmotionRecognizer.builder()
        .model(model)
        .device(Device.cudaIfAvailable(0)) // the GPU where there is one, else the CPU
        .build()) {
      CallAnalysis call = recognizer.analyze(AudioInput.file(wav)); // .channel(0) for a caller channel
      for (SegmentResult s : call.segments()) {
        System.out.printf(Locale.ROOT, "%7.2f-%7.2f s  negative %.2f  %s%n", s.start(), s.end(),
            s.negativeProbability().orElse(Double.NaN),
            s.topLabel().map(l -> l.english() + " " + l.chinese()).orElse("-"));
      }
      CallSummary caller = call.caller();
      if (caller.negativeShare().isEmpty()) {
        System.out.println("no speech found"); // figures without speech have no value, so none are printed
      } else {
        System.out.printf(Locale.ROOT, "negative: %.0f%% of %.1f s of speech; longest negative run %.1f s;"
                + " trend %+.2f%n", 100 * caller.negativeShare().getAsDouble(), caller.speechSeconds(),
            caller.longestNegativeRunSeconds().getAsDouble(), caller.trend().orElseThrow().change());
      }
    } catch (TingxinException e) {
      // Every failure a user can act on has a code and a message that says what to do.
      System.err.println(e.code() + ": " + e.getMessage());
      System.exit(2);
    }
  }
}
