package io.github.tingxin.examples;

import io.github.tingxin.api.Alert;
import io.github.tingxin.api.AlertRule;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.EmotionStream;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.StreamListener;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Locale;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * A live call: feeds a WAV file to an {@link EmotionStream} in 20 ms chunks, as a telephony system
 * delivers packets, and prints each segment as it closes and each alert as it is raised. With
 * {@code --real-time} it waits between chunks as a live call would. The JDK's own
 * {@link AudioSystem} decodes the file here; any source of samples (a SIP media stream, a sound card)
 * works the same way.
 *
 * <pre>
 * java -cp examples/target/examples.jar io.github.tingxin.examples.LiveCallWithAlerts examples/samples/sample-call.wav [MODEL] [--real-time]
 * </pre>
 */
public final class LiveCallWithAlerts {
  private LiveCallWithAlerts() {}

  /**
   * @param args the WAV file, optionally a model package, optionally {@code --real-time}
   * @throws Exception if the file cannot be read
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: LiveCallWithAlerts CALL.wav [MODEL_DIR_OR_ZIP] [--real-time]");
      System.exit(1);
    }
    boolean realTime = java.util.List.of(args).contains("--real-time");
    String modelArg = args.length > 1 && !args[1].startsWith("--") ? args[1] : null;
    ModelPackage model = modelArg != null ? ModelPackage.load(Path.of(modelArg)) : ModelPackage.bundledDefault();

    // Decode to 16-bit little-endian mono with the JDK; Tingxin resamples whatever rate comes in.
    AudioInputStream source = AudioSystem.getAudioInputStream(new File(args[0]));
    AudioFormat f = source.getFormat();
    AudioFormat pcm = new AudioFormat(f.getSampleRate(), 16, f.getChannels(), true, false);
    try (AudioInputStream in = AudioSystem.getAudioInputStream(pcm, source);
        EmotionRecognizer recognizer = EmotionRecognizer.builder()
            .model(model)
            // Alert when 10 s of the last minute of speech is at least 0.8 negative (the default is 20 s in 2 min).
            .alertRule(new AlertRule(0.8, 10, 60))
            .build()) {
      int rate = (int) pcm.getSampleRate();
      int channels = pcm.getChannels();
      StreamListener listener = new StreamListener() {
        @Override
        public void onSegment(SegmentResult s) {
          System.out.printf(Locale.ROOT, "segment %7.2f-%7.2f s  negative %.2f  %s%n", s.start(), s.end(),
              s.negativeProbability().orElse(Double.NaN), s.topLabel().map(l -> l.english()).orElse("-"));
        }

        @Override
        public void onAlert(Alert a) {
          // In a hotline this would notify the supervisor's console, not print.
          System.out.printf(Locale.ROOT, "ALERT at %.1f s: %.1f s of strongly negative speech in the last %.0f s%n",
              a.at(), a.negativeSpeechSeconds(), a.rule().windowSeconds());
        }
      };
      try (EmotionStream stream = recognizer.openStream(rate, listener)) {
        int frames = rate / 50; // 20 ms
        byte[] bytes = new byte[frames * 2 * channels];
        float[] mono = new float[frames];
        int n;
        while ((n = in.readNBytes(bytes, 0, bytes.length)) > 0) {
          int got = n / (2 * channels);
          ByteBuffer b = ByteBuffer.wrap(bytes, 0, n).order(ByteOrder.LITTLE_ENDIAN);
          for (int i = 0; i < got; i++) {
            float sum = 0;
            for (int c = 0; c < channels; c++) {
              sum += b.getShort() / 32768f;
            }
            mono[i] = sum / channels;
          }
          stream.accept(mono, 0, got);
          if (realTime) {
            Thread.sleep(got * 1000L / rate);
          }
        }
        CallAnalysis call = stream.finish();
        System.out.printf(Locale.ROOT, "call ended after %.1f s: %d segments, %s of speech negative%n",
            call.durationSeconds(), call.segments().size(), call.caller().negativeShare().isPresent()
                ? String.format(Locale.ROOT, "%.0f%%", 100 * call.caller().negativeShare().getAsDouble()) : "-");
      }
    }
  }
}
