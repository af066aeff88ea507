package io.github.tingxin.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.github.tingxin.api.Audio;
import io.github.tingxin.api.AudioInput;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.EmotionStream;
import io.github.tingxin.api.LabelScore;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.StreamListener;
import io.github.tingxin.core.audio.Resampler;
import io.github.tingxin.core.audio.WavReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import javax.management.JMException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

/**
 * Live calls at hotline scale: {@code N} concurrent {@link EmotionStream}s on ONE shared recognizer, fed real
 * speech with pauses in 20 ms chunks at real-time pace. Not a JMH benchmark (a real-time run has no
 * iterations to repeat); one run per JVM, so that memory figures belong to one {@code N}. Public API only
 * (plus sentiment-core's WAV reader and resampler to make the calls). Run from the repository root (the
 * script {@code sentiment-bench/scripts/live-calls.sh} runs it for N = 50 ... 1000):
 * <pre>
 * java -Xms256m -Xmx2g -cp sentiment-bench/target/benchmarks.jar io.github.tingxin.bench.LiveCalls --calls 500 --seconds 600
 * </pre>
 *
 * <p><b>The calls.</b> The audio ({@code --audio}, default {@code examples/samples/sample-call.wav}: 49 s of
 * EmoDB speech with pauses, both voices) is resampled to {@code --rate} (8 kHz, telephone) and rotated into
 * {@code --variants} different calls. Call slot {@code i} of {@code N} starts at {@code i/N} of a call's
 * length (so segments do not all close at once) and runs calls back to back, each opening a new stream,
 * until {@code --seconds}; calls in progress then run to their end, so a run lasts at most
 * {@code --seconds} plus one call. Slot {@code i}'s call {@code c} plays variant {@code (i + c) % variants}.
 *
 * <p><b>The feeder</b> is not the bottleneck by construction: {@code --feeders} scheduler threads wake every
 * {@code --tick-ms} at absolute deadlines and only <em>release</em> each slot's chunks whose audio has
 * arrived by then (a counter per slot; no copy: the streams read the shared read-only call arrays). A pool
 * of {@code --workers} threads calls {@link EmotionStream#accept} (which scores and calls the listener, as
 * the API says), one slot at a time per slot, in order, at most 25 chunks per turn before yielding to other
 * slots. The feeder's own lateness is measured twice: when it wakes after its deadline, and when a chunk
 * is released after its audio's end.
 *
 * <p><b>Reported</b> (stdout, {@code key=value} lines and one Markdown table row):
 * <ul>
 *   <li>segment latency: end of the segment's speech (the wall time at which its last sample arrived in
 *   real time) to {@code onSegment}; it includes the pause that closes a turn, by design;</li>
 *   <li>processing delay: the chunk being accepted when the segment arrived, from its arrival to
 *   {@code onSegment} (queueing plus scoring, without the closing pause);</li>
 *   <li>segments: every segment the offline {@code analyze} of the same audio gives must reach the
 *   listener with the same start, end and scores (missing, extra, mismatched, late over {@code --late}),
 *   and each {@code finish()} must give as many;</li>
 *   <li>process CPU in cores, heap (used, and after the last collection), resident set (VmRSS, VmHWM) and
 *   the lag of the slowest slot behind real time, sampled every {@code --sample-ms};</li>
 *   <li>memory probes ({@code --memory-probes}) spread over the stretch with all N calls open: the live heap
 *   after {@code System.gc()}, and native memory (resident set after a glibc trim, less the committed heap
 *   and the JVM's non-heap pools). The live heap per call is the first probe's over the baseline before the
 *   first call; flat memory is the slope of both across the probes. The heap after the last collection is
 *   no measure of flatness: after G1's young collections it includes the old generation's garbage, which
 *   rises until a mixed collection (a saw tooth of 200-500 MB at 300 calls), so its slope depends on where
 *   the run ends in the tooth;</li>
 *   <li>the CPU one call costs (a stream fed as fast as possible before the run) and the number of calls
 *   that cost predicts the cores could hold.</li>
 * </ul>
 * A slot that lags real time by more than {@code --max-lag} seconds stops the run (reported as aborted):
 * the N did not hold, and waiting for the backlog would only take time. The verdict (exit status 0) is
 * HELD when the segment latency p99 is within {@code --late}, every call completed, every segment arrived
 * equal to the offline one, and nothing failed; otherwise NOT HELD (exit status 1).
 *
 * <p>Thread model: the main thread, {@code --feeders} feeders, {@code --workers} workers, one sampler.
 * Per-slot state is written by one worker at a time (the slot's {@code scheduled} flag hands it over) and
 * its release counter by one feeder.
 */
public final class LiveCalls {
  private LiveCalls() {}

