package io.github.tingxin.core.features;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes the single-precision twins of the lane classes from their double-precision sources, so that the
 * two never drift: {@code FloatLaneFft} from {@code LaneFft}, {@code FloatLanePowerSpectrum} from
 * {@code LanePowerSpectrum}, {@code FloatLanes} from {@code Lanes}. {@code FloatTwinsTest} fails when a
 * committed twin differs from what this makes; after changing a double class, regenerate with
 * {@code java sentiment-core/src/test/java/io/github/tingxin/core/features/FloatTwins.java} from the
 * repository root (or the module folder).
 */
public final class FloatTwins {
  static final String DIR = "src/main/java/io/github/tingxin/core/features/";

  private FloatTwins() {}

  /** Each twin's file name and the text it should have, made from the double classes in {@code sources}. */
  static Map<String, String> make(Path sources) {
    Map<String, String> twins = new LinkedHashMap<>();
    twins.put("FloatLaneFft.java", laneFft(read(sources, "LaneFft.java")));
    twins.put("FloatLanePowerSpectrum.java", powerSpectrum(read(sources, "LanePowerSpectrum.java")));
    twins.put("FloatLanes.java", lanes(read(sources, "Lanes.java")));
    return twins;
  }

  public static void main(String[] args) throws IOException {
    Path sources = sources();
    for (Map.Entry<String, String> twin : make(sources).entrySet()) {
      Files.writeString(sources.resolve(twin.getKey()), twin.getValue(), StandardCharsets.UTF_8);
      System.out.println("wrote " + sources.resolve(twin.getKey()));
    }
  }

  /** The features source folder, from the repository root or the module folder. */
  static Path sources() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p : new Path[] {here.resolve("sentiment-core"), here}) {
      if (Files.isRegularFile(p.resolve(DIR).resolve("LaneFft.java"))) {
        return p.resolve(DIR);
      }
    }
    throw new IllegalStateException("no " + DIR + " below " + here);
  }

  static String read(Path sources, String name) {
    try {
      return Files.readString(sources.resolve(name), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String laneFft(String s) {
    s = replaceBetween(s, "/**\n * Forward complex FFTs", "final class LaneFft {", """
        /**
         * {@link LaneFft} in single precision: the same plan, kernels and order of operations, each SIMD
         * instruction covering twice the lanes. For features whose reference is itself computed in float32
         * (Whisper's log-mel), where single-precision rounding stays far below the tolerance. Generated from
         * {@link LaneFft} by {@code FloatTwins} (test sources): change that class, then regenerate.
         *
         * <p>Immutable and thread-safe; the {@link Rows} are per thread.
         */
        """);
    s = replace(s, "final class LaneFft {", "final class FloatLaneFft {");
    s = replaceBetween(s, "  static final double C5A", "  private final FftPlan plan;", lines(
        "  private static final float S5A = (float) LaneFft.S5A;",
        "  private static final float S5B = (float) LaneFft.S5B;",
        "  private static final float S3 = (float) LaneFft.S3;",
        "  private static final float M5 = (float) LaneFft.M5;",
        "",
        ""));
    s = replace(s, "  private final FftPlan plan;\n  private final int n;\n",
        "  private final FftPlan plan;\n  private final int n;\n  private final float[][] twiddleRe;\n"
            + "  private final float[][] twiddleIm;\n");
    s = replace(s, lines(
        "  LaneFft(int n) {",
        "    this.plan = new FftPlan(n);",
        "    this.n = n;",
        "  }"), lines(
        "  FloatLaneFft(int n) {",
        "    this.plan = new FftPlan(n);",
        "    this.n = n;",
        "    twiddleRe = new float[plan.radix.length][];",
        "    twiddleIm = new float[plan.radix.length][];",
        "    for (int s = 0; s < plan.radix.length; s++) {",
        "      twiddleRe[s] = new float[plan.twiddleRe[s].length];",
        "      twiddleIm[s] = new float[plan.twiddleIm[s].length];",
        "      for (int t = 0; t < twiddleRe[s].length; t++) {",
        "        twiddleRe[s][t] = (float) plan.twiddleRe[s][t];",
        "        twiddleIm[s][t] = (float) plan.twiddleIm[s][t];",
        "      }",
        "    }",
        "  }"));
    s = replace(s, "private Rows(LaneFft fft, int lanes)", "private Rows(FloatLaneFft fft, int lanes)");
    s = replace(s, "    double[] wr = plan.twiddleRe[s];\n    double[] wi = plan.twiddleIm[s];",
        "    double[] wr = twiddleRe[s];\n    double[] wi = twiddleIm[s];");
    s = s.replace("DoubleFFT_1D", "FloatFFT_1D").replace("Lanes.", "FloatLanes.");
    return toFloat(s);
  }

  private static String powerSpectrum(String s) {
    s = s.replace("LaneFft", "FloatLaneFft");
    s = replaceBetween(s, "/**\n * The power (or magnitude)", "final class LanePowerSpectrum {", """
        /**
         * {@link LanePowerSpectrum} in single precision, on a {@link FloatLaneFft}: the same steps in the same
         * order. Generated from {@link LanePowerSpectrum} by {@code FloatTwins} (test sources): change that
         * class, then regenerate.
         *
         * <p>Immutable and thread-safe; the {@link FloatLaneFft.Rows} are per thread.
         */
        """);
    s = replace(s, "final class LanePowerSpectrum {", "final class FloatLanePowerSpectrum {");
    s = replace(s, "  LanePowerSpectrum(int frameSize) {", "  FloatLanePowerSpectrum(int frameSize) {");
    s = replace(s, "      twiddleRe[k] = Math.cos(angle);\n      twiddleIm[k] = Math.sin(angle);",
        "      twiddleRe[k] = (float) Math.cos(angle);\n      twiddleIm[k] = (float) Math.sin(angle);");
    s = replace(s, "      double angle = ", "      double_ angle = ");
    s = replace(s, "x[f] = Math.sqrt(x[f]);", "x[f] = (float) Math.sqrt(x[f]);");
    return toFloat(s).replace("double_", "double");
  }

  private static String lanes(String s) {
    s = replaceBetween(s, "/**\n * Kernels over the lanes", "final class Lanes {", """
        /**
         * {@link Lanes} in single precision. Generated from {@link Lanes} by {@code FloatTwins} (test sources):
         * change that class, then regenerate. Stateless.
         */
        """);
    s = replace(s, "final class Lanes {", "final class FloatLanes {");
    s = replace(s, "  private Lanes() {}", "  private FloatLanes() {}");
    return toFloat(s);
  }

  // double -> float everywhere, and the literals of the kernels as float literals
  private static String toFloat(String s) {
    return s.replaceAll("\\bdouble\\b", "float").replaceAll("(?<![\\w.])(0\\.25|0\\.5)(?![\\w.])", "$1f");
  }

  private static String lines(String... lines) {
    return String.join("\n", lines);
  }

  private static String replace(String s, String from, String to) {
    if (!s.contains(from)) {
      throw new IllegalStateException("FloatTwins: the double source no longer contains\n" + from
          + "\nupdate FloatTwins with it");
    }
    return s.replace(from, to);
  }

  private static String replaceBetween(String s, String start, String end, String with) {
    int i = s.indexOf(start);
    int j = s.indexOf(end);
    if (i < 0 || j < i) {
      throw new IllegalStateException("FloatTwins: the double source no longer has '" + start + "' before '"
          + end + "'; update FloatTwins");
    }
    return s.substring(0, i) + with + s.substring(j);
  }
}
