package io.github.tingxin.core.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.tingxin.api.AudioFormat;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavReaderTest {
  private static final JsonNode CASES = Reference.json("wav.json").get("cases");

  private static List<JsonNode> cases(boolean good) {
    List<JsonNode> list = new ArrayList<>();
    CASES.forEach(c -> {
      if (c.has("error") != good) {
        list.add(c);
      }
    });
    assertThat(list).hasSizeGreaterThan(20);
    return list;
  }

  /** Every readable fixture decodes to exactly the samples libsndfile (or audioop, for G.711) gives. */
  @Test
  void decodesEveryEncodingAsTheIndependentDecoders() throws IOException {
    for (JsonNode c : cases(true)) {
      String name = c.get("name").asText();
      float[] expected = Reference.f32("wav/" + c.get("expected").asText());
      Path file = Reference.path("wav/" + c.get("file").asText());
      DecodedWav fromPath = WavReader.read(file);
      DecodedWav fromStream;
      try (InputStream in = Files.newInputStream(file)) {
        fromStream = WavReader.read(in);
      }
      for (DecodedWav wav : List.of(fromPath, fromStream)) {
        AudioFormat f = wav.format();
        assertThat(f.sampleRate()).as(name).isEqualTo(c.get("sampleRate").asInt());
        assertThat(f.channels()).as(name).isEqualTo(c.get("channels").asInt());
        assertThat(f.frames()).as(name).isEqualTo(c.get("frames").asLong());
        assertThat(f.encoding().name()).as(name).isEqualTo(c.get("encoding").asText());
        assertThat(f.bitsPerSample()).as(name).isEqualTo(c.get("bitsPerSample").asInt());
        assertThat(f.blockAlign()).as(name).isEqualTo(f.channels() * f.bitsPerSample() / 8);
        assertThat(wav.truncated()).isFalse();
        assertThat(interleave(wav)).as(name).isEqualTo(expected);
      }
      try (WavReader reader = WavReader.open(file)) {
        long declared = c.has("framesDeclared") ? c.get("framesDeclared").asLong() : c.get("frames").asLong();
        assertThat(reader.format().frames()).as(name).isEqualTo(declared);
      }
    }
  }

  @Test
  void blockReadingWithRandomBlockSizesEqualsWholeReading() throws IOException {
    Random random = new Random(11);
    for (JsonNode c : cases(true)) {
      Path file = Reference.path("wav/" + c.get("file").asText());
      float[] expected = Reference.f32("wav/" + c.get("expected").asText());
      for (Function<Path, WavReader> opener : List.<Function<Path, WavReader>>of(WavReader::open,
          p -> WavReader.open(new ByteArrayInputStream(readAll(p))))) {
        try (WavReader reader = opener.apply(file)) {
          int channels = reader.format().channels();
          float[][] all = new float[channels][expected.length / channels + 8];
          int frames = 0;
          while (true) {
            int n = reader.read(all, frames, Math.min(1 + random.nextInt(40), all[0].length - frames));
            if (n < 0) {
              break;
            }
            frames += n;
            assertThat(reader.framesRead()).isEqualTo(frames);
          }
          assertThat(reader.finished()).isTrue();
          assertThat(reader.read(all, 0, 1)).isEqualTo(-1);
          float[] interleaved = new float[frames * channels];
          for (int f = 0; f < frames; f++) {
            for (int ch = 0; ch < channels; ch++) {
              interleaved[f * channels + ch] = all[ch][f];
            }
          }
          assertThat(interleaved).as(c.get("name").asText()).isEqualTo(expected);
        }
      }
    }
  }

  /** Every malformed fixture gets its own code and an actionable message, from a file and from a stream. */
  @Test
  void refusesEveryMalformedInputWithItsCode() throws IOException {
    for (JsonNode c : cases(false)) {
      String name = c.get("name").asText();
      Path file = Reference.path("wav/" + c.get("file").asText());
      ErrorCode code = ErrorCode.valueOf(c.get("error").asText());
      List<TingxinException> errors = new ArrayList<>();
      errors.add(catchTingxin(() -> WavReader.read(file)));
      errors.add(catchTingxin(() -> WavReader.read(new ByteArrayInputStream(readAll(file)))));
      for (TingxinException e : errors) {
        assertThat(e).as(name).isNotNull();
        assertThat(e.code()).as(name + ": " + e.getMessage()).isEqualTo(code);
        for (JsonNode part : c.get("messageContains")) {
          assertThat(e.getMessage()).as(name).contains(part.asText());
        }
        // Messages name places and counts, never sample values.
        assertThat(e.getMessage()).as(name).doesNotContainPattern("\\d\\.\\d{3,}");
      }
      assertThat(errors.get(0).getMessage()).startsWith(file.getFileName().toString() + ": ");
      assertThat(errors.get(1).getMessage()).startsWith("<stream>: ");
    }
  }

  @Test
  void lenientReadingKeepsTheCompleteFramesOfTruncatedData() {
    WavReader.Options lenient = WavReader.Options.DEFAULT.withTruncation(WavReader.Truncation.LENIENT);
    float[] full = Reference.f32("wav/hand_streamed_size_zero.f32"); // the same 123 samples
    DecodedWav cut = WavReader.read(Reference.path("wav/bad_data_truncated.wav"), lenient);
    assertThat(cut.truncated()).isTrue();
    assertThat(cut.missingBytes()).isEqualTo(100);
    assertThat(cut.frames()).isEqualTo(73);
    assertThat(cut.channel(0).toArray()).isEqualTo(Arrays.copyOf(full, 73));

    DecodedWav odd = WavReader.read(Reference.path("wav/bad_data_odd_size.wav"), lenient);
    assertThat(odd.truncated()).isTrue();
    assertThat(odd.missingBytes()).isEqualTo(1);
    assertThat(odd.channel(0).toArray()).isEqualTo(Arrays.copyOf(full, 122));

    DecodedWav partial = WavReader.read(
        new ByteArrayInputStream(Reference.bytes("wav/bad_streamed_partial_frame.wav")), lenient);
    assertThat(partial.truncated()).isTrue();
    assertThat(partial.missingBytes()).isEqualTo(1);
    assertThat(partial.channel(0).toArray()).isEqualTo(Arrays.copyOf(full, 122));
  }

  @Test
  void aHeaderClaimingGigabytesAllocatesNothingUpFront() {
    // 16-bit mono declaring 0xFFFFFFF0 bytes (37 hours at 16 kHz) but holding 1000 samples.
    byte[] wav = Wavs.pcm16(16000, 1, new short[1000], 0xFFFF_FFF0L);
    WavReader.Options lenient = new WavReader.Options(WavReader.Truncation.LENIENT, Double.POSITIVE_INFINITY,
        Long.MAX_VALUE);
    long before = allocatedBytes();
    DecodedWav read = WavReader.read(new ByteArrayInputStream(wav), lenient);
    long allocated = allocatedBytes() - before;
    assertThat(read.frames()).isEqualTo(1000);
    assertThat(read.truncated()).isTrue();
    assertThat(read.missingBytes()).isEqualTo(0xFFFF_FFF0L - 2000);
    assertThat(allocated).as("bytes allocated").isLessThan(8L << 20);

    // Strict, without limits: the truncation is reported, still without allocating the claim.
    long before2 = allocatedBytes();
    TingxinException e = catchTingxin(() -> WavReader.read(new ByteArrayInputStream(wav),
        lenient.withTruncation(WavReader.Truncation.STRICT)));
    assertThat(allocatedBytes() - before2).isLessThan(8L << 20);
    assertThat(e.code()).isEqualTo(ErrorCode.DATA_TRUNCATED);
    assertThat(e.getMessage()).contains((0xFFFF_FFF0L - 2000) + " bytes are missing");

    // Strict with the default limits: refused up front as too long.
    assertThat(catchTingxin(() -> WavReader.read(new ByteArrayInputStream(wav))).code())
        .isEqualTo(ErrorCode.AUDIO_TOO_LONG);
  }

  @Test
  void theDurationAndByteGuardsRefuseLongerAudio() {
    byte[] known = Wavs.pcm16(8000, 2, new short[2 * 800], -1); // 0.1 s of stereo
    byte[] streamed = Wavs.pcm16(8000, 2, new short[2 * 800], 0);
    for (byte[] wav : List.of(known, streamed)) {
      WavReader.Options exact = WavReader.Options.DEFAULT.withMaxSeconds(0.1);
      assertThat(WavReader.read(new ByteArrayInputStream(wav), exact).frames()).isEqualTo(800);
      assertThat(catchTingxin(() -> WavReader.read(new ByteArrayInputStream(wav),
          WavReader.Options.DEFAULT.withMaxSeconds(0.0999))).code()).isEqualTo(ErrorCode.AUDIO_TOO_LONG);
      assertThat(WavReader.read(new ByteArrayInputStream(wav), WavReader.Options.DEFAULT.withMaxDataBytes(3200))
          .frames()).isEqualTo(800);
      TingxinException e = catchTingxin(() -> WavReader.read(new ByteArrayInputStream(wav),
          WavReader.Options.DEFAULT.withMaxDataBytes(3196)));
      assertThat(e.code()).isEqualTo(ErrorCode.AUDIO_TOO_LONG);
      assertThat(e.getMessage()).contains("Raise Options.maxSeconds");
    }
  }

  @Test
  void optionsHaveDocumentedDefaultsAndRefuseNonsense() {
    assertThat(WavReader.Options.DEFAULT.truncation()).isEqualTo(WavReader.Truncation.STRICT);
    assertThat(WavReader.Options.DEFAULT.maxSeconds()).isEqualTo(4 * 3600.0);
    assertThat(WavReader.Options.DEFAULT.maxDataBytes()).isEqualTo(1L << 31);
    assertThatThrownBy(() -> WavReader.Options.DEFAULT.withMaxSeconds(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WavReader.Options.DEFAULT.withMaxSeconds(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WavReader.Options.DEFAULT.withMaxDataBytes(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WavReader.Options.DEFAULT.withTruncation(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void aStreamIsReadPastTheDataToItsEndAndNotClosed() throws IOException {
    byte[] wav = Reference.bytes("wav/hand_odd_chunks_fmt_first.wav");
    int[] closed = {0};
    ByteArrayInputStream in = new ByteArrayInputStream(wav) {
      @Override
      public void close() {
        closed[0]++;
      }
    };
    DecodedWav read = WavReader.read(in);
    assertThat(read.frames()).isEqualTo(61);
    // The trailing 'id3 ' chunk (8 + 11 + 1 pad bytes) is read past too, to make sure no second data chunk
    // follows (issue 17: a second data chunk must not be silently ignored).
    assertThat(in.available()).isZero();
    assertThat(closed[0]).isZero();
  }

  @Test
  void blockReaderLifecycle() {
    WavReader reader = WavReader.open(Reference.path("wav/sf_wav_pcm_16.wav"));
    assertThat(reader.format().channels()).isEqualTo(2);
    float[][] block = new float[2][10];
    assertThat(reader.read(block, 0, 0)).isZero();
    assertThatThrownBy(() -> reader.read(new float[1][10], 0, 5)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> reader.read(block, 5, 6)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(reader.read(block, 0, 10)).isEqualTo(10);
    reader.close();
    reader.close();
    assertThatThrownBy(() -> reader.read(block, 0, 10)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void nonFiniteSamplesAreReportedByAbsoluteIndexInBlockReading() {
    float[] x = new float[5000];
    x[4321] = Float.NaN;
    byte[] wav = WavWriterTest.floatWav(x);
    try (WavReader reader = WavReader.open(new ByteArrayInputStream(wav))) {
      float[][] block = new float[1][1000];
      for (int i = 0; i < 4; i++) {
        assertThat(reader.read(block, 0, 1000)).isEqualTo(1000);
      }
      TingxinException e = catchTingxin(() -> reader.read(block, 0, 1000));
      assertThat(e.code()).isEqualTo(ErrorCode.NON_FINITE_SAMPLE);
      assertThat(e.getMessage()).contains("sample 4321 (frame 4321, channel 0)");
      assertThatThrownBy(() -> reader.read(block, 0, 1000)).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void ioFailuresAreIoErrors(@TempDir Path dir) {
    TingxinException missing = catchTingxin(() -> WavReader.read(dir.resolve("absent.wav")));
    assertThat(missing.code()).isEqualTo(ErrorCode.IO_ERROR);
    assertThat(missing.getMessage()).contains("no such file");
    assertThat(catchTingxin(() -> WavReader.read(dir)).code()).isEqualTo(ErrorCode.IO_ERROR);
    byte[] wav = Reference.bytes("wav/sf_wav_pcm_16.wav");
    InputStream failing = new InputStream() {
      int pos;

      @Override
      public int read() throws IOException {
        if (pos == 200) {
          throw new IOException("disk on fire");
        }
        return wav[pos++] & 0xFF;
      }
    };
    TingxinException e = catchTingxin(() -> WavReader.read(failing));
    assertThat(e.code()).isEqualTo(ErrorCode.IO_ERROR);
    assertThat(e.getCause()).hasMessage("disk on fire");
  }

  @Test
  void staticReadingIsThreadSafe() throws Exception {
    Path file = Reference.path("wav/sf_wavex_pcm_24.wav");
    float[] expected = interleave(WavReader.read(file));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<float[]>> results = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        boolean fromStream = i % 2 == 0;
        results.add(pool.submit(() -> interleave(fromStream
            ? WavReader.read(new ByteArrayInputStream(readAll(file))) : WavReader.read(file))));
      }
      for (java.util.concurrent.Future<float[]> f : results) {
        assertThat(f.get()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void zeroLengthAudioReadsFine() {
    DecodedWav empty = WavReader.read(Reference.path("wav/hand_empty_data.wav"));
    assertThat(empty.frames()).isZero();
    assertThat(empty.channelCount()).isEqualTo(2);
    assertThat(empty.channel(1).isEmpty()).isTrue();
  }

  // ---- helpers

  static float[] interleave(DecodedWav wav) {
    int channels = wav.channelCount();
    float[] out = new float[wav.frames() * channels];
    for (int c = 0; c < channels; c++) {
      float[] ch = wav.channel(c).toArray();
      for (int f = 0; f < ch.length; f++) {
        out[f * channels + c] = ch[f];
      }
    }
    return out;
  }

  static TingxinException catchTingxin(Runnable r) {
    try {
      r.run();
    } catch (TingxinException e) {
      return e;
    }
    throw new AssertionError("expected a TingxinException");
  }

  private static byte[] readAll(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }

  /** Hand-built WAV bytes for tests that need a particular header. */
  static final class Wavs {
    private Wavs() {}

    /** 16-bit PCM; {@code declaredDataBytes} -1 writes the true size, 0 or 0xFFFFFFFF a streamed size. */
    static byte[] pcm16(int rate, int channels, short[] interleaved, long declaredDataBytes) {
      int dataBytes = interleaved.length * 2;
      ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
      b.put("RIFF".getBytes()).putInt(36 + dataBytes).put("WAVE".getBytes());
      b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) channels).putInt(rate)
          .putInt(rate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16);
      b.put("data".getBytes()).putInt((int) (declaredDataBytes < 0 ? dataBytes : declaredDataBytes));
      for (short s : interleaved) {
        b.putShort(s);
      }
      return b.array();
    }
  }
}
