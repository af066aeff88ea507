package io.github.tingxin.core.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.tingxin.api.Audio;
import io.github.tingxin.api.AudioFormat;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.core.audio.DecodedWav;
import io.github.tingxin.core.audio.WavReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Fuzzes {@link WavReader} with arbitrary bytes: whole-file reading from a stream and from a file, strict and
 * lenient, and block reading with random block sizes and offsets. The oracle: only the documented
 * {@link io.github.tingxin.api.TingxinException} codes, never another exception; decoded audio consistent
 * with its format; and every way of reading the same bytes agrees (same samples, or the same error code).
 *
 * <p>Without {@code JAZZER_FUZZ} each method runs on the committed seeds and past findings in
 * {@code src/test/resources/fuzz/WavReaderFuzzTestInputs} (a regression test); {@code tools/fuzz/run-fuzz.sh}
 * fuzzes each for a bounded time. Inputs are bounded by libFuzzer's {@code -max_len}, so no input can hang.
 */
class WavReaderFuzzTest {
  /** Every code WavReader documents for bytes held in memory or in a readable file. */
  static final Set<ErrorCode> READ_ERRORS = EnumSet.of(ErrorCode.NOT_RIFF_WAVE, ErrorCode.HEADER_TRUNCATED,
      ErrorCode.MISSING_FMT_CHUNK, ErrorCode.MISSING_DATA_CHUNK, ErrorCode.UNSUPPORTED_ENCODING,
      ErrorCode.INCONSISTENT_FORMAT, ErrorCode.UNSUPPORTED_SAMPLE_RATE, ErrorCode.DATA_TRUNCATED,
      ErrorCode.NON_FINITE_SAMPLE, ErrorCode.AUDIO_TOO_LONG, ErrorCode.TOO_MANY_CHANNELS);

  static final WavReader.Options STRICT = WavReader.Options.DEFAULT;
  /** Lenient and without limits, so that headers claiming gigabytes are read as far as the bytes go. */
  static final WavReader.Options LENIENT_UNLIMITED = new WavReader.Options(WavReader.Truncation.LENIENT,
      Double.POSITIVE_INFINITY, Long.MAX_VALUE, WavReader.Options.MAX_CHANNELS);

  /** Caps the frames one block read asks for, so that a header with 65535 channels cannot make huge buffers. */
  private static final int MAX_BLOCK_SAMPLES = 1 << 16;

  private static Path scratch;

  @FuzzTest(maxDuration = "60s")
  @DictionaryEntries({"RIFF", "WAVE", "fmt ", "data", "LIST", "fact", "RIFX", "RF64", "\u00fe\u00ff", "\u00ff\u00ff\u00ff\u00ff"})
  void wholeFile(byte[] bytes) {
    Outcome<DecodedWav> strictStream = readStream(bytes, STRICT);
    Outcome<DecodedWav> strictFile = readFile(bytes, STRICT);
    Outcome<DecodedWav> lenientStream = readStream(bytes, LENIENT_UNLIMITED);
    Outcome<DecodedWav> lenientFile = readFile(bytes, LENIENT_UNLIMITED);

    assertSameFileAndStream("strict", strictFile, strictStream);
    assertSameFileAndStream("lenient", lenientFile, lenientStream);
    assertThat(lenientStream.code()).as("lenient reading never reports truncation as an error")
        .isNotEqualTo(ErrorCode.DATA_TRUNCATED);
    if (!strictStream.failed()) {
      // What strict reading accepts, lenient reading reads the same, untruncated.
      assertThat(lenientStream.failed()).as("lenient after strict succeeded: %s", lenientStream).isFalse();
      assertThat(strictStream.value().truncated()).isFalse();
      assertSame("strict vs lenient", strictStream, lenientStream);
    }
    for (Outcome<DecodedWav> o : List.of(strictStream, lenientStream)) {
      if (!o.failed()) {
        checkConsistent(o.value(), bytes.length);
      }
    }
  }

  @FuzzTest(maxDuration = "60s")
  @DictionaryEntries({"RIFF", "WAVE", "fmt ", "data", "LIST", "\u00fe\u00ff", "\u00ff\u00ff\u00ff\u00ff"})
  void blocks(byte[] bytes) {
    // The block sizes follow from the bytes, so every input replays the same reads.
    SplittableRandom random = new SplittableRandom(Arrays.hashCode(bytes));
    WavReader.Options options = random.nextBoolean() ? STRICT : LENIENT_UNLIMITED;
    Outcome<DecodedWav> whole = readStream(bytes, options);
    Outcome<DecodedWav> blocks = Outcome.of(() -> readInBlocks(bytes, options, random), READ_ERRORS);
    assertSame("blocks vs whole", blocks, whole);
  }

  // ---------------------------------------------------------------- reading

  static Outcome<DecodedWav> readStream(byte[] bytes, WavReader.Options options) {
    return Outcome.of(() -> WavReader.read(new ByteArrayInputStream(bytes), options), READ_ERRORS);
  }

