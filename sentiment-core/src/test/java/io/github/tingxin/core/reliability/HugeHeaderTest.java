package io.github.tingxin.core.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.core.audio.DecodedWav;
import io.github.tingxin.core.audio.WavReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tiny files whose headers claim gigabytes (a 4 GiB data chunk, 2^31 frames, 65535 channels, a 4 GiB
 * chunk before fmt) are read, refused or truncated without allocating anything near the claim: the bytes
 * this thread allocates while reading stay under {@value #BUDGET_MIB} MiB (a reader that trusted the header
 * would allocate 8 to 16 GiB and fail with OutOfMemoryError under the 2 GiB test heap).
 */
class HugeHeaderTest {
  /** The most a read of any of these files may allocate, in MiB. */
  static final int BUDGET_MIB = 24;

  static final WavReader.Options LENIENT_UNLIMITED = WavReaderFuzzTest.LENIENT_UNLIMITED;
  static final WavReader.Options STRICT_UNLIMITED = LENIENT_UNLIMITED.withTruncation(WavReader.Truncation.STRICT);

  static Stream<Arguments> claims() {
    short[] pcm = new short[500];
    for (int i = 0; i < pcm.length; i++) {
      pcm[i] = (short) (Math.sin(i * 0.3) * 20000);
    }
    byte[] u8 = new byte[1000];
    for (int i = 0; i < u8.length; i++) {
      u8[i] = (byte) (128 + 100 * Math.sin(i * 0.1));
    }
    return Stream.of(
        // 8-bit mono declaring 2^31 bytes: 2^31 frames.
        Arguments.of("2^31 frames of 8-bit mono", WavBytes.riff().fmt(1, 1, 8000, 1, 8)
            .chunk("data", 1L << 31, u8).build(), 1000, (1L << 31) - 1000),
        // 16-bit mono declaring 4 GiB - 2 bytes: 2^31 - 1 frames.
        Arguments.of("4 GiB of 16-bit mono", WavBytes.riff().fmt(1, 1, 16000, 2, 16)
            .data16(0xFFFF_FFFEL, pcm).build(), 500, 0xFFFF_FFFEL - 1000),
        // 65535 channels of 8-bit samples, 65536 frames: 4 GiB, the widest frame a header can declare.
        Arguments.of("65535 channels, 4 GiB", WavBytes.riff().fmt(1, 65535, 8000, 65535, 8)
            .chunk("data", 65535L * 65536, new byte[3 * 65535]).build(), 3, 65535L * 65536 - 3 * 65535),
        // EXTENSIBLE float stereo declaring 4 GiB - 8 bytes.
        Arguments.of("4 GiB of EXTENSIBLE float stereo", WavBytes.riff().fmtExtensible(3, 2, 48000, 8, 32, 32)
            .dataFloat(0xFFFF_FFF8L, 0.25f, -0.25f, 0.5f, -0.5f).build(), 2, 0xFFFF_FFF8L - 16));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("claims")
  void aTinyFileClaimingGigabytesIsReadWithinBudget(String name, byte[] wav, int framesPresent, long missing,
      @TempDir Path dir) throws IOException {
    Path file = dir.resolve("claim.wav");
    Files.write(file, wav);
    assertThat(wav.length).isLessThan(200_000);

    // Lenient without limits: the frames present, marked truncated by the missing gigabytes.
    for (Supplier<DecodedWav> read : java.util.List.<Supplier<DecodedWav>>of(
        () -> WavReader.read(new ByteArrayInputStream(wav), LENIENT_UNLIMITED),
        () -> WavReader.read(file, LENIENT_UNLIMITED))) {
      DecodedWav decoded = withinBudget(read);
      assertThat(decoded.frames()).as(name).isEqualTo(framesPresent);
      assertThat(decoded.truncated()).as(name).isTrue();
      assertThat(decoded.missingBytes()).as(name).isEqualTo(missing);
    }
    // Strict without limits: the truncation is an error that says how much is missing.
    TingxinException strict = withinBudget(() -> failure(() -> WavReader.read(file, STRICT_UNLIMITED)));
    assertThat(strict.code()).isEqualTo(ErrorCode.DATA_TRUNCATED);
    assertThat(strict.getMessage()).contains(missing + " bytes are missing");
    // Default options: refused as too long (or, for 65535 channels, as too many) before reading anything.
    TingxinException defaults = withinBudget(() -> failure(() -> WavReader.read(new ByteArrayInputStream(wav))));
    assertThat(defaults.code()).isEqualTo(name.startsWith("65535 channels") ? ErrorCode.TOO_MANY_CHANNELS
        : ErrorCode.AUDIO_TOO_LONG);
    // The block reader: opening reads only the header.
    try (WavReader reader = withinBudget(() -> WavReader.open(file, LENIENT_UNLIMITED))) {
      assertThat(reader.format().frames()).isGreaterThan(65535);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("chunksBeforeFmt")
  void aGiantChunkBeforeFmtIsSkippedOrRefusedWithinBudget(String name, byte[] wav, ErrorCode fromStream,
      ErrorCode fromFile, @TempDir Path dir) throws IOException {
    Path file = dir.resolve("claim.wav");
    Files.write(file, wav);
    assertThat(withinBudget(() -> failure(() -> WavReader.read(new ByteArrayInputStream(wav), LENIENT_UNLIMITED)))
        .code()).as(name + " from a stream").isEqualTo(fromStream);
    assertThat(withinBudget(() -> failure(() -> WavReader.read(new ByteArrayInputStream(wav)))).code())
        .as(name + " from a stream, default limits").isIn(ErrorCode.AUDIO_TOO_LONG, fromStream);
    assertThat(withinBudget(() -> failure(() -> WavReader.read(file, LENIENT_UNLIMITED))).code())
        .as(name + " from a file").isEqualTo(fromFile);
  }

  static Stream<Arguments> chunksBeforeFmt() {
    short[] pcm = new short[64];
    return Stream.of(
        // A data chunk before fmt must be held from a stream: held as bytes arrive, then fmt is missing.
        Arguments.of("4 GiB data chunk before fmt", WavBytes.riff().data16(0xFFFF_FFF0L, pcm)
            .fmt(1, 1, 8000, 2, 16).build(), ErrorCode.MISSING_FMT_CHUNK, ErrorCode.MISSING_FMT_CHUNK),
        Arguments.of("4 GiB LIST chunk before fmt", WavBytes.riff().chunk("LIST", 0xFFFF_FFF0L, new byte[64])
            .fmt(1, 1, 8000, 2, 16).data16(-1, pcm).build(), ErrorCode.MISSING_FMT_CHUNK,
            ErrorCode.MISSING_FMT_CHUNK),
        Arguments.of("4 GiB fmt chunk", WavBytes.riff().chunk("fmt ", 0xFFFF_FFF0L, new byte[16]).build(),
            ErrorCode.INCONSISTENT_FORMAT, ErrorCode.INCONSISTENT_FORMAT));
  }

  @org.junit.jupiter.api.Test
  void dataBeforeFmtOnAnEndlessStreamIsRefusedAfterABoundedHold() {
    // A stream whose data chunk comes before fmt and claims 4 GiB, with bytes that never end: without a
    // limit the reader held it all (and overflowed an int at 1 GiB); now it stops at 8 MiB.
    byte[] head = WavBytes.riff().chunk("data", 0xFFFF_FFF0L, new byte[0]).build();
    long[] served = {0};
    java.io.InputStream endless = new java.io.InputStream() {
      @Override
      public int read() {
        served[0]++;
        return served[0] <= head.length ? head[(int) served[0] - 1] & 0xFF : 0x55;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
          b[off + i] = (byte) read();
        }
        return len;
      }
    };
    TingxinException e = withinBudget(() -> failure(() -> WavReader.read(endless, LENIENT_UNLIMITED)));
    assertThat(e.code()).isEqualTo(ErrorCode.AUDIO_TOO_LONG);
    assertThat(e.getMessage()).contains("holds at most 8388608 bytes");
    assertThat(served[0]).as("bytes read before refusing").isLessThanOrEqualTo((8 << 20) + 64);
  }

  @org.junit.jupiter.api.Test
  void blocksOfManyChannelsAreSizedByBytesNotByChannels() {
    byte[] wav = WavBytes.riff().fmt(1, 65535, 8000, 65535, 8).chunk("data", 65535L * 4, new byte[65535 * 4])
        .build();
    try (WavReader reader = withinBudget(() -> WavReader.open(new ByteArrayInputStream(wav), LENIENT_UNLIMITED))) {
      assertThat(reader.blockFrames()).isEqualTo(1);
      float[][] block = withinBudget(() -> new float[65535][reader.blockFrames()]);
      int frames = 0;
      int n;
      while ((n = reader.read(block, 0, 1)) > 0) {
        frames += n;
      }
      assertThat(frames).isEqualTo(4);
    }
    try (WavReader mono = WavReader.open(new ByteArrayInputStream(WavBytes.riff().fmt(1, 1, 8000, 2, 16)
        .data16(-1, new short[10]).build()))) {
      assertThat(mono.blockFrames()).isEqualTo(32768);
    }
  }

  /** Runs {@code call} and checks what this thread allocated meanwhile stays within the budget. */
  static <T> T withinBudget(Supplier<T> call) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(id);
    T result = call.get();
    long allocated = threads.getThreadAllocatedBytes(id) - before;
    assertThat(allocated).as("bytes allocated").isLessThan((long) BUDGET_MIB << 20);
    return result;
  }

  static TingxinException failure(Runnable call) {
    try {
      call.run();
    } catch (TingxinException e) {
      return e;
    }
    throw new AssertionError("expected a TingxinException");
  }
}
