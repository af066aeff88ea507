package io.github.tingxin.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.github.tingxin.api.Device;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ModelManifest.Activation;
import io.github.tingxin.api.ModelManifest.Head;
import io.github.tingxin.api.ModelManifest.Layout;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.spi.FeatureBatch;
import io.github.tingxin.spi.InferenceSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One model in one ONNX Runtime session, shared by every thread that runs the model.
 *
 * <p>Thread-safe: {@link #run} may be called from many threads at once (ONNX Runtime's {@code Run} is
 * thread-safe on one session). Each run holds the session through its {@link SessionHandle}, so
 * {@link #close()} waits for runs in progress, later runs throw {@link IllegalStateException}, and close is
 * idempotent.
 *
 * <p>Native memory: the session and its options are owned by this session's {@link SessionHandle} and freed
 * by {@link #close()}; each run's input tensors and result are closed before {@code run} returns. Input
 * tensors wrap direct buffers from a small pool owned by this session (no copy into a fresh native buffer per
 * call), which are dropped at close. Outputs are copied into fresh Java arrays that the caller owns.
 *
 * <p>Padding: where the graph has a lengths input, the padded batch is run as one. Where it has none and the
 * time axis is variable, items whose length is shorter than the batch's are run one by one, cut to their
 * own length, so that padding never changes an answer.
 */
final class OnnxSession implements InferenceSession {
  private static final int POOL_LIMIT = 2 * Runtime.getRuntime().availableProcessors();

  private final OrtEnvironment env;
  private final SessionHandle handle;
  private final ModelManifest manifest;
  private final String location;
  private final Device device;
  private final String inputName;
  private final String lengthsName;
  /** Values per frame the graph takes, or -1 where its feature axis is dynamic. */
  private final long graphDim;
  private final Set<String> outputNames;
  private final ConcurrentLinkedQueue<FloatBuffer> buffers = new ConcurrentLinkedQueue<>();

  private OnnxSession(OrtEnvironment env, SessionHandle handle, ModelManifest manifest, String location,
      Device device, long graphDim) {
    this.env = env;
    this.handle = handle;
    this.manifest = manifest;
    this.location = location;
    this.device = device;
    this.inputName = manifest.input().name();
    this.lengthsName = manifest.input().lengths().orElse(null);
    this.graphDim = graphDim;
    Set<String> outs = new LinkedHashSet<>();
    manifest.heads().forEach(h -> outs.add(h.output()));
    this.outputNames = Set.copyOf(outs);
  }

  /**
   * Loads the graph into {@code handle} with its options and checks it against the manifest. Called within
   * {@link SessionHandle#open}, which closes the handle if this throws.
   */
  static OnnxSession open(OrtEnvironment env, ModelPackage model, SessionHandle handle, Device device)
      throws OrtException {
    String graphFile = model.location() + (model.location().endsWith("/") ? "" : "/") + ModelPackage.MODEL_FILE;
    handle.load(options -> load(env, model, options, graphFile));
    long dim = handle.use(session -> checkGraph(session, model.manifest(), graphFile));
    return new OnnxSession(env, handle, model.manifest(), model.location(), device, dim);
  }

  private static OrtSession load(OrtEnvironment env, ModelPackage model, OrtSession.SessionOptions options,
      String graphFile) {
    String advice = "; it is truncated or not an ONNX model. Re-export it with recipes/export (ONNX opset 11-17) "
        + "or copy the complete package again.";
    try {
      Optional<Path> file = model.modelFile();
      if (file.isPresent()) {
        if (!Files.isRegularFile(file.get())) {
          throw new TingxinException(ErrorCode.MODEL_FILE_INVALID, graphFile + " is missing; copy the complete "
              + "package again.");
        }
        return env.createSession(file.get().toString(), options);
      }
      return env.createSession(model.modelBytes(), options);
    } catch (OrtException e) {
      throw new TingxinException(ErrorCode.MODEL_FILE_INVALID, "ONNX Runtime cannot load " + graphFile + " ("
          + e.getMessage() + ")" + advice, e);
    }
  }

  /** Checks inputs and outputs against the manifest; returns the graph's static feature dim or -1. */
  private static long checkGraph(OrtSession session, ModelManifest m, String graphFile) {
    Map<String, NodeInfo> inputs;
    Map<String, NodeInfo> outputs;
    try {
      inputs = session.getInputInfo();
      outputs = session.getOutputInfo();
    } catch (OrtException e) {
      throw new TingxinException(ErrorCode.MODEL_FILE_INVALID, "ONNX Runtime cannot describe " + graphFile
          + " (" + e.getMessage() + ").", e);
    }
    String in = m.input().name();
    Layout layout = m.input().layout();
    TensorInfo feature = tensor(inputs, in, "input.name", "input", graphFile);
    int rank = layout == Layout.BATCH_TIME ? 2 : 3;
    require(feature.type == OnnxJavaType.FLOAT, graphFile, "graph input '" + in + "' holds " + feature.type
        + ", not float32");
    long[] shape = feature.getShape();
    require(shape.length == rank, graphFile, "graph input '" + in + "' has rank " + shape.length + " " + dims(shape)
        + " but input.layout " + layoutName(layout) + " needs rank " + rank);
    long time = layout == Layout.BATCH_FEATURE_TIME ? shape[2] : shape[1];
    long dim = layout == Layout.BATCH_TIME ? 1 : layout == Layout.BATCH_FEATURE_TIME ? shape[1] : shape[2];
    int fixed = m.input().fixedFrames();
    if (time > 0) {
      require(fixed == time, graphFile, "graph input '" + in + "' has a fixed time axis of " + time
          + " but input.fixedFrames is " + fixed);
    }
    Set<String> known = new LinkedHashSet<>();
    known.add(in);
    if (m.input().lengths().isPresent()) {
      String len = m.input().lengths().get();
      TensorInfo lengths = tensor(inputs, len, "input.lengths", "input", graphFile);
      require(lengths.type == OnnxJavaType.INT64 && lengths.getShape().length == 1, graphFile,
          "graph input '" + len + "' (input.lengths) must be int64 of rank 1 [batch], but is " + lengths.type
              + " " + dims(lengths.getShape()));
      known.add(len);
    }
    for (String name : inputs.keySet()) {
      require(known.contains(name), graphFile, "graph input '" + name + "' is not in the manifest; Tingxin feeds "
          + "only input.name" + (m.input().lengths().isPresent() ? " and input.lengths" : " (and input.lengths, "
          + "which the manifest does not set)"));
    }
    for (Head h : m.heads()) {
      String field = "heads[" + h.name() + "].output";
      TensorInfo out = tensor(outputs, h.output(), field, "output", graphFile);
      require(out.type == OnnxJavaType.FLOAT, graphFile, "graph output '" + h.output() + "' holds " + out.type
          + ", not float32");
      long[] s = out.getShape();
      if (h.activation() == Activation.PAIRWISE_SOFTMAX) {
        require(s.length == 3 && (s[1] <= 0 || s[1] == h.labels().size()) && (s[2] <= 0 || s[2] == 2), graphFile,
            "graph output '" + h.output() + "' is " + dims(s) + " but head '" + h.name() + "' (pairwise-softmax, "
                + h.labels().size() + " labels) needs [batch, " + h.labels().size() + ", 2]");
      } else {
        require(s.length == 2 && (s[1] <= 0 || s[1] == h.rawSize()), graphFile, "graph output '" + h.output()
            + "' is " + dims(s) + " but head '" + h.name() + "' has " + h.labels().size() + " labels and needs [batch, "
            + h.rawSize() + "]");
      }
    }
    return dim > 0 ? dim : -1;
  }

  private static TensorInfo tensor(Map<String, NodeInfo> infos, String name, String field, String what,
      String graphFile) {
    NodeInfo node = infos.get(name);
    require(node != null, graphFile, "the manifest's " + field + " '" + name + "' is not a graph " + what
        + "; the graph's " + what + "s are " + infos.keySet());
    require(node.getInfo() instanceof TensorInfo, graphFile, "graph " + what + " '" + name + "' is not a tensor");
    return (TensorInfo) node.getInfo();
  }

  private static void require(boolean ok, String graphFile, String message) {
    if (!ok) {
      throw new TingxinException(ErrorCode.MODEL_MANIFEST_MISMATCH, "The manifest does not match " + graphFile + ": "
          + message + ". Fix tingxin-model.json or re-export the model.");
    }
  }

  private static String dims(long[] shape) {
    return Arrays.toString(shape).replace("-1", "?");
  }

  @Override
  public ModelManifest manifest() {
    return manifest;
  }

  /** The handle that owns the ONNX Runtime session, for tests of its lifetime. */
  SessionHandle handle() {
    return handle;
  }

  /** The device the session runs on (the CPU after a CUDA fallback). */
  Device device() {
    return device;
  }

  @Override
  public Map<String, float[][]> run(FeatureBatch batch) {
    Objects.requireNonNull(batch, "batch");
    return handle.use(session -> {
      checkBatch(batch);
      int fixed = manifest.input().fixedFrames();
      boolean padded = false;
      for (long len : batch.lengths()) {
        padded |= len != batch.frames();
      }
      if (lengthsName != null || fixed > 0 || !padded) {
        return runOnce(session, batch);
      }
      return runOneByOne(session, batch);
    });
  }

  private void checkBatch(FeatureBatch batch) {
    if (batch.layout() != manifest.input().layout()) {
      throw new IllegalArgumentException("batch layout " + batch.layout() + " but the model takes "
          + manifest.input().layout());
    }
    int fixed = manifest.input().fixedFrames();
    if (fixed > 0 && batch.frames() != fixed) {
      throw new IllegalArgumentException("the model takes exactly " + fixed + " frames, the batch has "
          + batch.frames());
    }
    for (long len : batch.lengths()) {
      if (len < 1 || len > batch.frames()) {
        throw new IllegalArgumentException("item lengths must be within 1.." + batch.frames() + ", got " + len);
      }
    }
    if (graphDim > 0 && batch.dim() != graphDim) {
      throw new TingxinException(ErrorCode.MODEL_MANIFEST_MISMATCH, "The feature recipe of " + manifest.name()
          + " (" + manifest.features().type() + ") gives " + batch.dim() + " values per frame but graph input '"
          + inputName + "' takes " + graphDim + "; fix features.options in " + location + "/tingxin-model.json.");
    }
  }

  /** Items of a padded batch, cut to their own lengths and run alone (graphs without a lengths input). */
  private Map<String, float[][]> runOneByOne(OrtSession session, FeatureBatch batch) {
    Map<String, float[][]> out = new HashMap<>();
    for (Head h : manifest.heads()) {
      out.put(h.name(), new float[batch.batchSize()][]);
    }
    int frames = batch.frames();
    int dim = batch.dim();
    for (int i = 0; i < batch.batchSize(); i++) {
      int len = (int) batch.lengths()[i];
      float[] item = new float[len * dim];
      int base = i * frames * dim;
      if (batch.layout() == Layout.BATCH_FEATURE_TIME) {
        for (int d = 0; d < dim; d++) {
          System.arraycopy(batch.data(), base + d * frames, item, d * len, len);
        }
      } else {
        System.arraycopy(batch.data(), base, item, 0, len * dim);
      }
      Map<String, float[][]> one = runOnce(session, new FeatureBatch(item, batch.layout(), 1, len, dim, new long[] {len}));
      for (Map.Entry<String, float[][]> e : one.entrySet()) {
        out.get(e.getKey())[i] = e.getValue()[0];
      }
    }
    return out;
  }

  private Map<String, float[][]> runOnce(OrtSession session, FeatureBatch batch) {
    int b = batch.batchSize();
    long[] shape = switch (batch.layout()) {
      case BATCH_TIME -> new long[] {b, batch.frames()};
      case BATCH_TIME_FEATURE -> new long[] {b, batch.frames(), batch.dim()};
      case BATCH_FEATURE_TIME -> new long[] {b, batch.dim(), batch.frames()};
    };
    FloatBuffer buffer = borrow(batch.data().length);
    try {
      buffer.clear();
      buffer.put(batch.data());
      buffer.flip();
      try (OnnxTensor features = OnnxTensor.createTensor(env, buffer, shape);
          OnnxTensor lengths = lengthsName == null ? null
              : OnnxTensor.createTensor(env, LongBuffer.wrap(batch.lengths()), new long[] {b})) {
        Map<String, OnnxTensor> inputs = new HashMap<>(4);
        inputs.put(inputName, features);
        if (lengths != null) {
          inputs.put(lengthsName, lengths);
        }
        try (OrtSession.Result result = session.run(inputs, outputNames)) {
          return outputs(result, b);
        }
      } catch (OrtException e) {
        throw new TingxinException(ErrorCode.INFERENCE_FAILED, "ONNX Runtime failed running " + manifest.name()
            + " on a batch of " + b + " x " + batch.frames() + " frames (" + e.getMessage() + ").", e);
      }
    } finally {
      giveBack(buffer);
    }
  }

  private Map<String, float[][]> outputs(OrtSession.Result result, int b) {
    Map<String, float[][]> out = new LinkedHashMap<>();
    for (Head h : manifest.heads()) {
      Optional<OnnxValue> value = result.get(h.output());
      if (value.isEmpty() || !(value.get() instanceof OnnxTensor tensor)) {
        throw new TingxinException(ErrorCode.MODEL_OUTPUT_INVALID, "Model " + manifest.name() + " gave no tensor '"
            + h.output() + "' for head '" + h.name() + "'.");
      }
      long[] s = tensor.getInfo().getShape();
      int raw = h.rawSize();
      boolean ok = h.activation() == Activation.PAIRWISE_SOFTMAX
          ? s.length == 3 && s[0] == b && s[1] == h.labels().size() && s[2] == 2
          : s.length == 2 && s[0] == b && s[1] == raw;
      if (!ok || tensor.getInfo().type != OnnxJavaType.FLOAT) {
        throw new TingxinException(ErrorCode.MODEL_OUTPUT_INVALID, "Model " + manifest.name() + " gave output '"
            + h.output() + "' of shape " + Arrays.toString(s) + " for a batch of " + b + "; head '" + h.name()
            + "' needs " + (h.activation() == Activation.PAIRWISE_SOFTMAX ? "[" + b + ", " + h.labels().size()
            + ", 2]" : "[" + b + ", " + raw + "]") + ".");
      }
      FloatBuffer values = tensor.getFloatBuffer();
      float[][] rows = new float[b][raw];
      for (int i = 0; i < b; i++) {
        values.get(rows[i]);
      }
      out.put(h.name(), rows);
    }
    return out;
  }

  private FloatBuffer borrow(int size) {
    FloatBuffer buf = buffers.poll();
    if (buf == null || buf.capacity() < size) {
      // Round up so that slowly growing inputs do not allocate (and page-fault) on every call.
      int capacity = Math.max(size, buf == null ? 0 : buf.capacity() + buf.capacity() / 2);
      buf = ByteBuffer.allocateDirect(Math.multiplyExact(capacity, Float.BYTES)).order(ByteOrder.nativeOrder())
          .asFloatBuffer();
    }
    buf.clear().limit(size);
    return buf;
  }

  private void giveBack(FloatBuffer buf) {
    if (!handle.isClosed() && buffers.size() < POOL_LIMIT) {
      buffers.offer(buf);
    }
  }

  /** Waits for runs in progress, then frees the session and its options (see {@link SessionHandle}). */
  @Override
  public void close() {
    handle.close();
    buffers.clear();
  }

  @Override
  public String toString() {
    return "OnnxSession[" + manifest.name() + " on " + device + (handle.isClosed() ? ", closed" : "") + "]";
  }

  /** The manifest's spelling of a layout, for messages. */
  private static String layoutName(Layout layout) {
    return layout.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
