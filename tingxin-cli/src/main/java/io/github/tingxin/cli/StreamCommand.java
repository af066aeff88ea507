package io.github.tingxin.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.github.tingxin.api.Alert;
import io.github.tingxin.api.CallAnalysis;
import io.github.tingxin.api.EmotionRecognizer;
import io.github.tingxin.api.EmotionStream;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.RecognizerSettings;
import io.github.tingxin.api.SegmentResult;
import io.github.tingxin.api.StreamListener;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.api.AudioFormat;
import io.github.tingxin.api.ChannelSelection;
import io.github.tingxin.api.Speaker;
import io.github.tingxin.core.audio.ChannelSelector;
import io.github.tingxin.core.audio.PcmDecoder;
import io.github.tingxin.core.audio.PcmEncoding;
import io.github.tingxin.core.audio.SampleReader;
import io.github.tingxin.core.audio.WavReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tingxin stream}: a live call on standard input, results as segments close. */
@Command(name = "stream", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Analyse a live call from standard input (WAV, or raw samples with --raw): print each segment"
        + " as it closes, alerts as they are raised, and the summary when the input ends."},
    footer = {"", "Examples:",
        "  tingxin stream < call.wav",
        "  arecord -q -f S16_LE -r 8000 -c 1 -t raw | tingxin stream --raw --rate 8000 --encoding s16le",
        "  sox call.wav -t raw -e mu-law -r 8000 -c 1 - | tingxin stream --raw --rate 8000 --encoding mulaw --json", ""})
final class StreamCommand implements Callable<Integer> {
  /** Audio fed per call to the stream: 100 ms, so results lag the input by at most that much. */
  static final double CHUNK_SECONDS = 0.1;

  @ParentCommand TingxinCommand root;
  @Spec CommandSpec spec;
  @Mixin GlobalOptions global;
  @Mixin ModelOption model;
  @Mixin ChannelOption channelOption;
  @Mixin RecognizerOptions.Device device;
  @Mixin RecognizerOptions.Inference inference;
  @Mixin RecognizerOptions.Segments segments;
  @Mixin RecognizerOptions.Prosody prosody;

  @Option(names = "--raw", description = "Standard input holds raw interleaved samples, no header (needs --rate).")
  boolean raw;

  @Option(names = "--rate", paramLabel = "HZ", description = "With --raw: sample rate of the input, in hertz.")
  Integer rate;

  @Option(names = "--encoding", paramLabel = "ENC",
      description = "With --raw: s16le (default), mulaw, alaw, f32le (also u8, s24le, s32le, f64le).")
  String encoding;

  @Option(names = "--channels", paramLabel = "N",
      description = "With --raw: interleaved channels in the input (default: 1).")
  Integer channels;

  @Option(names = "--alert", paramLabel = "P,SECONDS,WINDOW",
      description = {"Raise an alert when at least SECONDS of speech within the last WINDOW seconds has negative"
          + " probability >= P.", "Default: 0.8,20,120."})
  String alert;

