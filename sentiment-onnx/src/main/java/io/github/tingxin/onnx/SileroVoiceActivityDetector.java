package io.github.tingxin.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.spi.FramedVadStream;
import io.github.tingxin.spi.RegionTuning;
import io.github.tingxin.spi.VoiceActivityDetector;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Map;

/**
 * Silero VAD (v6 graph: inputs {@code input [1, context + chunk]}, {@code state [2, 1, 128]}, {@code sr};
 * outputs {@code output [1, 1]}, {@code stateN}) run with ONNX Runtime, as Silero's own {@code OnnxWrapper}
 * runs it: chunks of 512 samples at 16 kHz (256 at 8 kHz), each preceded by the last 64 (32) samples of
 * the previous chunk, the recurrent state carried from chunk to chunk.
 *
 * <p>The detector's {@link SessionHandle} owns its ONNX Runtime session (one intra-op thread: the graph is
 * tiny) and options; each {@link Stream} holds its own recurrent state and context in Java arrays and needs no
 * closing, and holds the session only while it computes a frame. Thread-safe; each stream is single-threaded.
 * {@link #close()} waits for the frames being computed, then frees the session (idempotent); streams fail with
 * {@link IllegalStateException} afterwards.
 */
final class SileroVoiceActivityDetector implements VoiceActivityDetector {

  /** The model, in the resource folder beside its provenance and licences. */
  static final String MODEL_RESOURCE = "/io/github/tingxin/onnx/silero/silero_vad_v6.onnx";

  /** Silero's {@code get_speech_timestamps} defaults: threshold 0.5, threshold - 0.15, 250, 100 and 30 ms. */
  static final RegionTuning REGIONS = new RegionTuning(0.5, 0.35, 0.25, 0.1, 0.03);

  private static final int STATE_SIZE = 2 * 128;

  private final OrtEnvironment env;
  private final SessionHandle handle;
  private final int sampleRate;
  private final int chunk;
  private final int context;

  private SileroVoiceActivityDetector(OrtEnvironment env, SessionHandle handle, int sampleRate) {
    this.env = env;
    this.handle = handle;
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
  static SileroVoiceActivityDetector open(int sampleRate) {
    if (sampleRate != 16000 && sampleRate != 8000) {
      throw new TingxinException(ErrorCode.UNSUPPORTED_SAMPLE_RATE, "Silero VAD takes 8000 or 16000 Hz audio, not "
          + sampleRate + " Hz; use the energy detector (Segmentation.Vad.ENERGY) for this model.");
    }
    byte[] model;
    try (InputStream in = SileroVoiceActivityDetector.class.getResourceAsStream(MODEL_RESOURCE)) {
      if (in == null) {
        throw new TingxinException(ErrorCode.BACKEND_UNAVAILABLE, "The Silero VAD model " + MODEL_RESOURCE
            + " is missing from sentiment-onnx's jar; the build is broken.");
      }
      model = in.readAllBytes();
    } catch (IOException e) {
      throw new TingxinException(ErrorCode.BACKEND_UNAVAILABLE, "Cannot read the Silero VAD model (" + e.getMessage()
          + ").", e);
    }
    try {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      return SessionHandle.open("Silero VAD", handle -> {
        handle.options().setIntraOpNumThreads(1);
        handle.options().setInterOpNumThreads(1);
        handle.load(options -> env.createSession(model, options));
        return new SileroVoiceActivityDetector(env, handle, sampleRate);
      });
    } catch (OrtException | RuntimeException | LinkageError e) {
      throw new TingxinException(ErrorCode.BACKEND_UNAVAILABLE, "ONNX Runtime could not load Silero VAD ("
          + e.getMessage() + ").", e);
    }
  }

  @Override
  public String name() {
    return SileroVadProvider.NAME;
  }

  @Override
  public int sampleRate() {
    return sampleRate;
  }

  @Override
  public int frameSamples() {
    return chunk;
  }

  /** {@link #REGIONS}. */
  @Override
  public RegionTuning regionTuning() {
    return REGIONS;
  }

  @Override
  public Stream newStream() {
    if (handle.isClosed()) {
      throw new IllegalStateException("Silero VAD is closed.");
    }
    return new SileroStream();
  }

  /** Waits for the frames being computed, then frees the session; idempotent (see {@link SessionHandle}). */
  @Override
  public void close() {
    handle.close();
  }

  /** The handle, for tests of the session's lifetime. */
  SessionHandle handle() {
    return handle;
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
      float probability = handle.use(this::run);
      // the next chunk's context: the last samples of this one
      System.arraycopy(input, chunk, input, 0, context);
      return probability;
    }

    private float run(OrtSession session) {
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