  static Outcome<DecodedWav> readFile(byte[] bytes, WavReader.Options options) {
    Path file = scratchFile();
    try {
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Outcome.of(() -> WavReader.read(file, options), READ_ERRORS);
  }

  /** Reads in blocks of random sizes at random offsets, checking the reader's contract as it goes. */
  private static DecodedWav readInBlocks(byte[] bytes, WavReader.Options options, SplittableRandom random) {
    WavReader reader = WavReader.open(new ByteArrayInputStream(bytes), options);
    try {
      AudioFormat format = reader.format();
      int channels = format.channels();
      int maxBlock = Math.max(1, MAX_BLOCK_SAMPLES / channels);
      float[][] all = new float[channels][16];
      int length = 0;
      while (true) {
        int frames = random.nextInt(4) == 0 ? random.nextInt(4) : random.nextInt(1, maxBlock + 1);
        int offset = random.nextInt(8);
        float[][] block = new float[channels][offset + frames];
        int n = reader.read(block, offset, frames);
        if (frames == 0) {
          assertThat(n).as("a read of 0 frames").isZero();
          continue;
        }
        if (n < 0) {
          break;
        }
        assertThat(n).as("frames read of %s asked", frames).isBetween(1, frames);
        assertThat(reader.framesRead()).isEqualTo(length + (long) n);
        if (length + n > all[0].length) {
          for (int c = 0; c < channels; c++) {
            all[c] = Arrays.copyOf(all[c], Math.max(2 * all[0].length, length + n));
          }
        }
        for (int c = 0; c < channels; c++) {
          System.arraycopy(block[c], offset, all[c], length, n);
        }
        length += n;
      }
      assertThat(reader.finished()).isTrue();
      assertThat(reader.read(new float[channels][4], 0, 4)).as("a read after the end").isEqualTo(-1);
      List<Audio> audio = new ArrayList<>();
      for (int c = 0; c < channels; c++) {
        audio.add(Audio.of(all[c], 0, length, format.sampleRate()));
      }
      DecodedWav result = new DecodedWav(new AudioFormat(format.encoding(), format.sampleRate(), channels,
          format.bitsPerSample(), format.blockAlign(), length), audio, reader.truncated(), reader.missingBytes());
      reader.close();
      reader.close(); // idempotent
      assertThatThrownBy(() -> reader.read(new float[channels][1], 0, 1)).isInstanceOf(IllegalStateException.class);
      return result;
    } finally {
      reader.close();
    }
  }

  // ---------------------------------------------------------------- checks

  /**
   * A file and a stream of the same bytes read the same, but for the documented difference: a data chunk
   * before the fmt chunk is found by seeking in a file but must be held in memory from a stream, which
   * refuses it with AUDIO_TOO_LONG beyond {@link WavReader.Options#maxDataBytes()}.
   */
  static void assertSameFileAndStream(String what, Outcome<DecodedWav> file, Outcome<DecodedWav> stream) {
    if (stream.code() == ErrorCode.AUDIO_TOO_LONG && stream.error().getMessage().contains("before the fmt chunk")) {
      return;
    }
    assertSame("file vs stream, " + what, file, stream);
  }

  /** Two ways of reading the same bytes agree: both fail with the same code, or both give the same audio. */
  static void assertSame(String what, Outcome<DecodedWav> a, Outcome<DecodedWav> b) {
    assertThat(a.code()).as("%s: %s vs %s", what, a, b).isEqualTo(b.code());
    if (!a.failed()) {
      DecodedWav x = a.value();
      DecodedWav y = b.value();
      assertThat(x.format()).as(what).isEqualTo(y.format());
      assertThat(x.truncated()).as(what).isEqualTo(y.truncated());
      assertThat(x.missingBytes()).as(what).isEqualTo(y.missingBytes());
      for (int c = 0; c < x.channelCount(); c++) {
        assertThat(x.channel(c).toArray()).as("%s: channel %s", what, c).isEqualTo(y.channel(c).toArray());
      }
    }
  }

  /** Decoded audio fits its format and the bytes it came from; integer samples lie in [-1, 1]. */
  static void checkConsistent(DecodedWav wav, int inputBytes) {
    AudioFormat f = wav.format();
    assertThat(f.channels()).isBetween(1, 65535);
    assertThat(f.sampleRate()).isPositive();
    assertThat(f.blockAlign()).isEqualTo(f.channels() * f.bitsPerSample() / 8);
    assertThat(f.frames() * f.blockAlign()).as("decoded bytes").isLessThanOrEqualTo(inputBytes);
    boolean integer = f.encoding() != AudioFormat.Encoding.IEEE_FLOAT;
    for (Audio channel : wav.channels()) {
      for (int i = 0; i < channel.length(); i++) {
        float s = channel.sample(i);
        assertThat(Float.isFinite(s)).isTrue();
        if (integer) {
          assertThat(s).isBetween(-1f, 1f);
        }
      }
    }
  }

  private static synchronized Path scratchFile() {
    if (scratch == null) {
      try {
        scratch = Files.createTempFile("tingxin-fuzz-", ".wav");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      scratch.toFile().deleteOnExit();
    }
    return scratch;
  }
}
