package io.github.tingxin.onnx.vad;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.spi.FramedVadStream;
import io.github.tingxin.spi.VoiceActivityDetector;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Map;

/**
 * Silero VAD (v5/v6 graph: inputs {@code input [1, context + chunk]}, {@code state [2, 1, 128]}, {@code sr};
 * outputs {@code output [1, 1]}, {@code stateN}) run with ONNX Runtime, as Silero's own {@code OnnxWrapper}
 * runs it: chunks of 512 samples at 16 kHz (256 at 8 kHz), each preceded by the last 64 (32) samples of
 * the previous chunk, the recurrent state carried from chunk to chunk.
 *
 * <p>The detector owns one ONNX Runtime session (one intra-op thread: the graph is tiny), shared by its
 * streams; each {@link Stream} holds its own recurrent state and context in Java arrays and needs no
 * closing. Thread-safe; each stream is single-threaded. {@link #close()} frees the session (idempotent);
 * streams fail with {@link IllegalStateException} afterwards.
 */
public final class SileroVoiceActivityDetector implements VoiceActivityDetector {

  /** Name of this detector, as its provider registers it. */
  public static final String NAME = "silero";
  /** The model resource, beside this class. */
  public static final String MODEL_RESOURCE = "silero_vad_v6.onnx";
  /** Silero's default threshold. */
  public static final double THRESHOLD = 0.5;

  private static final int STATE_SIZE = 2 * 128;

  private final OrtEnvironment env;
  private final OrtSession session;
  private final int sampleRate;
  private final int chunk;
  private final int context;
  private volatile boolean closed;

  private SileroVoiceActivityDetector(OrtEnvironment env, OrtSession session, int sampleRate) {
    this.env = env;
    this.session = session;
    this.sampleRate = sampleRate;
    this.chunk = sampleRate == 16000 ? 512 : 256;
    this.context = sampleRate == 16000 ? 64 : 32;
  }

  /**
   * Loads the bundled model.
   *
   * @param sampleRate 8000 or 16000
   * @throws TingxinException {@link ErrorCode#UNSUPPORTED_SAMPLE_RATE} for other rates,
   *     {@link ErrorCode#BACKEND_UNAVAILABLE} if ONNX Runtime cannot load the model
   */
  public static SileroVoiceActivityDetector open(int sampleRate) {
    return open(sampleRate, MODEL_RESOURCE);
  }

  /** Loads {@code resource} (a Silero v5/v6 graph beside this class); for tests comparing versions. */
  static SileroVoiceActivityDetector open(int sampleRate, String resource) {
    if (sampleRate != 16000 && sampleRate != 8000) {
      throw new TingxinException(ErrorCode.UNSUPPORTED_SAMPLE_RATE, "Silero VAD takes 8000 or 16000 Hz audio, not "
          + sampleRate + " Hz; use the energy detector (Segmentation.Vad.ENERGY) for this model.");
    }
    byte[] model;
    try (InputStream in = SileroVoiceActivityDetector.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new TingxinException(ErrorCode.BACKEND_UNAVAILABLE, "The Silero VAD model " + resource
            + " is missing from sentiment-onnx's jar; the build is broken.");
      }
      model = in.readAllBytes();
    } catch (IOException e) {
      throw new TingxinException(ErrorCode.BACKEND_UNAVAILABLE, "Cannot read the Silero VAD model (" + e.getMessage()
          + ").", e);
    }
    try {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        return new SileroVoiceActivityDetector(env, env.createSession(model, options), sampleRate);
      }
    } catch (OrtException | RuntimeException | LinkageError e) {
      throw new TingxinException(ErrorCode.BACKEND_UNAVAILABLE, "ONNX Runtime could not load Silero VAD ("
          + e.getMessage() + ").", e);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int sampleRate() {
    return sampleRate;
  }

  @Override
  public int frameSamples() {
    return chunk;
  }

  @Override
  public double speechThreshold() {
    return THRESHOLD;
  }

  @Override
  public Stream newStream() {
    if (closed) {
      throw new IllegalStateException("Silero VAD is closed");
    }
    return new SileroStream();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("closing Silero VAD's session failed", e);
    }
  }

  private final class SileroStream extends FramedVadStream {
    private final float[] input;
    private final float[] state = new float[STATE_SIZE];
    private final long[] inputShape = {1, context + chunk};
    private final long[] stateShape = {2, 1, 128};

    SileroStream() {
      this(new float[context + chunk]);
    }

    private SileroStream(float[] input) {
      super(input, context, chunk);
      this.input = input;
    }

    @Override
    protected float frameProbability() {
      float probability = run();
      // the next chunk's context: the last samples of this one
      System.arraycopy(input, chunk, input, 0, context);
      return probability;
    }

    private float run() {
      if (closed) {
        throw new IllegalStateException("Silero VAD is closed");
      }
      try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), inputShape);
          OnnxTensor h = OnnxTensor.createTensor(env, FloatBuffer.wrap(state), stateShape);
          OnnxTensor sr = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {sampleRate}), new long[0]);
          OrtSession.Result result = session.run(Map.of("input", x, "state", h, "sr", sr))) {
        float probability = ((float[][]) result.get("output").orElseThrow().getValue())[0][0];
        FloatBuffer next = ((OnnxTensor) result.get("stateN").orElseThrow()).getFloatBuffer();
        next.get(state, 0, STATE_SIZE);
        return probability;
      } catch (OrtException e) {
        throw new TingxinException(ErrorCode.INFERENCE_FAILED, "Silero VAD failed (" + e.getMessage() + ").", e);
      }
    }
  }
}