  @Option(names = "--json", description = "JSON Lines: one object per segment, alert and (last) summary.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    if (!raw && (rate != null || channels != null || encoding != null)) {
      throw new TingxinException(ErrorCode.INVALID_OPTION,
          "--rate, --encoding and --channels describe raw input; add --raw (a WAV header gives them itself)");
    }
    if (raw && rate == null) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "--raw needs --rate, the input's sample rate in hertz");
    }
    ChannelSelection selection = channelOption.oneParty("stream");
    RecognizerSettings settings = RecognizerOptions.settings(RecognizerSettings.DEFAULT, device, inference, segments,
        prosody, into -> RecognizerOptions.put(into, "alert", alert));
    // A live call has no length limit; memory stays bounded because blocks are fed on and dropped.
    // A live call may also end before a WAV header's declared size (the call was cut, or Ctrl-C): what
    // arrived is analysed (lenient), and a note says so.
    WavReader.Options unbounded = WavReader.Options.DEFAULT.withMaxSeconds(Double.POSITIVE_INFINITY)
        .withMaxDataBytes(Long.MAX_VALUE).withTruncation(WavReader.Truncation.LENIENT);
    ModelPackage pkg;
    try (SampleReader reader = openReader(root.stdin, unbounded)) {
      AudioFormat format = reader.format();
      ChannelSelector.check(selection, format.channels());
      pkg = model.load(root.stderr, global.quiet);
      RecognizerOptions.noteShortWindows(settings, pkg, root.stderr, global.quiet);
      PrintWriter out = spec.commandLine().getOut();
      Printer printer = new Printer(out, root.results, json, pkg.manifest(), settings.prosody());
      try (EmotionRecognizer recognizer = EmotionRecognizer.builder().model(pkg).settings(settings).build();
          EmotionStream stream = recognizer.openStream(format.sampleRate(), printer)) {
        // 100 ms a chunk, fewer frames where many channels make a frame wide (the reader's byte buffer).
        int framesPerChunk = Math.min(reader.blockFrames(),
            Math.max(1, (int) Math.round(format.sampleRate() * CHUNK_SECONDS)));
        float[][] block = new float[format.channels()][framesPerChunk];
        float[] mono = new float[framesPerChunk];
        try (CtrlC ctrlC = new CtrlC()) {
          int n;
          while (!ctrlC.requested() && (n = reader.read(block, 0, framesPerChunk)) > 0) {
            if (reader.framesRead() == n && !json) {
              out.println(TableFormat.SEGMENT_HEADER); // before the first results, once there is audio
              root.results.check();
            }
            ChannelSelector.mix(block, format.channels(), 0, n, selection, Speaker.CALLER, mono, 0);
            stream.accept(mono, 0, n);
          }
          if (reader.framesRead() == 0 && !ctrlC.requested()) {
            throw new TingxinException(ErrorCode.EMPTY_AUDIO, "standard input held no audio samples"
                + (raw ? "" : " after its WAV header") + "; nothing to analyse. Check that the recorder writes to "
                + "standard input.");
          }
          CallAnalysis call = stream.finish();
          printer.finish(call);
          if (ctrlC.requested()) {
            root.stderr.println("tingxin: interrupted: the summary covers the audio read until then");
          } else if (reader.truncated() && !global.quiet) {
            root.stderr.println("tingxin: note: the input ended " + reader.missingBytes() + " bytes before "
                + (raw ? "the end of its last frame" : "the size its WAV header declares")
                + "; the audio that arrived was analysed");
          }
          root.stderr.flush();
        }
      } catch (UncheckedIOException e) {
        throw new CliException(ExitCodes.OUTPUT, "cannot write results: " + e.getCause().getMessage(), e);
      }
    }
    return ExitCodes.OK;
  }

  /**
   * Ctrl-C (SIGINT) during a live call: the JVM's shutdown waits up to {@link #GRACE_SECONDS} for the
   * reading loop, which stops at the next block (at once when the program feeding standard input was
   * stopped too and the input ends), scores what has arrived and prints the summary. The JVM then exits
   * with 130 as for any SIGINT. Without the input ending in time, it exits without a summary.
   */
  static final class CtrlC implements AutoCloseable {
    static final int GRACE_SECONDS = 5;
    private final AtomicBoolean requested = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook = new Thread(this::await, "tingxin-ctrl-c");

    CtrlC() {
      Runtime.getRuntime().addShutdownHook(hook);
    }

    boolean requested() {
      return requested.get();
    }

    private void await() {
      requested.set(true);
      try {
        done.await(GRACE_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down (Ctrl-C): the hook has run or is running.
      }
    }
  }

  /** The decoder of standard input: raw samples as the options say, or a WAV stream. */
  private SampleReader openReader(InputStream in, WavReader.Options options) {
    if (raw) {
      if (rate < 1 || rate > 384_000) {
        throw new TingxinException(ErrorCode.INVALID_OPTION, "--rate must be 1 to 384000 Hz, was " + rate);
      }
      int rawChannels = channels == null ? 1 : channels;
      if (rawChannels < 1 || rawChannels > 64) {
        throw new TingxinException(ErrorCode.INVALID_OPTION, "--channels must be 1 to 64, was " + rawChannels);
      }
      return PcmDecoder.open(in, rawEncoding(encoding == null ? "s16le" : encoding), rate, rawChannels, options);
    }
    try {
      return WavReader.open(in, options);
    } catch (TingxinException e) {
      if (e.code() == ErrorCode.NOT_RIFF_WAVE) {
        throw new TingxinException(e.code(), "standard input is not a WAV stream (" + e.getMessage()
            + "); for headerless samples use --raw --rate HZ --encoding ENC", e);
      }
      throw e;
    }
  }

  /**
   * What {@code --encoding} names.
   *
   * @throws TingxinException {@link ErrorCode#INVALID_OPTION} for a name that is none
   */
  static PcmEncoding rawEncoding(String name) {
    try {
      return PcmEncoding.parse(name);
    } catch (IllegalArgumentException e) {
      throw new TingxinException(ErrorCode.INVALID_OPTION, "--encoding " + e.getMessage());
    }
  }

  /** Prints results from the stream's listener callbacks, on the reading thread. */
  private static final class Printer implements StreamListener {
    private final PrintWriter out;
    private final ResultOutput results;
    private final boolean json;
    private final io.github.tingxin.api.ModelManifest model;
    private final boolean prosody;
    private final ObjectWriter compact = JsonFormat.MAPPER.writer().without(
        com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    Printer(PrintWriter out, ResultOutput results, boolean json, io.github.tingxin.api.ModelManifest model,
        boolean prosody) {
      this.out = out;
      this.results = results;
      this.json = json;
      this.model = model;
      this.prosody = prosody;
    }

    @Override
    public void onSegment(SegmentResult segment) {
      if (json) {
        out.println(write(JsonFormat.segmentEvent(segment, model, prosody)));
      } else {
        out.println(TableFormat.segmentRow(segment, model));
        if (prosody) {
          out.println(TableFormat.voiceLine(segment));
        }
      }
      results.check(); // a lost line stops the stream: the caller relies on every one
    }

    @Override
    public void onAlert(Alert alert) {
      out.println(json ? write(JsonFormat.alertEvent(alert)) : TableFormat.alertLine(alert));
      results.check();
    }

    void finish(CallAnalysis call) {
      if (json) {
        com.fasterxml.jackson.databind.node.ObjectNode node = JsonFormat.MAPPER.createObjectNode();
        node.put("type", "summary");
        node.put("model", call.model());
        node.put("durationSeconds", call.durationSeconds());
        node.set("caller", JsonFormat.summary(call.caller()));
        if (call.operator().isPresent()) {
          node.set("operator", JsonFormat.summary(call.operator().get()));
        }
        out.println(write(node));
      } else {
        out.println();
        out.printf(java.util.Locale.ROOT, "End of input: %.2f s, model %s, %d segments%n", call.durationSeconds(),
            Text.printable(call.model()), call.segments().size());
        if (call.segments().stream().anyMatch(SegmentResult::shortInput)) {
          out.println(TableFormat.shortNote(model));
        }
        TableFormat.summary(out, call.caller());
      }
      results.check();
    }

    private String write(Object node) {
      try {
        return compact.writeValueAsString(node);
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
