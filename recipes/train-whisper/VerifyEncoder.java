import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs the original int8 Whisper tiny.en encoder (extracted by encoder.py, with intermediate tensors added
 * as outputs by verify_encoder.py) in ONNX Runtime Java, one thread, and writes every output back.
 *
 *   java -cp ~/.m2/repository/com/microsoft/onnxruntime/onnxruntime/1.23.2/onnxruntime-1.23.2.jar \
 *       recipes/train-whisper/VerifyEncoder.java MODEL.onnx IN.f32 N OUTDIR
 *
 * IN.f32: N x 80 x 3000 little-endian float32; writes OUTDIR/&lt;item&gt;-&lt;output index&gt;.f32.
 */
public class VerifyEncoder {
  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[2]);
    FloatBuffer in = read(Path.of(args[1]));
    if (in.remaining() != n * 80 * 3000) {
      throw new IllegalArgumentException("input holds " + in.remaining() + " floats, not " + n + " x 80 x 3000");
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
      so.setIntraOpNumThreads(1);
      so.setInterOpNumThreads(1);
      try (OrtSession session = env.createSession(args[0], so)) {
        float[] one = new float[80 * 3000];
        for (int i = 0; i < n; i++) {
          in.get(one);
          try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(one), new long[] {1, 80, 3000});
               OrtSession.Result r = session.run(Map.of("encoder_input_ids", x))) {
            int k = 0;
            for (Map.Entry<String, OnnxValue> e : r) {
              FloatBuffer y = ((OnnxTensor) e.getValue()).getFloatBuffer();
              ByteBuffer out = ByteBuffer.allocate(4 * y.remaining()).order(ByteOrder.LITTLE_ENDIAN);
              out.asFloatBuffer().put(y);
              Files.write(Path.of(args[3], i + "-" + k++ + ".f32"), out.array());
            }
          }
        }
      }
    }
  }

  private static FloatBuffer read(Path p) throws IOException {
    return ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
  }
}
