package io.github.tingxin.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's proof that a header which claims much allocates nothing: {@code tingxin} runs as a child JVM
 * under {@code -Xmx256m} over a folder of hostile headers (huge channel counts, huge sizes, a data chunk
 * before fmt, a second data chunk...) and over a zip-bomb model package; each file gets its own specific
 * error code, and the child's peak resident memory ({@code VmHWM} in {@code /proc/PID/status}, sampled
 * until it exits) stays under {@value #PEAK_RSS_LIMIT_KB} kB. A reader that trusted the headers would
 * allocate gigabytes and die with an OutOfMemoryError instead.
 *
 * <p>Needs Linux's {@code /proc} (as CI and this machine have); elsewhere it is skipped and says so.
 */
class HostileHeadersCliTest {
  /** 400 MB: a 256 MiB heap plus the JVM's own code, threads and ONNX Runtime, with room to spare. */
  static final long PEAK_RSS_LIMIT_KB = 400_000;

  @TempDir
  static Path dir;

  /** Each hostile file and the code {@code analyze} must give it. */
  static final Map<String, String> ANALYZE = new LinkedHashMap<>();

  @BeforeAll
  static void writeHostileFiles() throws IOException {
    assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "SKIPPED: no /proc here, so peak memory cannot "
        + "be read");
    Path hostile = Files.createDirectories(dir.resolve("hostile"));
    write(hostile, "channels-65535.wav", riff().fmt(1, 65535, 8000, 65535, 8).chunk("data", 65535, 65535),
        "TOO_MANY_CHANNELS");
    write(hostile, "float-16383-channels.wav", riff().fmtExtensible(3, 16383, 48000, 16383 * 4, 32)
        .chunk("data", 16383L * 4 * 4, 16383 * 4 * 4), "TOO_MANY_CHANNELS");
    write(hostile, "claims-4gib.wav", riff().fmt(1, 1, 16000, 2, 16).chunk("data", 0xFFFF_FFFEL, 4000),
        "AUDIO_TOO_LONG");
    write(hostile, "claims-4gib-stereo-float.wav", riff().fmtExtensible(3, 2, 48000, 8, 32)
        .chunk("data", 0xFFFF_FFF8L, 800), "AUDIO_TOO_LONG");
    write(hostile, "fmt-4gib.wav", riff().chunk("fmt ", 0xFFFF_FFF0L, 16), "INCONSISTENT_FORMAT");
    write(hostile, "list-4gib-before-fmt.wav", riff().chunk("LIST", 0xFFFF_FFF0L, 64).fmt(1, 1, 8000, 2, 16)
        .chunk("data", 64, 64), "MISSING_FMT_CHUNK");
    write(hostile, "data-4gib-before-fmt.wav", riff().chunk("data", 0xFFFF_FFF0L, 128).fmt(1, 1, 8000, 2, 16),
        "MISSING_FMT_CHUNK");
    write(hostile, "second-data.wav", riff().fmt(1, 1, 8000, 2, 16).chunk("data", 1600, 1600)
        .chunk("data", 0xFFFF_FFF0L, 1600), "INCONSISTENT_FORMAT");
    write(hostile, "rate-4ghz.wav", riff().fmt(1, 1, 0xFFFF_FFFFL, 2, 16).chunk("data", 1600, 1600),
        "UNSUPPORTED_SAMPLE_RATE");
    write(hostile, "chunk-header-cut.wav", riff().fmt(1, 1, 8000, 2, 16).ascii("dat"), "HEADER_TRUNCATED");
  }

  @Test
  void analyzeGivesEachHostileFileItsCodeWithinBoundedMemory() throws Exception {
    List<String> args = new ArrayList<>(List.of("analyze", "-q", "--model", AnalyzeCliTest.MODEL.toString()));
    for (String name : ANALYZE.keySet()) {
      args.add(dir.resolve("hostile").resolve(name).toString());
    }
    Measured run = run(null, args.toArray(String[]::new));
    assertThat(run.result.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_AUDIO);
    List<String> lines = run.result.stderrLines();
    assertThat(lines).as(run.toString()).hasSize(ANALYZE.size());
    for (Map.Entry<String, String> e : ANALYZE.entrySet()) {
      assertThat(lines).as(run.toString()).anySatisfy(l -> assertThat(l).contains("/" + e.getKey() + ": ")
          .endsWith("[" + e.getValue() + "]"));
    }
    run.assertPeakWithinLimit();
  }

  @Test
  void streamGivesHostileStandardInputItsCodeWithinBoundedMemory() throws Exception {
    byte[] heldBeforeFmt = riff().chunk("data", 9 << 20, 9 << 20).fmt(1, 1, 8000, 2, 16).build();
    Map<String, byte[]> inputs = new LinkedHashMap<>();
    inputs.put("TOO_MANY_CHANNELS", Files.readAllBytes(dir.resolve("hostile/channels-65535.wav")));
    inputs.put("AUDIO_TOO_LONG", heldBeforeFmt); // held from a pipe up to 8 MiB only
    inputs.put("MISSING_FMT_CHUNK", Files.readAllBytes(dir.resolve("hostile/list-4gib-before-fmt.wav")));
    for (Map.Entry<String, byte[]> e : inputs.entrySet()) {
      Measured run = run(e.getValue(), "stream", "--model", AnalyzeCliTest.MODEL.toString());
      assertThat(run.result.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_AUDIO);
      assertThat(run.result.stderrLines()).as(run.toString()).hasSize(1);
      assertThat(run.result.stderrLines().get(0)).endsWith("[" + e.getKey() + "]");
      run.assertPeakWithinLimit();
    }
  }

  @Test
  void aZipBombModelIsRefusedWithinBoundedMemory() throws Exception {
    // 256 MiB of zeros as model.onnx, in a zip of about 256 KB: more than the child's whole heap.
    Path bomb = dir.resolve("bomb.zip");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bomb))) {
      for (String f : new String[] {"tingxin-model.json", "MODEL_CARD.md"}) {
        zip.putNextEntry(new ZipEntry(f));
        zip.write(Files.readAllBytes(AnalyzeCliTest.MODEL.resolve(f)));
      }
      zip.putNextEntry(new ZipEntry("model.onnx"));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 256; i++) {
        zip.write(zeros);
      }
    }
    assertThat(Files.size(bomb)).isLessThan(1 << 20);
    Measured run = run(null, "model", "inspect", bomb.toString());
    assertThat(run.result.exitCode()).as(run.toString()).isEqualTo(ExitCodes.BAD_MODEL);
    assertThat(run.result.stderrLines()).as(run.toString()).hasSize(1);
    assertThat(run.result.stderrLines().get(0)).contains("bomb.zip!/model.onnx: inflates to more than")
        .endsWith("[MODEL_PACKAGE_UNREADABLE]");
    run.assertPeakWithinLimit();
  }

  // ---------------------------------------------------------------- running and measuring

  /** A run's result and the child's peak resident memory. */
  record Measured(CliProcess.Result result, long peakRssKb, int samples) {
    void assertPeakWithinLimit() {
      assertThat(samples).as("VmHWM samples of the child").isPositive();
      assertThat(peakRssKb).as("peak RSS (VmHWM, kB) of %s", result).isLessThan(PEAK_RSS_LIMIT_KB);
    }

    @Override
    public String toString() {
      return result + "\n--- peak RSS " + peakRssKb + " kB";
    }
  }

  /** Runs the CLI under {@code -Xmx256m}, sampling its VmHWM every few milliseconds until it exits. */
  static Measured run(byte[] stdin, String... args) throws Exception {
    Process p = CliProcess.start("-Xmx256m", null, args);
    CompletableFuture<byte[]> out = CliProcess.drain(p.getInputStream());
    CompletableFuture<byte[]> err = CliProcess.drain(p.getErrorStream());
    CompletableFuture<Void> feed = CompletableFuture.runAsync(() -> {
      try (OutputStream in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin);
        }
      } catch (IOException e) {
        // The CLI may refuse the input before reading all of it: that is what some cases test.
      }
    });
    Path status = Path.of("/proc", Long.toString(p.pid()), "status");
    long peak = 0;
    int samples = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (p.isAlive() && System.nanoTime() < deadline) {
      long hwm = vmHwmKb(status);
      if (hwm > 0) {
        peak = Math.max(peak, hwm);
        samples++;
      }
      Thread.sleep(5);
    }
    if (!p.waitFor(1, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("tingxin did not finish in 120 s: " + String.join(" ", args));
    }
    feed.get(10, TimeUnit.SECONDS);
    byte[] o = out.get(10, TimeUnit.SECONDS);
    CliProcess.Result result = new CliProcess.Result(p.exitValue(), new String(o, StandardCharsets.UTF_8),
        new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8), o);
    return new Measured(result, peak, samples);
  }

  /** The VmHWM line of a process's status, in kB; 0 once the process is gone. */
  static long vmHwmKb(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.substring(6).replace("kB", "").strip());
        }
      }
    } catch (IOException | RuntimeException e) {
      // The process exited between the check and the read.
    }
    return 0;
  }

  // ---------------------------------------------------------------- hostile files

  private static void write(Path folder, String name, Wav wav, String code) throws IOException {
    Files.write(folder.resolve(name), wav.build());
    ANALYZE.put(name, code);
  }

  static Wav riff() {
    return new Wav().ascii("RIFF").u32(0).ascii("WAVE");
  }

  /** WAV bytes chunk by chunk, every size as given (so sizes can claim what the bytes do not hold). */
  static final class Wav {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Wav fmt(int tag, int channels, long rate, int blockAlign, int bits) {
      return ascii("fmt ").u32(16).u16(tag).u16(channels).u32(rate).u32(rate * blockAlign).u16(blockAlign).u16(bits);
    }

    Wav fmtExtensible(int subFormat, int channels, long rate, int blockAlign, int bits) {
      ascii("fmt ").u32(40).u16(0xFFFE).u16(channels).u32(rate).u32(rate * blockAlign).u16(blockAlign).u16(bits)
          .u16(22).u16(bits).u32(0).u16(subFormat);
      out.writeBytes(new byte[] {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71});
      return this;
    }

    /** A chunk declaring {@code declared} bytes and holding {@code present} bytes of a quiet pattern. */
    Wav chunk(String id, long declared, int present) {
      ascii(id).u32(declared);
      byte[] body = new byte[present];
      for (int i = 0; i < present; i++) {
        body[i] = (byte) (i * 7 % 13);
      }
      out.writeBytes(body);
      return this;
    }

    Wav ascii(String s) {
      out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
      return this;
    }

    Wav u16(int v) {
      out.write(v);
      out.write(v >>> 8);
      return this;
    }

    Wav u32(long v) {
      for (int b = 0; b < 4; b++) {
        out.write((int) (v >>> (8 * b)));
      }
      return this;
    }

    byte[] build() {
      return out.toByteArray();
    }
  }
}
