package io.github.tingxin.core.recognizer;

import io.github.tingxin.api.Audio;
import io.github.tingxin.api.AudioFormat;
import io.github.tingxin.api.AudioInput;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.CallSummary;
import io.github.tingxin.api.ChannelSelection;
import io.github.tingxin.api.Device;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.EmotionStream;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ProsodicCues;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.Speaker;
import io.github.tingxin.api.StreamListener;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.core.audio.ChannelSelector;
import io.github.tingxin.core.audio.Resampler;
import io.github.tingxin.core.audio.WavReader;
import io.github.tingxin.core.model.ScoreDecoder;
import io.github.tingxin.core.prosody.ProsodicFeatures;
import io.github.tingxin.core.segment.StreamingSegmenter;
import io.github.tingxin.spi.InferenceSession;
import io.github.tingxin.spi.RegionTuning;
import io.github.tingxin.spi.VoiceActivityDetector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The recognizer behind {@link EmotionRecognizer#builder()}.
 *
 * <p><b>Offline analysis.</b> One loop for every input: a WAV input is read in blocks (never decoded whole),
 * decoded audio is copied out block by block, and the blocks go through a {@link CallRun}, the same class
 * live streams feed: each analysed channel (the caller's; also the operator's for
 * {@link ChannelSelection.Mode#CALLER_AND_OPERATOR}) goes through its own {@link SpeakerPipeline}: streaming
 * resampler to the model's rate, voice activity detection, the {@link StreamingSegmenter}. Closed segments
 * are scored in batches, sorted by length and padded to the longest of each batch, as they pile up: the
 * batches go to the {@link StreamBatcher}'s scoring threads while this thread reads on, so memory stays
 * bounded by a block, the open segments, the scoring queue and the results. Every stretch of speech is scored, short ones by the model's short-input rule
 * ({@link SegmentScorer}). Outcomes:
 * <ul>
 *   <li>a recording with no samples: {@link ErrorCode#EMPTY_AUDIO};</li>
 *   <li>a recording with no speech (nothing the detector calls speech for at least the floor,
 *   {@link ModelManifest.SegmentLimits#FLOOR_SECONDS}): an analysis with no segments and empty figures;</li>
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
  private final StreamBatcher batcher;
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
    int scoringThreads = scoringThreads(config);
    this.batcher = new StreamBatcher(this::score, config.batchSize(),
        Math.max(64, 8 * config.batchSize() * scoringThreads), scoringThreads, "tingxin-scoring");
  }

  /**
   * Threads that score segments (of live streams and analyses): one on a GPU (batches keep it busy) or where
   * each inference may use every core (threads 0); else as many as the cores hold inferences of
   * {@code threads} threads.
   */
  static int scoringThreads(RecognizerConfig config) {
    if (config.device().type() != Device.Type.CPU || config.intraOpThreads() == 0) {
      return 1;
    }
    return Math.max(1, Runtime.getRuntime().availableProcessors() / config.intraOpThreads());
  }

  @Override
  public CallAnalysis analyze(AudioInput input) {
    Objects.requireNonNull(input, "input");
    enter();
    try {
      checkInterrupted();
      if (input.audio().isPresent()) {
        return analyze(SampleSource.of(input.audio().get()), input.channels(), "The audio");
      }
      WavReader.Options options = WavReader.Options.DEFAULT.withMaxSeconds(config.maxAudioSeconds());
      try (WavReader reader = input.file().isPresent() ? WavReader.open(input.file().get(), options)
          : WavReader.open(input.stream().orElseThrow(), options)) {
        return analyze(SampleSource.of(reader), input.channels(), input.describe());
      }
    } finally {
      exit();
    }
  }

  /** The one offline analysis loop: blocks from the source through a {@link CallRun}. */
  private CallAnalysis analyze(SampleSource source, ChannelSelection selection, String what) {
    ChannelSelector.check(selection, source.channels());
    if (source.frames() == 0) {
      throw new TingxinException(ErrorCode.EMPTY_AUDIO, what + " has no samples; nothing to analyse.");
    }
    if (source.frames() > 0) {
      checkLength(source.frames() / (double) source.sampleRate(), what);
    }
    OfflineScoring scoring = new OfflineScoring();
    CallRun run = new CallRun(this, source.sampleRate(), source.channels(), selection, scoreEvery, scoring);
    try {
      // Sized by the reader's byte buffer, not by a header's channel count times a fixed block.
      int blockFrames = Math.min(READ_BLOCK, source.blockFrames());
      float[][] block = new float[source.channels()][blockFrames];
      while (true) {
        checkInterrupted();
        int n = source.read(block, blockFrames);
        if (n < 0) {
          break;
        }
        run.accept(block, 0, n);
      }
      if (run.frames() == 0) {
        throw new TingxinException(ErrorCode.EMPTY_AUDIO, what + " has no samples; nothing to analyse.");
      }
      run.finish();
      return analysis(run.frames() / (double) source.sampleRate(), scoring.all(), run.withOperator());
    } finally {
      scoring.cancel(); // nothing left on success; after a failure, batches not yet scored are skipped
    }
  }

  /**
   * How an offline analysis scores: each group of closed segments goes to the {@link StreamBatcher} as the
   * batches {@link SegmentScorer#batches} makes of it, each a request scored alone (so the answer never
   * depends on other calls), while the analysis reads and segments on; results are taken in order as they
   * come, so finished segments' audio is not kept. Not thread-safe: one analysis.
   */
  private final class OfflineScoring implements CallRun.Handoff {
    private final ArrayDeque<StreamBatcher.Request> waiting = new ArrayDeque<>();
    private final List<SegmentResult> scored = new ArrayList<>();

    @Override
    public void take(List<float[]> clips, List<Span> spans) {
      for (int[] batch : scorer.batches(clips)) {
        List<float[]> c = new ArrayList<>(batch.length);
        List<Span> s = new ArrayList<>(batch.length);
        for (int i : batch) {
          c.add(clips.get(i));
          s.add(spans.get(i));
        }
        waiting.add(batcher.submit(c, s, true));
      }
      while (!waiting.isEmpty() && waiting.peek().result.isDone()) {
        scored.addAll(await(waiting.poll()));
      }
    }

    /** Every segment, waiting for those not scored yet. */
    List<SegmentResult> all() {
      while (!waiting.isEmpty()) {
        scored.addAll(await(waiting.poll()));
      }
      return scored;
    }

    void cancel() {
      for (StreamBatcher.Request r : waiting) {
        r.cancel();
      }
      waiting.clear();
    }
  }

  /**
   * A request's results, waiting for them.
   *
   * @throws TingxinException {@link ErrorCode#INTERRUPTED} if the thread is interrupted while it waits (the
   *     flag stays set); what the scoring threw, as thrown
   */
  private static List<SegmentResult> await(StreamBatcher.Request r) {
    try {
      return r.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      checkInterrupted(); // throws, the flag set
      throw new AssertionError(e);
    }
  }

  @Override
  public List<SegmentResult> score(List<Audio> clips) {
    Objects.requireNonNull(clips, "clips");
    enter();
    try {
      List<float[]> resampled = new ArrayList<>(clips.size());
      List<Span> spans = new ArrayList<>(clips.size());
      for (int i = 0; i < clips.size(); i++) {
        checkInterrupted();
        Audio clip = Objects.requireNonNull(clips.get(i), "clips[" + i + "]");
        if (clip.isEmpty()) {
          throw new TingxinException(ErrorCode.EMPTY_AUDIO, "Clip " + i + " has no samples; every clip needs audio.");
        }
        Audio atModelRate = Resampler.resample(clip, manifest.sampleRate());
        if (atModelRate.length() < scorer.floorSamples()) {
          throw new TingxinException(ErrorCode.EMPTY_AUDIO, "Clip " + i + " (" + clip + ") is shorter than "
              + scorer.floorSamples() * 1000 / manifest.sampleRate() + " ms, too short for model " + manifest.name()
              + " to score at all; give clips of at least that length.");
        }
        resampled.add(atModelRate.toArray());
        spans.add(new Span(i, 0, clip.durationSeconds(), Speaker.CALLER, -1, 0));
      }
      return List.copyOf(score(resampled, spans));
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
   * Waits for calls in progress, then stops the scoring threads of live streams (segments still queued are
   * dropped: their streams can no longer be fed), then closes the inference session and the voice activity
   * detector. Idempotent; a second caller waits for the first to finish.
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
        batcher.shutdown(); // no stream call is in progress; batches being scored finish first
      } finally {
        try {
          session.close();
        } finally {
          vad.close();
        }
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

  /** Where live streams queue their closed segments for scoring. */
  StreamBatcher batcher() {
    return batcher;
  }

  SpeakerPipeline pipeline(int inputRate) {
    return new SpeakerPipeline(inputRate, manifest.sampleRate(), vad, regions, segmentOptions);
  }

  /**
   * Where a scored clip belongs in its call.
   *
   * @param index the segment's index among its speaker's
   * @param start start of its span, seconds
   * @param end end of its span, seconds
   * @param context samples at the start of its clip that are context before the span, not the span's own
   */
  record Span(int index, double start, double end, Speaker speaker, int channel, int context) {}

  /**
   * Scores clips at the model's rate (by the model's short-input rule) into the results for their spans,
   * with each span's {@link ProsodicCues} where the settings ask for them (measured on the span alone).
   * Every path to the model, offline, live and {@link #score(List)}, goes through here.
   */
  List<SegmentResult> score(List<float[]> clips, List<Span> spans) {
    List<ScoreDecoder.Decoded> decoded = scorer.score(clips);
    List<SegmentResult> out = new ArrayList<>(clips.size());
    for (int i = 0; i < clips.size(); i++) {
      Span span = spans.get(i);
      float[] clip = clips.get(i);
      ScoreDecoder.Decoded d = decoded.get(i);
      Optional<ProsodicCues> prosody = config.settings().prosody()
          ? ProsodicFeatures.cues(clip, span.context(), clip.length - span.context(), manifest.sampleRate())
          : Optional.empty();
      out.add(new SegmentResult(span.index(), span.start(), span.end(), span.speaker(), span.channel(), d.scores(),
          d.negativeProbability(), scorer.isShort(clip.length), prosody));
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

  /** Where offline audio comes from, block by block: a WAV reader or decoded audio. */
  private interface SampleSource {
    int channels();

    int sampleRate();

    /** Frames the source declares, or -1 where it does not say. */
    long frames();

    /** The most frames a block should hold (a WAV reader's: its byte buffer over the frame width). */
    int blockFrames();

    /** Reads up to {@code max} frames into {@code block[c][0...]}; -1 at the end. */
    int read(float[][] block, int max);

    static SampleSource of(WavReader reader) {
      AudioFormat format = reader.format();
      return new SampleSource() {
        @Override public int channels() { return format.channels(); }
        @Override public int sampleRate() { return format.sampleRate(); }
        @Override public long frames() { return format.frames(); }
        @Override public int blockFrames() { return reader.blockFrames(); }
        @Override public int read(float[][] block, int max) { return reader.read(block, 0, max); }
      };
    }

    static SampleSource of(Audio audio) {
      return new SampleSource() {
        private int position;

        @Override public int channels() { return 1; }
        @Override public int sampleRate() { return audio.sampleRate(); }
        @Override public long frames() { return audio.length(); }
        @Override public int blockFrames() { return READ_BLOCK; }

        @Override
        public int read(float[][] block, int max) {
          int n = Math.min(max, audio.length() - position);
          if (n <= 0) {
            return -1;
          }
          audio.copyTo(position, block[0], 0, n);
          position += n;
          return n;
        }
      };
    }
  }
}
