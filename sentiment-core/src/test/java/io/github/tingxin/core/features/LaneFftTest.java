package io.github.tingxin.core.features;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.jtransforms.fft.DoubleFFT_1D;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link LaneFft}, {@link FloatLaneFft} and the power spectra built on them against numpy's FFT
 * ({@code tools/reference/features/make_fft_reference.py}) on sizes with every radix and with the prime
 * factors JTransforms takes, and against JTransforms on every size up to 300. Each transform runs on five
 * lanes holding copies scaled by 1, 2, 4, 8, 16 (exactly, in float and double), so lanes must not leak into
 * each other; five is not a multiple of any SIMD width, so vector and scalar loop tails both run.
 */
class LaneFftTest {
  private static final int LANES = 5;
  private static final String DIR = "/reference/fft/";

  @TestFactory
  Stream<DynamicTest> everyNumpyCase() throws IOException {
    JsonNode index = new ObjectMapper().readTree(read("index.json"));
    assertThat(index.get("cases").size()).isGreaterThan(80);
    ByteBuffer in = ByteBuffer.wrap(read("inputs.f32")).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer out = ByteBuffer.wrap(read("outputs.f64")).order(ByteOrder.LITTLE_ENDIAN);
    Stream.Builder<DynamicTest> tests = Stream.builder();
    for (JsonNode c : index.get("cases")) {
      int n = c.get("size").asInt();
      int inAt = c.get("input").asInt();
      int outAt = c.get("output").asInt();
      boolean complex = c.get("kind").asText().equals("complex");
      int inCount = complex ? 2 * n : n;
      int outCount = complex ? 2 * n : n / 2 + 1;
      float[] x = new float[inCount];
      double[] y = new double[outCount];
      for (int i = 0; i < inCount; i++) {
        x[i] = in.getFloat(4 * (inAt + i));
      }
      for (int i = 0; i < outCount; i++) {
        y[i] = out.getDouble(8 * (outAt + i));
      }
      tests.add(DynamicTest.dynamicTest(c.get("kind").asText() + " " + n, () -> {
        if (complex) {
          checkComplex(n, x, y);
        } else {
          checkPower(n, x, y);
        }
      }));
    }
    return tests.build();
  }

  @Test
  void everySizeUpTo300EqualsJTransforms() {
    SplittableRandom rng = new SplittableRandom(17);
    for (int n = 1; n <= 300; n++) {
      float[] x = new float[2 * n];
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) (rng.nextDouble() * 2 - 1);
      }
      double[] y = new double[2 * n];
      for (int i = 0; i < y.length; i++) {
        y[i] = x[i];
      }
      new DoubleFFT_1D(n).complexForward(y);
      checkComplex(n, x, y);
    }
  }

  @Test
  void digitReversedInputOrderIsAPermutation() {
    for (int n : new int[] {1, 2, 8, 60, 200, 256, 400, 97}) {
      LaneFft fft = new LaneFft(n);
      boolean[] seen = new boolean[n];
      for (int i = 0; i < n; i++) {
        int row = fft.inputRow(i);
        assertThat(seen[row]).as("row %d of size %d taken twice", row, n).isFalse();
        seen[row] = true;
      }
    }
  }

  // Lane l holds the input times 2^l: its output must be the reference times 2^l.
  private static void checkComplex(int n, float[] x, double[] y) {
    double scale = 0;
    for (float v : x) {
      scale += Math.abs(v);
    }
    LaneFft fft = new LaneFft(n);
    LaneFft.Rows rows = fft.newRows(LANES);
    FloatLaneFft floatFft = new FloatLaneFft(n);
    FloatLaneFft.Rows floatRows = floatFft.newRows(LANES);
    for (int i = 0; i < n; i++) {
      for (int l = 0; l < LANES; l++) {
        rows.re[fft.inputRow(i)][l] = x[2 * i] * (1 << l);
        rows.im[fft.inputRow(i)][l] = x[2 * i + 1] * (1 << l);
        floatRows.re[floatFft.inputRow(i)][l] = x[2 * i] * (1 << l);
        floatRows.im[floatFft.inputRow(i)][l] = x[2 * i + 1] * (1 << l);
      }
    }
    fft.transform(rows, LANES);
    floatFft.transform(floatRows, LANES);
    double worst = 0;
    double worstFloat = 0;
    for (int k = 0; k < n; k++) {
      for (int l = 0; l < LANES; l++) {
        double re = y[2 * k] * (1 << l);
        double im = y[2 * k + 1] * (1 << l);
        worst = Math.max(worst, Math.hypot(rows.re[k][l] - re, rows.im[k][l] - im) / (1 << l));
        worstFloat = Math.max(worstFloat, Math.hypot(floatRows.re[k][l] - re, floatRows.im[k][l] - im) / (1 << l));
      }
    }
    assertThat(worst).as("double, size %d", n).isLessThanOrEqualTo(1e-13 * scale);
    assertThat(worstFloat).as("float, size %d", n).isLessThanOrEqualTo(2e-6 * scale);
  }

  private static void checkPower(int n, float[] x, double[] y) {
    double peak = 0;
    for (double v : y) {
      peak = Math.max(peak, v);
    }
    LanePowerSpectrum spectrum = new LanePowerSpectrum(n);
    FloatLanePowerSpectrum floatSpectrum = new FloatLanePowerSpectrum(n);
    assertThat(spectrum.bins()).isEqualTo(y.length);
    for (boolean magnitude : new boolean[] {false, true}) {
      LaneFft.Rows rows = spectrum.newRows(LANES);
      double[][] frame = new double[n][];
      spectrum.inputRows(rows, frame);
      FloatLaneFft.Rows floatRows = floatSpectrum.newRows(LANES);
      float[][] floatFrame = new float[n][];
      floatSpectrum.inputRows(floatRows, floatFrame);
      for (int t = 0; t < n; t++) {
        for (int l = 0; l < LANES; l++) {
          frame[t][l] = x[t] * (1 << l);
          floatFrame[t][l] = x[t] * (1 << l);
        }
      }
      double[][] power = new double[spectrum.bins()][];
      float[][] floatPower = new float[spectrum.bins()][];
      spectrum.compute(rows, LANES, power, magnitude);
      floatSpectrum.compute(floatRows, LANES, floatPower, magnitude);
      for (int k = 0; k < y.length; k++) {
        for (int l = 0; l < LANES; l++) {
          double s = (double) (1 << l) * (1 << l);
          double expected = magnitude ? Math.sqrt(y[k] * s) : y[k] * s;
          double tolerance = magnitude ? Math.sqrt(peak * s) : peak * s;
          assertThat(Math.abs(power[k][l] - expected)).as("double, size %d bin %d", n, k)
              .isLessThanOrEqualTo(1e-13 * tolerance);
          assertThat(Math.abs(floatPower[k][l] - expected)).as("float, size %d bin %d", n, k)
              .isLessThanOrEqualTo(2e-6 * tolerance);
        }
      }
    }
  }

  private static byte[] read(String name) throws IOException {
    try (InputStream in = LaneFftTest.class.getResourceAsStream(DIR + name)) {
      assertThat(in).as("reference file %s%s is missing; run tools/reference/features/make_fft_reference.py", DIR,
          name).isNotNull();
      return in.readAllBytes();
    }
  }
}
