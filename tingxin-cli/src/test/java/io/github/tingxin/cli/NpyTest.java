package io.github.tingxin.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
  /** A tiny independent .npy reader: what numpy.lib.format.read_array does for version 1.0 float32. */
  record NpyArray(int rows, int cols, float[] data) {
    static NpyArray read(Path file) throws Exception {
      ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
      byte[] magic = new byte[6];
      b.get(magic);
      assertThat(magic).containsExactly((byte) 0x93, 'N', 'U', 'M', 'P', 'Y');
      assertThat(b.get()).isEqualTo((byte) 1);
      assertThat(b.get()).isEqualTo((byte) 0);
      int headerLen = Short.toUnsignedInt(b.getShort());
      byte[] header = new byte[headerLen];
      b.get(header);
      String dict = new String(header, StandardCharsets.US_ASCII);
      assertThat((10 + headerLen) % 64).as("data aligned to 64 bytes").isZero();
      assertThat(dict).endsWith("\n");
      assertThat(dict).contains("'descr': '<f4'").contains("'fortran_order': False");
      Matcher m = Pattern.compile("'shape': \\((\\d+), (\\d+)\\)").matcher(dict);
      assertThat(m.find()).as("2-D shape in " + dict).isTrue();
      int rows = Integer.parseInt(m.group(1));
      int cols = Integer.parseInt(m.group(2));
      assertThat(b.remaining()).isEqualTo(4L * rows * cols);
      float[] data = new float[rows * cols];
      b.asFloatBuffer().get(data);
      return new NpyArray(rows, cols, data);
    }
  }

  @Test
  void writesAFileThatParsesBackToTheSameValues(@TempDir Path dir) throws Exception {
    int rows = 1234;
    int cols = 80;
    float[] data = new float[rows * cols];
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (r.nextGaussian() * 10);
    }
    data[5] = Float.MIN_VALUE;
    data[6] = -0.0f;
    Path f = dir.resolve("x.npy");
    Npy.writeFloat32(f, data, rows, cols);
    NpyArray back = NpyArray.read(f);
    assertThat(back.rows()).isEqualTo(rows);
    assertThat(back.cols()).isEqualTo(cols);
    assertThat(Arrays.equals(back.data(), data)).isTrue();
  }

  @Test
  void headerMatchesNumpysOwnBytes() {
    // numpy 1.24: numpy.lib.format.write_array(f, np.zeros((3, 4), '<f4')) writes exactly this header.
    String expected = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }";
    byte[] h = Npy.header(3, 4);
    assertThat(h.length).isEqualTo(128);
    String text = new String(h, 10, h.length - 10, StandardCharsets.US_ASCII);
    assertThat(text.strip()).isEqualTo(expected);
    assertThat(new String(Npy.header(7), 10, 64 - 10, StandardCharsets.US_ASCII)).contains("'shape': (7,)");
  }

  @Test
  void refusesAMismatchedShape(@TempDir Path dir) {
    assertThatThrownBy(() -> Npy.writeFloat32(dir.resolve("y.npy"), new float[5], 2, 3))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