  /** Run settings; see {@link #usage()}. */
  record Options(int calls, double seconds, String model, String device, Path audio, int rate, int variants, int chunkMs,
      int tickMs, int feeders, int workers, int threads, int batchSize, double lateSeconds, int sampleMs,
      double maxLagSeconds, double audioSeconds, int memoryProbes, Optional<Path> csv) {

    static Options parse(String[] args) {
      int calls = 100;
      double seconds = 600;
      String model = "default";
      String device = "cpu";
      Path audio = Path.of("examples/samples/sample-call.wav");
      int rate = 8000;
      int variants = 4;
      int chunkMs = 20;
      int tickMs = 5;
      int feeders = 2;
      int workers = Runtime.getRuntime().availableProcessors();
      int threads = 1;
      int batchSize = 0;
      double late = 1.5;
      int sampleMs = 1000;
      double maxLag = 60;
      double audioSeconds = 0;
      int memoryProbes = 4;
      Optional<Path> csv = Optional.empty();
      for (int i = 0; i < args.length; i++) {
        String key = args[i];
        if (key.equals("-h") || key.equals("--help")) {
          throw new IllegalArgumentException(usage());
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(key + " needs a value\n" + usage());
        }
        String v = args[++i];
        switch (key) {
          case "--calls" -> calls = Integer.parseInt(v);
          case "--seconds" -> seconds = Double.parseDouble(v);
          case "--model" -> model = v;
          case "--device" -> device = v;
          case "--audio" -> audio = Path.of(v);
          case "--rate" -> rate = Integer.parseInt(v);
          case "--variants" -> variants = Integer.parseInt(v);
          case "--chunk-ms" -> chunkMs = Integer.parseInt(v);
          case "--tick-ms" -> tickMs = Integer.parseInt(v);
          case "--feeders" -> feeders = Integer.parseInt(v);
          case "--workers" -> workers = Integer.parseInt(v);
          case "--threads" -> threads = Integer.parseInt(v);
          case "--batch-size" -> batchSize = Integer.parseInt(v);
          case "--late" -> late = Double.parseDouble(v);
          case "--sample-ms" -> sampleMs = Integer.parseInt(v);
          case "--max-lag" -> maxLag = Double.parseDouble(v);
          case "--audio-seconds" -> audioSeconds = Double.parseDouble(v);
          case "--memory-probes" -> memoryProbes = Integer.parseInt(v);
          case "--csv" -> csv = Optional.of(Path.of(v));
          default -> throw new IllegalArgumentException("unknown option " + key + "\n" + usage());
        }
      }
      Options o = new Options(calls, seconds, model, device, audio, rate, variants, chunkMs, tickMs, feeders, workers,
          threads, batchSize, late, sampleMs, maxLag, audioSeconds, memoryProbes, csv);
      o.check();
      return o;
    }

    private void check() {
      positive(calls, "--calls");
      positive(variants, "--variants");
      positive(chunkMs, "--chunk-ms");
      positive(tickMs, "--tick-ms");
      positive(feeders, "--feeders");
      positive(workers, "--workers");
      positive(rate, "--rate");
      positive(sampleMs, "--sample-ms");
      if (memoryProbes < 0) {
        throw new IllegalArgumentException("--memory-probes must be >= 0, was " + memoryProbes);
      }
      if (threads < 0 || batchSize < 0) {
        throw new IllegalArgumentException("--threads and --batch-size must be >= 0 (0: the recognizer's default)");
      }
      if (!(seconds > 0) || !(lateSeconds > 0) || !(maxLagSeconds > 0) || !(audioSeconds >= 0)) {
        throw new IllegalArgumentException("--seconds, --late and --max-lag must be > 0, --audio-seconds >= 0");
      }
    }

    private static void positive(int v, String name) {
      if (v < 1) {
        throw new IllegalArgumentException(name + " must be at least 1, was " + v);
      }
    }

    static String usage() {
      return """
          LiveCalls: N concurrent live streams on one shared recognizer, at real-time pace.
            --calls N           concurrent calls (100)
            --seconds S         keep starting calls for S seconds; calls in progress then end (600)
            --model M           default | a fixture name under fixtures/models | a package path (default)
            --device D          cpu | cuda (cuda fails where ONNX Runtime has no CUDA provider) (cpu)
            --audio FILE        WAV the calls are made of, first channel (examples/samples/sample-call.wav)
            --audio-seconds S   use only the first S seconds of it (0: all)
            --rate HZ           rate the calls arrive at (8000)
            --variants K        rotations of the audio, so calls differ (4)
            --chunk-ms MS       chunk length (20)
            --tick-ms MS        feeder wake-up period (5)
            --feeders F         feeder (scheduler) threads (2)
            --workers W         threads that call accept() (number of cores)
            --threads T         intra-op threads of the recognizer (1; 0 = backend's choice)
            --batch-size B      recognizer batch size (0: its default)
            --late S            a segment later than S seconds is late (1.5)
            --sample-ms MS      CPU/memory sampling period (1000)
            --max-lag S         stop the run when a slot lags real time by more than S seconds (60)
            --memory-probes K   K memory probes spread evenly over the stretch with every call open (4;
                                0: none). A probe runs System.gc() (the live heap), asks glibc to return
                                its free memory (System.trim_native_heap) and reads the resident set: the
                                live heap per call, and whether live heap and native memory stay flat.
                                Their pauses count in the latencies, like any GC's.
            --csv FILE          write the samples (time series) to FILE
          """;
    }
  }

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Report report;
    try {
      report = run(options, System.out);
    } catch (IllegalStateException | IllegalArgumentException e) {
      System.err.println(e.getMessage()); // e.g. "SKIPPED device=cuda ...", an audio file not found
      System.exit(2);
      return;
    }
    System.exit(report.held() ? 0 : 1);
  }

  /** What a run found; {@link #held()} is the verdict. */
  record Report(int calls, long expectedSegments, long deliveredSegments, long missingSegments,
      long extraSegments, long mismatchedSegments, long lateSegments, long completedCalls, long errors,
      boolean aborted, double maxScoreDifference, LatencyHistogram latency, LatencyHistogram processing,
      LatencyHistogram feederWake, LatencyHistogram feederRelease, double lateSeconds) {
    /**
     * The target: segment latency p99 within {@code lateSeconds}, every offline segment arrived and equal, no
     * error, not aborted.
     */
    boolean held() {
      return !aborted && errors == 0 && missingSegments == 0 && extraSegments == 0 && mismatchedSegments == 0
          && completedCalls > 0 && latency.percentileMicros(99) <= lateSeconds * 1e6;
    }
  }

  static Report run(Options o, PrintStream out) throws Exception {
    Path audioFile = BenchDevices.findUp(o.audio());
    Audio source = WavReader.read(audioFile).channel(0);
    if (source.sampleRate() != o.rate()) {
      source = Resampler.resample(source, o.rate());
    }
    float[] base = source.toArray();
    if (o.audioSeconds() > 0) {
      base = Arrays.copyOf(base, Math.min(base.length, (int) Math.round(o.audioSeconds() * o.rate())));
    }
    float[][] variants = new float[o.variants()][];
    for (int v = 0; v < variants.length; v++) {
      variants[v] = rotate(base, (int) ((long) v * base.length / variants.length));
    }
    EmotionRecognizer.Builder builder = EmotionRecognizer.builder().model(BenchDevices.model(o.model()))
        .device(BenchDevices.require(o.device())).threads(o.threads());
    if (o.batchSize() > 0) {
      builder.batchSize(o.batchSize());
    }
    try (EmotionRecognizer recognizer = builder.build()) {
      return new Run(o, recognizer, variants, out).execute();
    }
  }

  /** One run: its slots, threads and figures. */
  private static final class Run {
    final Options o;
    final EmotionRecognizer recognizer;
    final float[][] variants;
    final PrintStream out;
    final List<List<SegmentResult>> reference = new ArrayList<>();
    final int chunkLength;
    final int chunksPerCall;
    final long chunkNanos;
    final long callNanos;
    final Slot[] slots;
    final ThreadPoolExecutor workers;
    final CountDownLatch slotsDone;
    final AtomicBoolean abort = new AtomicBoolean();
    final AtomicReference<String> abortReason = new AtomicReference<>();
    final AtomicInteger activeCalls = new AtomicInteger();
    final AtomicLong completedCalls = new AtomicLong();
    final AtomicLong expected = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong missing = new AtomicLong();
    final AtomicLong extra = new AtomicLong();
    final AtomicLong mismatched = new AtomicLong();
    final AtomicLong late = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicReference<String> firstError = new AtomicReference<>();
    final AtomicLong maxScoreDiffBits = new AtomicLong(Double.doubleToLongBits(0));
    final LatencyHistogram latency = new LatencyHistogram();
    final LatencyHistogram floor = new LatencyHistogram();
    final LatencyHistogram processing = new LatencyHistogram();
    final LatencyHistogram feederWake = new LatencyHistogram();
    final LatencyHistogram feederRelease = new LatencyHistogram();
    final List<Sample> samples = new ArrayList<>();
    /** The memory probes taken so far (written by the sampler thread only, read after it has stopped). */
    final List<MemoryProbe> probes = new ArrayList<>();
    /** The memory probe before the first call (taken by the main thread before the sampler starts). */
    MemoryProbe baselineProbe;
    long t0;

    Run(Options o, EmotionRecognizer recognizer, float[][] variants, PrintStream out) {
      this.o = o;
      this.recognizer = recognizer;
      this.variants = variants;
      this.out = out;
      this.chunkLength = o.rate() * o.chunkMs() / 1000;
      if (chunkLength < 1 || o.rate() * o.chunkMs() % 1000 != 0) {
        throw new IllegalArgumentException("--chunk-ms " + o.chunkMs() + " is not a whole number of samples at "
            + o.rate() + " Hz");
      }
      this.chunksPerCall = (variants[0].length + chunkLength - 1) / chunkLength;
      this.chunkNanos = o.chunkMs() * 1_000_000L;
      this.callNanos = chunksPerCall * chunkNanos;
      this.slots = new Slot[o.calls()];
      this.slotsDone = new CountDownLatch(o.calls());
      // Each slot is queued at most once (its scheduled flag), so a bounded queue of N never refuses and,
      // unlike a linked queue, allocates nothing per task.
      this.workers = new ThreadPoolExecutor(o.workers(), o.workers(), 1, TimeUnit.MINUTES,
          new ArrayBlockingQueue<>(o.calls() + o.workers()), daemon("live-worker"));
    }

    Report execute() throws Exception {
      double callSeconds = variants[0].length / (double) o.rate();
      out.printf(Locale.ROOT, "live-calls calls=%d seconds=%.0f model=%s device=%s audio=%s rate=%d call_s=%.2f variants=%d "
              + "chunk_ms=%d tick_ms=%d feeders=%d workers=%d threads=%d batch_size=%s cores=%d load=%s%n",
          o.calls(), o.seconds(), o.model(), o.device(), o.audio(), o.rate(), callSeconds, o.variants(), o.chunkMs(),
          o.tickMs(), o.feeders(), o.workers(), o.threads(), o.batchSize() == 0 ? "default" : o.batchSize(),
          Runtime.getRuntime().availableProcessors(), loadAverage());

      // Offline reference of every variant; the same path also warms the JIT before the run.
      long cpu = processCpuNanos();
      long wall = System.nanoTime();
      int referenceSegments = 0;
      for (float[] v : variants) {
        CallAnalysis a = recognizer.analyze(AudioInput.of(Audio.of(v, o.rate())));
        reference.add(a.segments());
        referenceSegments += a.segments().size();
      }
      double offlineCpu = (processCpuNanos() - cpu) / 1e9;
      double offlineWall = (System.nanoTime() - wall) / 1e9;
      // Each variant through one stream fed as fast as possible: the CPU one live call costs per second of
      // audio, and the latency floor: how much audio after a segment's end the stream needs before it emits
      // the segment (the closing pause; the end of the call for the last one), with no time spent computing.
      double streamCpuPerSecond = 0;
      for (int round = 0; round < 2; round++) {
        cpu = processCpuNanos();
        for (int v = 0; v < variants.length; v++) {
          float[] call = variants[v];
          long[] fed = new long[1];
          boolean measure = round == 1;
          int n;
          try (EmotionStream s = recognizer.openStream(o.rate(), seg -> {
            if (measure) {
              floor.recordNanos(Math.round((fed[0] / (double) o.rate() - seg.end()) * 1e9));
            }
          })) {
            for (int at = 0; at < call.length; at += chunkLength) {
              int len = Math.min(chunkLength, call.length - at);
              fed[0] += len;
              s.accept(call, at, len);
            }
            n = s.finish().segments().size();
          }
          if (n != reference.get(v).size()) {
            throw new IllegalStateException("a stream gave " + n + " segments, offline analysis "
                + reference.get(v).size() + ": streaming does not equal offline");
          }
        }
        // the second (warm) round counts
        streamCpuPerSecond = (processCpuNanos() - cpu) / 1e9 / (callSeconds * variants.length);
      }
      out.printf(Locale.ROOT, "reference segments_per_call=%.1f offline_analyze_cpu_s_per_audio_s=%.5f "
              + "(%.2f s CPU, %.2f s wall for %d calls) stream_cpu_s_per_audio_s=%.5f "
              + "predicted_calls_per_core=%.0f%n",
          referenceSegments / (double) variants.length, offlineCpu / (callSeconds * variants.length), offlineCpu,
          offlineWall, variants.length, streamCpuPerSecond, 1 / streamCpuPerSecond);
      out.printf(Locale.ROOT, "latency_floor_s (audio a stream needs after a segment's end before emitting it; no "
          + "compute time) p50/p99/max = %s%n", floor.secondsSummary());

      HeapAfterGc.INSTANCE.bytes(); // listening from here on
      baselineProbe = MemoryProbe.take(0, 0);
      Thread.sleep(200); // collectors notify asynchronously
      Sample baseline = Sample.take(0, 0, 0, 0);
      t0 = System.nanoTime() + 200_000_000L;
      long runNanos = (long) (o.seconds() * 1e9);
      for (int i = 0; i < slots.length; i++) {
        long start = t0 + (long) i * callNanos / slots.length;
        int calls = (int) Math.max(1, (runNanos - (start - t0) + callNanos - 1) / callNanos);
        slots[i] = new Slot(this, i, start, calls);
      }
      List<Thread> feeders = new ArrayList<>();
      for (int f = 0; f < o.feeders(); f++) {
        List<Slot> mine = new ArrayList<>();
        for (int i = f; i < slots.length; i += o.feeders()) {
          mine.add(slots[i]);
        }
        Thread t = new Thread(new Feeder(this, mine.toArray(new Slot[0])), "live-feeder-" + f);
        t.setDaemon(true);
        t.setPriority(Thread.MAX_PRIORITY);
        feeders.add(t);
        t.start();
      }
      Thread sampler = new Thread(this::sample, "live-sampler");
      sampler.setDaemon(true);
      sampler.start();

      while (!slotsDone.await(200, TimeUnit.MILLISECONDS)) {
        if (abort.get()) {
          break;
        }
      }
      boolean aborted = slotsDone.getCount() > 0;
      abort.set(true); // stops the feeders, and the workers at their next chunk when the run was cut short
      for (Thread t : feeders) {
        t.join();
      }
      workers.shutdown();
      if (!workers.awaitTermination(2, TimeUnit.MINUTES)) {
        workers.shutdownNow();
      }
      sampler.interrupt();
      sampler.join();
      for (Slot s : slots) {
        s.closeQuietly();
      }
      double runSeconds = (System.nanoTime() - t0) / 1e9;
      Report r = new Report(o.calls(), expected.get(), delivered.get(), missing.get(), extra.get(), mismatched.get(),
          late.get(), completedCalls.get(), errors.get(), aborted,
          Double.longBitsToDouble(maxScoreDiffBits.get()), latency, processing, feederWake, feederRelease,
          o.lateSeconds());
      print(r, baseline, runSeconds, streamCpuPerSecond);
      return r;
    }

    /** Samples CPU, memory and lag until the run ends; stops the run when a slot lags more than --max-lag. */
    private void sample() {
      double callSeconds = callNanos / 1e9;
      // Every call is open from the ramp's end (one call length) to --seconds, or, in a run shorter than a
      // call, just before the first call ends.
      // Probes at (k + 1) / (K + 1) of that stretch, k = 0 .. K-1.
      double allOpenFrom = o.seconds() > callSeconds ? callSeconds : callSeconds * (1 - 1.0 / o.calls());
      double allOpenTo = o.seconds() > callSeconds ? o.seconds() : callSeconds;
      double[] probeAt = new double[o.memoryProbes()];
      for (int k = 0; k < probeAt.length; k++) {
        probeAt[k] = allOpenFrom + (allOpenTo - allOpenFrom) * (k + 1) / (probeAt.length + 1);
      }
      long cpu0 = processCpuNanos();
      long next = System.nanoTime();
      while (!Thread.currentThread().isInterrupted()) {
        next += o.sampleMs() * 1_000_000L;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
          if (Thread.currentThread().isInterrupted()) {
            break;
          }
        }
        long lagChunks = 0;
        for (Slot s : slots) {
          lagChunks = Math.max(lagChunks, s.released - s.processed);
        }
        double lag = lagChunks * o.chunkMs() / 1000.0;
        Sample s = Sample.take((System.nanoTime() - t0) / 1e9, processCpuNanos() - cpu0, activeCalls.get(), lag);
        synchronized (samples) {
          samples.add(s);
        }
        if (probes.size() < probeAt.length && s.seconds() >= probeAt[probes.size()]) {
          probes.add(MemoryProbe.take(s.seconds(), activeCalls.get()));
        }
        if (lag > o.maxLagSeconds() && abort.compareAndSet(false, true)) {
          abortReason.set(String.format(Locale.ROOT, "a slot lagged real time by %.1f s (> --max-lag %.0f) at "
              + "t=%.0f s", lag, o.maxLagSeconds(), s.seconds()));
        }
      }
    }

    void error(RuntimeException e) {
      errors.incrementAndGet();
      firstError.compareAndSet(null, e.toString());
    }

    void scoreDifference(double d) {
      maxScoreDiffBits.accumulateAndGet(Double.doubleToLongBits(d),
          (a, b) -> Double.longBitsToDouble(a) >= Double.longBitsToDouble(b) ? a : b);
    }

    private void print(Report r, Sample baseline, double runSeconds, double streamCpuPerSecond) throws IOException {
      List<Sample> all;
      synchronized (samples) {
        all = new ArrayList<>(samples);
      }
      if (o.csv().isPresent()) {
        try (PrintStream csv = new PrintStream(Files.newOutputStream(o.csv().get()), false, "UTF-8")) {
          csv.println("seconds,cores,heap_used_mb,heap_after_last_gc_mb,rss_mb,hwm_mb,active_calls,max_lag_s,gc_ms");
          Sample prev = null;
          for (Sample s : all) {
            csv.printf(Locale.ROOT, "%.1f,%.3f,%.1f,%.1f,%.1f,%.1f,%d,%.2f,%d%n", s.seconds(), s.coresSince(prev),
                s.heapUsedMb(), s.heapLiveMb(), s.rssMb(), s.hwmMb(), s.activeCalls(), s.lagSeconds(), s.gcMillis());
            prev = s;
          }
        }
      }
      // Steady stretch: every call open (after the ramp, before the last calls end). Slopes use its second
      // half, after the heap has grown to its working size.
      List<Sample> steady = all.stream().filter(s -> s.activeCalls() == o.calls()).toList();
      List<Sample> window = steady.size() >= 2 ? steady : all;
      List<Sample> late = window.subList(window.size() / 2, window.size());
      double cores = 0;
      if (window.size() >= 2) {
        Sample a = window.get(0);
        Sample b = window.get(window.size() - 1);
        cores = (b.cpuNanos() - a.cpuNanos()) / 1e9 / (b.seconds() - a.seconds());
      }
      Sample last = all.isEmpty() ? baseline : all.get(all.size() - 1);
      double wholeCores = last.seconds() > 0 ? last.cpuNanos() / 1e9 / last.seconds() : 0;
      double rssSteady = median(window.stream().mapToDouble(Sample::rssMb).toArray());
      double rssMax = all.stream().mapToDouble(Sample::rssMb).max().orElse(0);
      double heapMax = all.stream().mapToDouble(Sample::heapUsedMb).max().orElse(0);
      double lagMax = all.stream().mapToDouble(Sample::lagSeconds).max().orElse(0);
      double rssSlope = slopePerMinute(late, Sample::rssMb);
      MemoryProbe base = baselineProbe;
      List<MemoryProbe> full = probes.stream().filter(p -> p.calls() == o.calls()).toList();
      MemoryProbe first = full.isEmpty() ? null : full.get(0);
      double heapPerCall = first == null ? Double.NaN : (first.liveHeapMb() - base.liveHeapMb()) * 1024 / o.calls();
      double liveSlope = MemoryProbe.slopePerMinute(full, MemoryProbe::liveHeapMb);
      double nativeSlope = MemoryProbe.slopePerMinute(full, MemoryProbe::nativeMb);
      double rssPerCall = (rssSteady - baseline.rssMb()) * 1024 / o.calls();

      out.printf(Locale.ROOT, "run wall_s=%.1f calls_completed=%d aborted=%s%s errors=%d%s load=%s%n", runSeconds,
          r.completedCalls(), r.aborted(), r.aborted() ? " (" + abortReason.get() + ")" : "", r.errors(),
          r.errors() > 0 ? " first_error=" + firstError.get() : "", loadAverage());
      out.printf(Locale.ROOT, "segments expected=%d delivered=%d missing=%d extra=%d mismatched=%d "
              + "late_over_%.1fs=%d max_score_diff=%.2e%s%n", r.expectedSegments(), r.deliveredSegments(),
          r.missingSegments(), r.extraSegments(), r.mismatchedSegments(), o.lateSeconds(), r.lateSegments(),
          r.maxScoreDifference(), r.aborted() ? " (aborted: calls still open had "
              + (r.expectedSegments() - r.deliveredSegments() - r.missingSegments()) + " segments to come)" : "");
      out.printf(Locale.ROOT, "latency_s (end of speech -> onSegment) p50/p99/max = %s (n=%d)%n",
          latency.secondsSummary(), latency.count());
      out.printf(Locale.ROOT, "processing_s (chunk arrived -> onSegment) p50/p99/max = %s%n",
          processing.secondsSummary());
      out.printf(Locale.ROOT, "feeder_ms wake_late p50/p99/max = %s; chunk_release_late p50/p99/max = %s "
              + "(tick %d ms)%n", feederWake.millisSummary(), feederRelease.millisSummary(), o.tickMs());
      out.printf(Locale.ROOT, "cpu cores_steady=%.2f cores_whole_run=%.2f stream_cpu_predicts=%.2f gc_ms=%d%n",
          cores, wholeCores, o.calls() * streamCpuPerSecond, last.gcMillis() - baseline.gcMillis());
      out.printf(Locale.ROOT, "memory_mb rss_baseline=%.0f rss_steady_median=%.0f rss_max=%.0f hwm=%.0f "
              + "heap_used_max=%.0f rss_slope_mb_per_min=%.2f (second half of the %d samples with every call "
              + "open)%n", baseline.rssMb(), rssSteady, rssMax, last.hwmMb(), heapMax, rssSlope, steady.size());
      out.printf(Locale.ROOT, "memory_probes (System.gc(), then glibc trim, then RSS; native = RSS - heap committed "
          + "- JVM non-heap committed) baseline: %s%n", base);
      for (MemoryProbe p : probes) {
        out.printf(Locale.ROOT, "memory_probe %s%n", p);
      }
      out.printf(Locale.ROOT, "flat_memory live_heap_slope_mb_per_min=%.2f native_slope_mb_per_min=%.2f (over the %d "
          + "probes with every call open)%n", liveSlope, nativeSlope, full.size());
      out.printf(Locale.ROOT, "per_call_kb heap_live=%.0f (first probe with every call open, over the baseline) "
              + "rss_growth=%.0f (includes the heap growing to its working size: an upper bound)%n", heapPerCall,
          rssPerCall);
      out.printf(Locale.ROOT, "max_lag_s=%.2f verdict=%s%n", lagMax, r.held() ? "HELD" : "NOT HELD");
      out.println("| calls | latency s p50 / p99 / max | processing s p50 / p99 / max | segments delivered / "
          + "expected | late | wrong | cores | RSS MB steady / HWM | heap MB max | per call kB heap / RSS | "
          + "live heap / native MB/min | feeder release ms p50 / p99 / max | max lag s | verdict |");
      out.printf(Locale.ROOT, "| %d | %s | %s | %d / %d | %d | %d | %.2f | %.0f / %.0f | %.0f | %.0f / %.0f | %.1f / %.1f | "
              + "%s | %.1f | %s |%n",
          o.calls(), latency.secondsSummary(), processing.secondsSummary(), r.deliveredSegments(),
          r.expectedSegments(), r.lateSegments(), r.missingSegments() + r.extraSegments() + r.mismatchedSegments(),
          cores, rssSteady, last.hwmMb(), heapMax, heapPerCall, rssPerCall, liveSlope, nativeSlope, feederRelease.millisSummary(),
          lagMax, r.held() ? "held" : r.aborted() ? "aborted" : "not held");
    }
  }

  /** One call slot: its calls one after another, each a new stream; the listener of its current call. */
  private static final class Slot implements Runnable, StreamListener {
    private static final int CHUNKS_PER_TURN = 25;

    final Run run;
    final int index;
    final long startNanos;
    final long totalChunks;
    final AtomicBoolean scheduled = new AtomicBoolean();
    /** Chunks whose audio has arrived (written by the slot's feeder). */
    volatile long released;
    /** Chunks accepted (written by the worker holding the slot). */
    volatile long processed;
    // Written and read by the worker holding the slot (handed over through `scheduled`).
    private EmotionStream stream;
    private float[] audio;
    private List<SegmentResult> expected;
    private long callStartNanos;
    private long chunkDeadlineNanos;
    private int deliveredThisCall;
    private boolean failed;

    Slot(Run run, int index, long startNanos, int calls) {
      this.run = run;
      this.index = index;
      this.startNanos = startNanos;
      this.totalChunks = (long) calls * run.chunksPerCall;
    }

    /** Called by the feeder: chunks up to {@code count} have arrived. */
    void release(long count) {
      released = count;
      if (scheduled.compareAndSet(false, true)) {
        run.workers.execute(this);
      }
    }

    @Override
    public void run() {
      try {
        for (int turn = 0; turn < CHUNKS_PER_TURN && processed < released && !run.abort.get(); turn++) {
          step();
        }
      } finally {
        scheduled.set(false);
      }
      if (processed < released && !run.abort.get() && scheduled.compareAndSet(false, true)) {
        try {
          run.workers.execute(this);
        } catch (RejectedExecutionException e) {
          scheduled.set(false); // the run was stopped while this slot was working: nothing more to do
        }
      }
    }

    private void step() {
      long j = processed;
      int call = (int) (j / run.chunksPerCall);
      int within = (int) (j % run.chunksPerCall);
      if (!failed) {
        try {
          if (within == 0) {
            open(call);
          }
          chunkDeadlineNanos = startNanos + (j + 1) * run.chunkNanos;
          int from = within * run.chunkLength;
          stream.accept(audio, from, Math.min(run.chunkLength, audio.length - from));
          if (within == run.chunksPerCall - 1) {
            finish();
          }
        } catch (RuntimeException e) {
          run.error(e);
          failed = true;
          closeQuietly();
        }
      }
      processed = j + 1;
      if (within == run.chunksPerCall - 1) {
        failed = false; // the next call starts afresh
      }
      if (processed == totalChunks) {
        run.slotsDone.countDown();
      }
    }

    private void open(int call) {
      int variant = (index + call) % run.variants.length;
      audio = run.variants[variant];
      expected = run.reference.get(variant);
      callStartNanos = startNanos + call * run.callNanos;
      deliveredThisCall = 0;
      stream = run.recognizer.openStream(run.o.rate(), this);
      run.expected.addAndGet(expected.size());
      run.activeCalls.incrementAndGet();
    }

    private void finish() {
      CallAnalysis analysis = stream.finish();
      stream.close();
      stream = null;
      run.activeCalls.decrementAndGet();
      if (deliveredThisCall < expected.size()) {
        run.missing.addAndGet(expected.size() - deliveredThisCall);
      }
      if (analysis.segments().size() != expected.size()) {
        run.mismatched.incrementAndGet();
      }
      run.completedCalls.incrementAndGet();
    }

    void closeQuietly() {
      if (stream != null) {
        stream.close();
        stream = null;
        run.activeCalls.decrementAndGet();
      }
    }

    @Override
    public void onSegment(SegmentResult s) {
      long now = System.nanoTime();
      long latency = now - (callStartNanos + Math.round(s.end() * 1e9));
      run.latency.recordNanos(latency);
      run.processing.recordNanos(now - chunkDeadlineNanos);
      if (latency > run.o.lateSeconds() * 1e9) {
        run.late.incrementAndGet();
      }
      run.delivered.incrementAndGet();
      deliveredThisCall++;
      if (s.index() >= expected.size()) {
        run.extra.incrementAndGet();
        return;
      }
      SegmentResult want = expected.get(s.index());
      double diff = scoreDifference(want, s);
      run.scoreDifference(diff);
      if (Math.abs(want.start() - s.start()) > 1e-9 || Math.abs(want.end() - s.end()) > 1e-9 || diff > 1e-4) {
        run.mismatched.incrementAndGet();
      }
    }

    private static double scoreDifference(SegmentResult a, SegmentResult b) {
      if (a.scores().size() != b.scores().size()) {
        return Double.POSITIVE_INFINITY;
      }
      double max = 0;
      for (int k = 0; k < a.scores().size(); k++) {
        LabelScore x = a.scores().get(k);
        LabelScore y = b.scores().get(k);
        max = Math.max(max, Math.abs(x.score() - y.score()));
      }
      return max;
    }
  }

  /** Releases each of its slots' chunks once their audio has arrived, waking every tick at absolute deadlines. */
  private record Feeder(Run owner, Slot[] mine) implements Runnable {
    @Override
    public void run() {
      long tick = owner.o.tickMs() * 1_000_000L;
      long k = 1;
      int unfinished = mine.length;
      while (unfinished > 0 && !owner.abort.get()) {
        long deadline = owner.t0 + k * tick;
        long now;
        while ((now = System.nanoTime()) < deadline) {
          LockSupport.parkNanos(deadline - now);
        }
        owner.feederWake.recordNanos(now - deadline);
        unfinished = 0;
        for (Slot s : mine) {
          long arrived = now < s.startNanos ? 0 : Math.min(s.totalChunks, (now - s.startNanos) / owner.chunkNanos);
          if (arrived > s.released) {
            long firstNewEnd = s.startNanos + (s.released + 1) * owner.chunkNanos;
            s.release(arrived);
            owner.feederRelease.recordNanos(System.nanoTime() - firstNewEnd);
          }
          if (s.released < s.totalChunks) {
            unfinished++;
          }
        }
        // Behind by more than a tick: the next deadline is the first one still ahead (no burst of catch-ups).
        k = Math.max(k + 1, (System.nanoTime() - owner.t0) / tick + 1);
      }
    }
  }

  /**
   * One memory probe: {@code System.gc()} (the heap in use after it is the live heap), then glibc is asked to
   * return its free memory ({@code System.trim_native_heap}, as sentiment-onnx's LongRunProbe does: freed
   * compiler arenas and ONNX Runtime buffers would otherwise stay resident in malloc's free lists), then the
   * resident set. Native memory is what the resident set holds beyond the heap and the JVM's non-heap pools
   * as committed: meaningful where the heap is pre-touched ({@code -XX:+AlwaysPreTouch}, as live-calls.sh
   * runs it), since otherwise committed heap pages need not be resident.
   */
  record MemoryProbe(double seconds, int calls, double liveHeapMb, double rssMb, double heapCommittedMb,
      double jvmNonHeapMb, double pauseMs) {
    static MemoryProbe take(double seconds, int calls) {
      long g0 = System.nanoTime();
      System.gc();
      double pauseMs = (System.nanoTime() - g0) / 1e6;
      long live = heapUsedBytes();
      trimNativeHeap();
      long heapCommitted = 0;
      long nonHeap = 0;
      for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
        if (p.getType() == MemoryType.HEAP) {
          heapCommitted += p.getUsage().getCommitted();
        } else {
          nonHeap += p.getUsage().getCommitted();
        }
      }
      return new MemoryProbe(seconds, calls, live / 1048576.0, status("VmRSS") / 1024.0, heapCommitted / 1048576.0,
          nonHeap / 1048576.0, pauseMs);
    }

    double nativeMb() {
      return rssMb - heapCommittedMb - jvmNonHeapMb;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "t_s=%.0f calls=%d live_heap_mb=%.1f rss_mb=%.1f heap_committed_mb=%.1f "
          + "jvm_non_heap_mb=%.1f native_mb=%.1f gc_pause_ms=%.0f", seconds, calls, liveHeapMb, rssMb,
          heapCommittedMb, jvmNonHeapMb, nativeMb(), pauseMs);
    }

    /** Least-squares slope of {@code f} against time, per minute; 0 with fewer than two probes. */
    static double slopePerMinute(List<MemoryProbe> probes, java.util.function.ToDoubleFunction<MemoryProbe> f) {
      return LiveCalls.slopePerMinute(probes, MemoryProbe::seconds, f);
    }

    private static void trimNativeHeap() {
      try {
        ManagementFactory.getPlatformMBeanServer().invoke(
            new ObjectName("com.sun.management:type=DiagnosticCommand"), "systemTrimNativeHeap",
            new Object[] {null}, new String[] {String[].class.getName()});
      } catch (JMException e) {
        throw new IllegalStateException("System.trim_native_heap is not available in this JVM", e);
      }
    }
  }

  /** One sample of the process: CPU, memory, calls and lag. */
  private record Sample(double seconds, long cpuNanos, double heapUsedMb, double heapLiveMb, double rssMb,
      double hwmMb, int activeCalls, double lagSeconds, long gcMillis) {

    static Sample take(double seconds, long cpuNanos, int activeCalls, double lagSeconds) {
      long used = heapUsedBytes();
      long live = HeapAfterGc.INSTANCE.bytes();
      if (live < 0) {
        live = used; // no collection yet
      }
      long gc = 0;
      for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
        gc += Math.max(0, b.getCollectionTime());
      }
      return new Sample(seconds, cpuNanos, used / 1048576.0, live / 1048576.0, status("VmRSS") / 1024.0,
          status("VmHWM") / 1024.0, activeCalls, lagSeconds, gc);
    }

    double coresSince(Sample prev) {
      return prev == null ? cpuNanos / 1e9 / Math.max(seconds, 1e-9)
          : (cpuNanos - prev.cpuNanos) / 1e9 / (seconds - prev.seconds);
    }
  }

  /**
   * The heap in use right after the latest garbage collection (any collector, young ones included), from the
   * collectors' notifications: the live heap, which the pools' own after-collection figures do not give for
   * G1's old generation after a young collection.
   */
  private static final class HeapAfterGc implements NotificationListener {
    static final HeapAfterGc INSTANCE = new HeapAfterGc();
    private final Set<String> heapPools = new HashSet<>();
    private volatile long bytes = -1;

    private HeapAfterGc() {
      for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
        if (p.getType() == MemoryType.HEAP) {
          heapPools.add(p.getName());
        }
      }
      for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (b instanceof NotificationEmitter e) {
          e.addNotificationListener(this, null, null);
        }
      }
    }

    long bytes() {
      return bytes;
    }

    @Override
    public void handleNotification(Notification n, Object handback) {
      if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
        return;
      }
      GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
      long sum = 0;
      for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
        if (heapPools.contains(e.getKey())) {
          sum += e.getValue().getUsed();
        }
      }
      bytes = sum;
    }
  }

  /** Least-squares slope of {@code f} against time, per minute; 0 with fewer than two samples. */
  private static double slopePerMinute(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> f) {
    return slopePerMinute(samples, Sample::seconds, f);
  }

  private static <T> double slopePerMinute(List<T> points, java.util.function.ToDoubleFunction<T> time,
      java.util.function.ToDoubleFunction<T> f) {
    int n = points.size();
    if (n < 2) {
      return 0;
    }
    double mt = 0;
    double mv = 0;
    for (T p : points) {
      mt += time.applyAsDouble(p);
      mv += f.applyAsDouble(p);
    }
    mt /= n;
    mv /= n;
    double num = 0;
    double den = 0;
    for (T p : points) {
      double dt = time.applyAsDouble(p) - mt;
      num += dt * (f.applyAsDouble(p) - mv);
      den += dt * dt;
    }
    return den == 0 ? 0 : 60 * num / den;
  }

  private static double median(double[] v) {
    if (v.length == 0) {
      return 0;
    }
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static float[] rotate(float[] x, int by) {
    float[] y = new float[x.length];
    System.arraycopy(x, by, y, 0, x.length - by);
    System.arraycopy(x, 0, y, x.length - by, by);
    return y;
  }

  private static long heapUsedBytes() {
    long used = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        used += p.getUsage().getUsed();
      }
    }
    return used;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + "," + f[1] + "," + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static long status(String field) {
    try {
      return MemoryProfile.status(field);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.getAndIncrement());
      t.setDaemon(true);
      return t;
    };
  }
}
