package io.github.tingxin.onnx.reliability;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.AudioInput;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.CallSummary;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.EmotionStream;
import io.github.tingxin.api.LabelScore;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.core.features.FeatureRecipes;
import io.github.tingxin.spi.Features;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.stream.Stream;

/**
 * A full run in a JVM of its own, with every SLF4J event captured ({@link CapturingSlf4jProvider}) and every
 * java.util.logging record (ONNX Runtime's Java layer logs there) at every level, a private
 * {@code java.io.tmpdir}: builds recognizers for two fixture models, then analyses a call from a file, from
 * decoded audio and as a live stream, scores clips, and provokes the errors of bad input. It writes to the
 * folder given as its first argument: {@code log.txt} (every log event), {@code messages.txt} (the messages and
 * stack traces of every exception), {@code secrets.txt} (the scores, summary figures, samples and feature
 * values of the run, as they would be printed), {@code tmp-new.txt} (files that appeared in the temporary
 * directory during the analyses). It prints nothing of its own.
 */
public final class PrivacyProbe {
  private PrivacyProbe() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    ConcurrentLinkedQueue<String> jul = new ConcurrentLinkedQueue<>();
    java.util.logging.Logger root = java.util.logging.LogManager.getLogManager().getLogger("");
    root.setLevel(java.util.logging.Level.ALL);
    root.addHandler(new Handler() {
      @Override
      public void publish(LogRecord r) {
        String msg = new java.util.logging.SimpleFormatter().formatMessage(r);
        StringWriter trace = new StringWriter();
        if (r.getThrown() != null) {
          r.getThrown().printStackTrace(new PrintWriter(trace));
        }
        jul.add(r.getLevel() + " " + r.getLoggerName() + ": " + msg + (r.getThrown() != null ? "\n" + trace : ""));
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
    root.setLevel(java.util.logging.Level.ALL);
    for (Handler h : root.getHandlers()) {
      h.setLevel(java.util.logging.Level.ALL);
    }
    // Canaries: the test checks they were captured, so that it cannot pass with capture broken.
    org.slf4j.LoggerFactory.getLogger("canary").trace("canary {}", "slf4j-captured");
    java.util.logging.Logger.getLogger("canary").finest("canary jul-captured");

    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    Set<String> secrets = new LinkedHashSet<>();
    List<String> messages = new ArrayList<>();
    List<String> newFiles = new ArrayList<>();
    Audio call = Calls.call();
    byte[] wav = Calls.wav(call);
    Path wavFile = out.resolve("call.wav");
    Files.write(wavFile, wav);

    for (String model : List.of("fbank-cnn-tiny", "wav2vec2-tiny")) {
      ModelPackage pkg = Calls.fixture(model);
      try (EmotionRecognizer r = EmotionRecognizer.builder().model(pkg).threads(1).build()) {
        r.analyze(AudioInput.of(call.slice(0, 16000))); // warm-up: anything made once is made before the watch
        Set<String> before = listing(tmp);
        List<CallAnalysis> analyses = new ArrayList<>();
        analyses.add(r.analyze(AudioInput.file(wavFile)));
        analyses.add(r.analyze(AudioInput.stream(new ByteArrayInputStream(wav))));
        analyses.add(r.analyze(AudioInput.of(call)));
        List<SegmentResult> streamed = new ArrayList<>();
        try (EmotionStream s = r.openStream(16000, streamed::add)) {
          float[] chunk = new float[3200];
          for (int from = 0; from < call.length(); from += chunk.length) {
            int n = Math.min(chunk.length, call.length() - from);
            call.copyTo(from, chunk, 0, n);
            s.accept(chunk, 0, n);
          }
          analyses.add(s.finish());
        }
        List<SegmentResult> clips = r.score(List.of(call.slice(16000, 48000), call.slice(64000, 90000)));
        for (Runnable bad : badCalls(r, call, wavFile, out)) {
          try {
            bad.run();
            messages.add("(no exception)");
          } catch (RuntimeException e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            messages.add("=== " + e + "\n" + trace);
          }
        }
        Set<String> after = listing(tmp);
        after.removeAll(before);
        newFiles.addAll(after);

        for (CallAnalysis a : analyses) {
          for (SegmentResult s : a.segments()) {
            addScores(secrets, s);
          }
          addSummary(secrets, a.caller());
        }
        streamed.forEach(s -> addScores(secrets, s));
        clips.forEach(s -> addScores(secrets, s));
        Features features = FeatureRecipes.create(pkg.manifest().features(), 16000).extract(call.slice(16000, 48000));
        float[] data = features.data();
        for (int i = 0; i < data.length; i += Math.max(1, data.length / 200)) {
          addFloat(secrets, data[i]);
        }
      }
    }
    for (int i = 0, n = 0; i < call.length() && n < 300; i += 97) {
      float x = call.sample(i);
      if (Math.abs(x) > 1e-3) {
        addFloat(secrets, x);
        n++;
      }
    }
    List<String> log = new ArrayList<>(CapturingSlf4jProvider.events());
    log.addAll(jul);
    Files.write(out.resolve("log.txt"), log, StandardCharsets.UTF_8);
    Files.write(out.resolve("messages.txt"), messages, StandardCharsets.UTF_8);
    Files.write(out.resolve("secrets.txt"), secrets, StandardCharsets.UTF_8);
    Files.write(out.resolve("tmp-new.txt"), newFiles, StandardCharsets.UTF_8);
  }

  /** Calls that must fail, each with a message that names no content. */
  static List<Runnable> badCalls(EmotionRecognizer r, Audio call, Path wavFile, Path out) throws IOException {
    byte[] wav = Files.readAllBytes(wavFile);
    Path cut = out.resolve("cut.wav");
    Files.write(cut, Arrays.copyOf(wav, wav.length - 1001));
    float[] poisoned = call.slice(0, 32000).toArray();
    poisoned[12345] = Float.NaN;
    return List.of(
        () -> r.analyze(AudioInput.file(cut)),
        () -> r.analyze(AudioInput.file(wavFile).channel(3)),
        () -> r.analyze(AudioInput.of(Audio.empty(16000))),
        () -> r.score(List.of(Audio.empty(8000))),
        () -> {
          try (EmotionStream s = r.openStream(16000, x -> { })) {
            s.accept(call.slice(0, 16000).toArray());
            s.accept(poisoned);
          }
        },
        () -> {
          EmotionStream s = r.openStream(16000, x -> { });
          s.accept(call.slice(0, 48000).toArray());
          s.finish();
          s.accept(call.slice(0, 1600).toArray());
        },
        () -> Audio.of(poisoned, 16000),
        () -> {
          // The NaN graph fits fbank-cnn-tiny's manifest; with the other model it is a mismatch, also refused.
          try (EmotionRecognizer nan = EmotionRecognizer.builder()
              .model(ModelPackage.ofBytes(r.model(), NanModel.bytes(), "nan-model", null)).threads(1).build()) {
            nan.score(List.of(call.slice(16000, 48000)));
          }
        });
  }

  static void addScores(Set<String> secrets, SegmentResult s) {
    for (LabelScore score : s.scores()) {
      addDouble(secrets, score.score());
    }
    s.negativeProbability().ifPresent(p -> addDouble(secrets, p));
  }

  static void addSummary(Set<String> secrets, CallSummary summary) {
    for (CallSummary.LabelSummary l : summary.labels()) {
      l.mean().ifPresent(x -> addDouble(secrets, x));
      l.max().ifPresent(x -> addDouble(secrets, x));
    }
    summary.negativeShare().ifPresent(x -> addDouble(secrets, x));
    summary.trend().ifPresent(t -> {
      addDouble(secrets, t.start());
      addDouble(secrets, t.end());
    });
  }

  /** A score as code would print it: full precision, float precision, 4 and 6 decimals. */
  static void addDouble(Set<String> secrets, double x) {
    if (x == 0 || x == 1 || x == 0.5) {
      return; // not distinctive
    }
    secrets.add(Double.toString(x));
    secrets.add(Float.toString((float) x));
    secrets.add(String.format(Locale.ROOT, "%.4f", x));
    secrets.add(String.format(Locale.ROOT, "%.6f", x));
  }

  static void addFloat(Set<String> secrets, float x) {
    String s = Float.toString(x);
    // Only values with enough digits to be distinctive (not "0.5" or "-1.0").
    if (s.replaceAll("[^0-9]", "").replaceFirst("^0+", "").length() >= 5) {
      secrets.add(s);
      secrets.add(Double.toString(x));
    }
  }

  static Set<String> listing(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.map(Path::toString).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }
  }
}
