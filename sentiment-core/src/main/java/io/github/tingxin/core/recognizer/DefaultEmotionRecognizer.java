package io.github.tingxin.core.recognizer;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.AudioFormat;
import io.github.tingxin.api.AudioInput;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.CallSummary;
import io.github.tingxin.api.ChannelSelection;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.EmotionStream;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.Speaker;
import io.github.tingxin.api.StreamListener;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.core.audio.ChannelSelector;
import io.github.tingxin.core.audio.Resampler;
import io.github.tingxin.core.audio.SampleReader;
import io.github.tingxin.core.audio.WavReader;
import io.github.tingxin.core.model.ScoreDecoder;
import io.github.tingxin.core.segment.StreamingSegmenter;
import io.github.tingxin.spi.InferenceSession;
import io.github.tingxin.spi.RegionTuning;
import io.github.tingxin.spi.VoiceActivityDetector;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The recognizer behind {@link EmotionRecognizer#builder()}.
 *
 * <p><b>Offline analysis.</b> A WAV input is read in blocks (never decoded whole); each analysed channel
 * (the caller's; also the operator's for {@link ChannelSelection.Mode#CALLER_AND_OPERATOR}) goes through its
 * own {@link SpeakerPipeline}: streaming resampler to the model's rate, voice activity detection, the
 * {@link StreamingSegmenter}. Closed segments are scored in batches, sorted by length, as they pile up, so
 * memory stays bounded by a block, the open segments and the results. Outcomes:
 * <ul>
 *   <li>a recording with no samples: {@link ErrorCode#EMPTY_AUDIO};</li>
 *   <li>a recording with no speech (or only speech shorter than the minimum segment): an analysis with no
 *   segments and zero figures;</li>
 *   <li>longer than {@link RecognizerConfig#maxAudioSeconds()}: {@link ErrorCode#AUDIO_TOO_LONG} (from the
 *   header, before anything is decoded, where it says);</li>
 *   <li>a sample rate the resampler cannot take: {@link ErrorCode#UNSUPPORTED_SAMPLE_RATE};</li>
 *   <li>an interrupted thread: {@link ErrorCode#INTERRUPTED}, checked between blocks and batches, the
 *   interrupt flag left set; the recognizer stays usable.</li>
 * </ul>
 *
 * <p><b>Thread safety.</b> Thread-safe and meant to be shared: the inference session, feature extractor and
 * voice activity detector are thread-safe, and each analysis has its own pipelines. {@link #close()} waits
 * for analyses, {@link #score} calls and stream calls in progress (a read-write lock: each call holds the
 * read side), then closes the session and the detector; later calls throw {@link IllegalStateException}.
 * Close is idempotent; calling it from a {@link StreamListener} (inside a call it would wait for) throws
 * {@link IllegalStateException} instead of deadlocking.
 */
final class DefaultEmotionRecognizer implements EmotionRecognizer {
  /** Frames read from a WAV input per block. */
  private static final int READ_BLOCK = 16_384;

  private final RecognizerConfig config;
  private final ModelManifest manifest;
  private final InferenceSession session;
  private final VoiceActivityDetector vad;
  private final RegionTuning regions;
  private final StreamingSegmenter.Options segmentOptions;
  private final SegmentScorer scorer;
  private final String modelName;
  private final int scoreEvery;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile boolean closed;

  DefaultEmotionRecognizer(RecognizerConfig config, InferenceSession session, SegmentScorer scorer,
      VoiceActivityDetector vad, RegionTuning regions, StreamingSegmenter.Options segmentOptions) {
    this.config = config;
    this.manifest = config.model().manifest();
    this.session = session;
    this.scorer = scorer;
    this.vad = vad;
    this.regions = regions;
    this.segmentOptions = segmentOptions;
    this.modelName = manifest.name() + " " + manifest.version();
    this.scoreEvery = Math.max(64, 4 * config.batchSize());
  }

  @Override
  public CallAnalysis analyze(AudioInput input) {
    Objects.requireNonNull(input, "input");
    enter();
    try {
      checkInterrupted();
      if (input.audio().isPresent()) {
        return analyzeAudio(input.audio().get(), input.channels());
      }
      WavReader.Options options = WavReader.Options.DEFAULT.withMaxSeconds(config.maxAudioSeconds());
      try (WavReader reader = input.file().isPresent() ? WavReader.open(input.file().get(), options)
          : WavReader.open(input.stream().orElseThrow(), options)) {
        return analyzeWav(reader, input.channels(), input.describe());
      }
    } finally {
      exit();
    }
  }

  private CallAnalysis analyzeAudio(Audio audio, ChannelSelection selection) {
    if (audio.isEmpty()) {
      throw new TingxinException(ErrorCode.EMPTY_AUDIO, "The audio has no samples; nothing to analyse.");
    }
    checkLength(audio.durationSeconds(), audio.toString());
    int channel = selection.mode() == ChannelSelection.Mode.CHANNEL ? selection.caller() : -1;
    SpeakerPipeline pipeline = pipeline(audio.sampleRate());
    Call call = new Call();
    float[] block = new float[READ_BLOCK];
    for (int from = 0; from < audio.length(); from += READ_BLOCK) {
      checkInterrupted();
      int n = Math.min(READ_BLOCK, audio.length() - from);
      audio.copyTo(from, block, 0, n);
      pipeline.accept(block, 0, n);
      if (pipeline.pendingCount() >= scoreEvery) {
        call.add(score(pipeline, Speaker.CALLER, channel));
      }
    }
    pipeline.finish();
    call.add(score(pipeline, Speaker.CALLER, channel));
    return analysis(audio.durationSeconds(), call.segments, false);
  }

  private CallAnalysis analyzeWav(SampleReader reader, ChannelSelection selection, String what) {
    AudioFormat format = reader.format();
    ChannelSelector.check(selection, format.channels());
    if (format.frames() == 0) {
      throw new TingxinException(ErrorCode.EMPTY_AUDIO, what + " has no samples; nothing to analyse.");
    }
    if (format.frames() > 0) {
      checkLength(format.durationSeconds(), what);
    }
    boolean both = selection.mode() == ChannelSelection.Mode.CALLER_AND_OPERATOR;
    Map<Speaker, SpeakerPipeline> pipelines = new EnumMap<>(Speaker.class);
    pipelines.put(Speaker.CALLER, pipeline(format.sampleRate()));
    if (both) {
      pipelines.put(Speaker.OPERATOR, pipeline(format.sampleRate()));
    }
    // Sized by the reader's byte buffer, not by the header's channel count times a fixed block.
    int blockFrames = Math.min(READ_BLOCK, reader.blockFrames());
    float[][] block = new float[format.channels()][blockFrames];
    float[] mono = new float[blockFrames];
    Call call = new Call();
    long frames = 0;
    while (true) {
      checkInterrupted();
      int n = reader.read(block, 0, blockFrames);
      if (n < 0) {
        break;
      }
      frames += n;
      for (Map.Entry<Speaker, SpeakerPipeline> e : pipelines.entrySet()) {
        ChannelSelector.mix(block, format.channels(), 0, n, selection, e.getKey(), mono, 0);
        e.getValue().accept(mono, 0, n);
        if (e.getValue().pendingCount() >= scoreEvery) {
          call.add(score(e.getValue(), e.getKey(), channelOf(selection, e.getKey())));
        }
      }
    }
    if (frames == 0) {
      throw new TingxinException(ErrorCode.EMPTY_AUDIO, what + " has no samples; nothing to analyse.");
    }
    for (Map.Entry<Speaker, SpeakerPipeline> e : pipelines.entrySet()) {
      e.getValue().finish();
      call.add(score(e.getValue(), e.getKey(), channelOf(selection, e.getKey())));
    }
    return analysis(frames / (double) format.sampleRate(), call.segments, both);
  }

  @Override
  public List<SegmentResult> score(List<Audio> clips) {
    Objects.requireNonNull(clips, "clips");
    enter();
    try {
      List<float[]> resampled = new ArrayList<>(clips.size());
      for (int i = 0; i < clips.size(); i++) {
        checkInterrupted();
        Audio clip = Objects.requireNonNull(clips.get(i), "clips[" + i + "]");
        if (clip.isEmpty()) {
          throw new TingxinException(ErrorCode.EMPTY_AUDIO, "Clip " + i + " has no samples; every clip needs audio.");
        }
        Audio atModelRate = Resampler.resample(clip, manifest.sampleRate());
        if (scorer.frames(atModelRate.length()) < 1) {
          throw new TingxinException(ErrorCode.EMPTY_AUDIO, "Clip " + i + " (" + clip + ") is shorter than one "
              + "feature frame of the model; give clips of at least " + manifest.segments().minSeconds() + " s.");
        }
        resampled.add(atModelRate.toArray());
      }
      List<ScoreDecoder.Decoded> decoded = scorer.score(resampled);
      List<SegmentResult> out = new ArrayList<>(clips.size());
      for (int i = 0; i < clips.size(); i++) {
        ScoreDecoder.Decoded d = decoded.get(i);
        out.add(new SegmentResult(i, 0, clips.get(i).durationSeconds(), Speaker.CALLER, -1, d.scores(),
            d.negativeProbability()));
      }
      return List.copyOf(out);
    } finally {
      exit();
    }
  }

  @Override
  public EmotionStream openStream(int sampleRate, StreamListener listener) {
    Objects.requireNonNull(listener, "listener");
    enter();
    try {
      Resampler.of(sampleRate, manifest.sampleRate()); // refuses rates it cannot take, before any audio
      return new RecognizerStream(this, sampleRate, listener);
    } finally {
      exit();
    }
  }

  @Override
  public ModelManifest model() {
    return manifest;
  }

  @Override
  public RecognizerConfig config() {
    return config;
  }

  /**
   * Waits for calls in progress, then closes the inference session and the voice activity detector.
   * Idempotent; a second caller waits for the first to finish.
   *
   * @throws IllegalStateException if called from inside a call on this recognizer (e.g. a listener)
   */
  @Override
  public void close() {
    if (lock.getReadHoldCount() > 0) {
      throw new IllegalStateException("close() called from inside a call on this recognizer (e.g. from a "
          + "StreamListener); it would wait for itself. Close it after the call returns.");
    }
    if (!closing.compareAndSet(false, true)) {
      lock.writeLock().lock(); // wait for the first close to finish
      lock.writeLock().unlock();
      return;
    }
    closed = true;
    lock.writeLock().lock();
    try {
      try {
        session.close();
      } finally {
        vad.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "EmotionRecognizer[" + modelName + ", " + config.device() + (closed ? ", closed" : "") + "]";
  }

  // ------------------------------------------------------------------ shared with RecognizerStream

  /** Starts a call: holds the read side of the close lock. */
  void enter() {
    lock.readLock().lock();
    if (closed) {
      lock.readLock().unlock();
      throw new IllegalStateException("The recognizer is closed; build a new one.");
    }
  }

  void exit() {
    lock.readLock().unlock();
  }

  SpeakerPipeline pipeline(int inputRate) {
    return new SpeakerPipeline(inputRate, manifest.sampleRate(), vad, regions, segmentOptions);
  }

  /** Scores the pipeline's waiting segments; they leave the pipeline only once scored. */
  List<SegmentResult> score(SpeakerPipeline pipeline, Speaker speaker, int channel) {
    List<SpeakerPipeline.PendingSegment> pending = pipeline.peek();
    if (pending.isEmpty()) {
      return List.of();
    }
    List<float[]> clips = new ArrayList<>(pending.size());
    for (SpeakerPipeline.PendingSegment p : pending) {
      clips.add(p.samples());
    }
    List<ScoreDecoder.Decoded> decoded = scorer.score(clips);
    pipeline.discard(pending.size());
    double rate = manifest.sampleRate();
    List<SegmentResult> out = new ArrayList<>(pending.size());
    for (int i = 0; i < pending.size(); i++) {
      SpeakerPipeline.PendingSegment p = pending.get(i);
      ScoreDecoder.Decoded d = decoded.get(i);
      out.add(new SegmentResult(pipeline.nextIndex(), p.startSample() / rate, p.endSample() / rate, speaker,
          channel, d.scores(), d.negativeProbability()));
    }
    return out;
  }

  /** The analysis of a call from its scored segments. */
  CallAnalysis analysis(double durationSeconds, List<SegmentResult> segments, boolean withOperator) {
    List<SegmentResult> ordered = new ArrayList<>(segments);
    ordered.sort(Comparator.comparingDouble(SegmentResult::start).thenComparing(SegmentResult::speaker));
    List<SegmentResult> caller = ordered.stream().filter(s -> s.speaker() == Speaker.CALLER).toList();
    CallSummary callerSummary = CallSummaries.summarize(Speaker.CALLER, caller, manifest.heads(),
        config.negativeThreshold());
    Optional<CallSummary> operatorSummary = Optional.empty();
    if (withOperator) {
      List<SegmentResult> operator = ordered.stream().filter(s -> s.speaker() == Speaker.OPERATOR).toList();
      operatorSummary = Optional.of(CallSummaries.summarize(Speaker.OPERATOR, operator, manifest.heads(),
          config.negativeThreshold()));
    }
    return new CallAnalysis(modelName, durationSeconds, ordered, callerSummary, operatorSummary);
  }

  /**
   * @throws TingxinException {@link ErrorCode#INTERRUPTED} if the current thread is interrupted; the flag
   *     stays set
   */
  static void checkInterrupted() {
    if (Thread.currentThread().isInterrupted()) {
      throw new TingxinException(ErrorCode.INTERRUPTED, "The analysis was interrupted (the thread's interrupt "
          + "flag is set and stays set); nothing was returned.");
    }
  }

  private void checkLength(double seconds, String what) {
    if (seconds > config.maxAudioSeconds()) {
      throw new TingxinException(ErrorCode.AUDIO_TOO_LONG, what + " lasts " + Math.round(seconds) + " s, more than "
          + "the limit of " + Math.round(config.maxAudioSeconds()) + " s; raise maxAudioSeconds on the builder or "
          + "feed the call through openStream().");
    }
  }

  private static int channelOf(ChannelSelection selection, Speaker speaker) {
    return switch (selection.mode()) {
      case DOWNMIX -> -1;
      case CHANNEL -> selection.caller();
      case CALLER_AND_OPERATOR -> speaker == Speaker.CALLER ? selection.caller() : selection.operator();
    };
  }

  /** Scored segments of one call. */
  private static final class Call {
    final List<SegmentResult> segments = new ArrayList<>();

    void add(List<SegmentResult> scored) {
      segments.addAll(scored);
    }
  }
}
