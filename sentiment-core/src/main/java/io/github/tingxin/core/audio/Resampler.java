package io.github.tingxin.core.audio;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import io.github.tingxin.api.Audio;
import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.util.Objects;
import java.util.concurrent.ExecutionException;

/**
 * Band-limited windowed-sinc resampling from any integer rate to any other, equal to
 * {@code torchaudio.functional.resample} (torchaudio 0.13) with its defaults: {@code sinc_interp_hann}
 * window, {@code lowpass_filter_width} 6, {@code rolloff} 0.99.
 *
 * <p>As torchaudio does, the rates are reduced by their greatest common divisor to {@code orig/new}; output
 * sample {@code j} is the dot product of a polyphase kernel (phase {@code j mod new}) with the input
 * zero-padded by {@code width} samples on the left, starting at input block {@code (j div new) * orig};
 * and the output has {@code ceil(new * length / orig)} samples. The kernel is computed as torchaudio
 * computes it for float32 audio, in float32 and in the same order of operations (its rounding moves the
 * kernel by up to 3e-5 from the exact one, and models are trained on torchaudio's output), with the taps
 * that torchaudio's clamped Hann window makes (numerically, about 1e-22) zero left out, so each output costs
 * about {@code 12 * orig / min(orig, new)} multiply-adds. Equal rates return the input unchanged, as
 * torchaudio does.
 *
 * <p>A {@code Resampler} holds only its immutable kernel and is thread-safe; {@link #of(int, int)} caches
 * kernels per rate pair, so creating one per call is cheap. {@link #newStream()} gives a
 * {@link Stream}, which is not thread-safe (one per audio stream) and produces exactly the samples of the
 * one-shot {@link #resample(Audio)}, bit for bit, whatever the chunk sizes fed to it.
 */
public final class Resampler {
  /** torchaudio's {@code lowpass_filter_width}: zero crossings of the sinc kept on each side. */
  public static final int LOWPASS_FILTER_WIDTH = 6;
  /** torchaudio's {@code rolloff}: the cutoff as a fraction of the lower Nyquist frequency. */
  public static final double ROLLOFF = 0.99;
  /** The highest rate accepted, as for {@link Audio}. */
  public static final int MAX_RATE = 384_000;

  // Weighed in taps (at most 32 MiB of floats); the largest kernel for rates <= 384 kHz is about 4.7 M taps,
  // typical ones a few thousand.
  private static final Cache<Long, Resampler> CACHE =
      CacheBuilder.newBuilder().maximumWeight(8L << 20).weigher((Long k, Resampler r) -> r.taps.length + 1).build();

  private final int inputRate;
  private final int outputRate;
  /** Rates divided by their gcd (torchaudio's {@code orig_freq}, {@code new_freq} after reduction). */
  private final int orig;
  private final int next;
  /** Left zero padding in input samples (torchaudio's {@code width}). */
  private final int width;
  /** Non-zero taps of all phases, phase after phase. */
  private final float[] taps;
  /** Per phase: first non-zero tap, as an offset from the start of the phase's input block. */
  private final int[] tapStart;
  /** Per phase: where its taps begin in {@link #taps}. */
  private final int[] tapOffset;
  /** Per phase: how many taps. */
  private final int[] tapCount;
  /** The most padded samples any phase reads from the start of its block: {@code max(tapStart + tapCount)}. */
  private final int blockSupport;
  /** Input blocks per cache tile of {@link #convolve}: about 16 KiB of input, a multiple of 8. */
  private final int tileBlocks;

  private Resampler(int inputRate, int outputRate) {
    this.inputRate = inputRate;
    this.outputRate = outputRate;
    int gcd = gcd(inputRate, outputRate);
    this.orig = inputRate / gcd;
    this.next = outputRate / gcd;
    this.tileBlocks = Math.max(8, (4096 / orig + 7) / 8 * 8);
    if (orig == next) {
      width = 0;
      blockSupport = 0;
      taps = new float[0];
      tapStart = tapOffset = tapCount = new int[0];
      return;
    }
    double baseFreq = Math.min(orig, next) * ROLLOFF;
    this.width = (int) Math.ceil(LOWPASS_FILTER_WIDTH * orig / baseFreq);
    int kernelLength = 2 * width + orig;
    tapStart = new int[next];
    tapOffset = new int[next];
    tapCount = new int[next];
    // Taps are non-zero only where |(k - width) / orig - p / next| * baseFreq < LOWPASS_FILTER_WIDTH; outside,
    // torchaudio clamps t and its window cos^2(pi/2) leaves about 1e-22, which we leave out.
    double halfSpan = LOWPASS_FILTER_WIDTH * (double) orig / baseFreq;
    float[] scratch = new float[(int) Math.min(kernelLength, 2 * Math.ceil(halfSpan) + 8)];
    float[] all = new float[Math.toIntExact(Math.min((long) next * scratch.length, Integer.MAX_VALUE - 16))];
    int used = 0;
    for (int p = 0; p < next; p++) {
      double centre = (double) orig * p / next + width;
      int lo = Math.max(0, (int) Math.floor(centre - halfSpan) - 2);
      int hi = Math.min(kernelLength - 1, lo + scratch.length - 1);
      int first = -1;
      int last = -2;
      for (int k = lo; k <= hi; k++) {
        float t = sincArgument(k, p, baseFreq);
        if (Math.abs(t) < LOWPASS_FILTER_WIDTH) {
          scratch[k - lo] = tap(t, baseFreq);
          if (first < 0) {
            first = k;
          }
          last = k;
        }
      }
      int count = last - first + 1;
      tapStart[p] = Math.max(first, 0);
      tapOffset[p] = used;
      tapCount[p] = count;
      if (count > 0) {
        System.arraycopy(scratch, first - lo, all, used, count);
        used += count;
      }
    }
    taps = java.util.Arrays.copyOf(all, used);
    int support = 0;
    for (int p = 0; p < next; p++) {
      support = Math.max(support, tapStart[p] + tapCount[p]);
    }
    blockSupport = support;
  }

  /**
   * torchaudio's {@code t} for tap {@code k} of phase {@code p}, before the clamp, computed in float32 in
   * torchaudio's order ({@code (arange(0, -new, -1) / new + arange(-width, width + orig) / orig) * base_freq}).
   * Float32 matters: its rounding moves torchaudio's kernel by up to 3e-5 from the exact one, and we match
   * torchaudio as users run it, not the exact kernel.
   */
  private float sincArgument(int k, int p, double baseFreq) {
    float idx = (float) (k - width) / (float) orig;
    float shift = (float) (-p) / (float) next;
    return (shift + idx) * (float) baseFreq;
  }

  /** torchaudio's tap value for {@code |t| < 6}, in float32 in its order of operations. */
  private float tap(float t, double baseFreq) {
    float window = (float) Math.cos(t * (float) Math.PI / LOWPASS_FILTER_WIDTH / 2f);
    window = window * window;
    float x = t * (float) Math.PI;
    float sinc = x == 0f ? 1f : (float) Math.sin(x) / x;
    return sinc * (window * (float) (baseFreq / orig));
  }

  /**
   * The resampler from {@code inputRate} to {@code outputRate}, from a cache of kernels.
   *
   * @param inputRate rate of the input, 1 to {@value #MAX_RATE} Hz
   * @param outputRate rate of the output, 1 to {@value #MAX_RATE} Hz
   * @return the resampler
   * @throws TingxinException {@link ErrorCode#UNSUPPORTED_SAMPLE_RATE} if a rate is out of range
   */
  public static Resampler of(int inputRate, int outputRate) {
    checkRate(inputRate, "input");
    checkRate(outputRate, "output");
    try {
      return CACHE.get(((long) inputRate << 32) | outputRate, () -> new Resampler(inputRate, outputRate));
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * Resamples {@code audio} to {@code targetRate}; the same as {@code of(audio.sampleRate(),
   * targetRate).resample(audio)}.
   *
   * @param audio the audio
   * @param targetRate rate of the result, 1 to {@value #MAX_RATE} Hz
   * @return audio at {@code targetRate} ({@code audio} itself where the rates are equal)
   * @throws NullPointerException if {@code audio} is null
   * @throws TingxinException {@link ErrorCode#UNSUPPORTED_SAMPLE_RATE} if {@code targetRate} is out of
   *     range, or {@link ErrorCode#AUDIO_TOO_LONG} if the result would exceed 2^31 - 1 samples
   */
  public static Audio resample(Audio audio, int targetRate) {
    Objects.requireNonNull(audio, "audio");
    return of(audio.sampleRate(), targetRate).resample(audio);
  }

  /** The input rate in hertz. */
  public int inputRate() {
    return inputRate;
  }

  /** The output rate in hertz. */
  public int outputRate() {
    return outputRate;
  }

  /**
   * The number of output samples for {@code inputLength} input samples: {@code ceil(outputRate *
   * inputLength / inputRate)}, as torchaudio.
   *
   * @throws IllegalArgumentException if {@code inputLength} is negative
   */
  public long outputLength(long inputLength) {
    if (inputLength < 0) {
      throw new IllegalArgumentException("inputLength must be non-negative: " + inputLength);
    }
    return ceilDiv(inputLength, next, orig);
  }

  /**
   * Resamples {@code audio}, which must be at {@link #inputRate()}.
   *
   * @param audio the audio
   * @return audio at {@link #outputRate()} ({@code audio} itself where the rates are equal)
   * @throws NullPointerException if {@code audio} is null
   * @throws IllegalArgumentException if {@code audio} is not at {@link #inputRate()}
   * @throws TingxinException {@link ErrorCode#AUDIO_TOO_LONG} if the result would exceed 2^31 - 1 samples
   */
  public Audio resample(Audio audio) {
    Objects.requireNonNull(audio, "audio");
    if (audio.sampleRate() != inputRate) {
      throw new IllegalArgumentException(
          "audio is at " + audio.sampleRate() + " Hz, this resampler takes " + inputRate + " Hz");
    }
    if (orig == next) {
      return audio;
    }
    int length = audio.length();
    long outLength = outputLength(length);
    if (outLength > Integer.MAX_VALUE - 16) {
      throw new TingxinException(ErrorCode.AUDIO_TOO_LONG, "Resampling " + audio + " to " + outputRate
          + " Hz would give more than 2^31 samples; process it in parts with Resampler.newStream().");
    }
    // The padded signal of torchaudio: width zeros, the samples, then zeros up to the last block's end.
    float[] padded = new float[length + 2 * width + orig];
    audio.copyTo(0, padded, width, length);
    float[] out = new float[(int) outLength];
    convolve(padded, 0, 0, (int) outLength, out, 0);
    return Audio.of(out, outputRate);
  }

  /** A new streaming resampler using this kernel; see {@link Stream}. */
  public Stream newStream() {
    return new Stream();
  }

  @Override
  public String toString() {
    return "Resampler[" + inputRate + " Hz -> " + outputRate + " Hz, " + taps.length + " taps in " + next
        + " phases]";
  }

  /**
   * Computes outputs {@code [from, to)} from the padded signal held in {@code x}, whose element 0 is padded
   * sample {@code xStart}, into {@code out} from {@code outOffset}.
   *
   * <p>Tiles of input blocks small enough for the L1/L2 cache are walked phase by phase. Every output is the
   * sum of four partial sums, over the taps of index 0, 1, 2 and 3 mod 4, each in tap order, added as
   * {@code (p0 + p1) + (p2 + p3)}; two outputs one block apart are computed side by side (eight independent
   * add chains), a last single one alone (four). The arithmetic of an output is the same on both paths, so
   * the result does not depend on the tiling or the range asked for, and the one-shot and streaming forms,
   * which both run this, agree bit for bit.
   */
  private void convolve(float[] x, long xStart, long from, long to, float[] out, int outOffset) {
    if (from >= to) {
      return;
    }
    final float[] h = taps;
    final int stride = orig;
    long firstBlock = from / next;
    long lastBlock = (to - 1) / next;
    for (long tile = firstBlock; tile <= lastBlock; tile += tileBlocks) {
      long tileEnd = Math.min(lastBlock, tile + tileBlocks - 1);
      for (int p = 0; p < next; p++) {
        long nStart = tile * next + p < from ? tile + 1 : tile;
        long nEnd = tileEnd * next + p >= to ? tileEnd - 1 : tileEnd;
        if (nStart > nEnd) {
          continue;
        }
        int count = tapCount[p];
        int t = tapOffset[p];
        int s = (int) (nStart * orig - xStart) + tapStart[p];
        int o = outOffset + (int) (nStart * next + p - from);
        int blocks = (int) (nEnd - nStart + 1);
        int b = 0;
        for (; b + 1 < blocks; b += 2) {
          int s0 = s + b * stride;
          int s1 = s0 + stride;
          float a0 = 0f;
          float a1 = 0f;
          float a2 = 0f;
          float a3 = 0f;
          float c0 = 0f;
          float c1 = 0f;
          float c2 = 0f;
          float c3 = 0f;
          int i = 0;
          for (; i + 3 < count; i += 4) {
            float w0 = h[t + i];
            float w1 = h[t + i + 1];
            float w2 = h[t + i + 2];
            float w3 = h[t + i + 3];
            a0 += x[s0 + i] * w0;
            a1 += x[s0 + i + 1] * w1;
            a2 += x[s0 + i + 2] * w2;
            a3 += x[s0 + i + 3] * w3;
            c0 += x[s1 + i] * w0;
            c1 += x[s1 + i + 1] * w1;
            c2 += x[s1 + i + 2] * w2;
            c3 += x[s1 + i + 3] * w3;
          }
          int rest = count - i;
          if (rest > 0) {
            a0 += x[s0 + i] * h[t + i];
            c0 += x[s1 + i] * h[t + i];
          }
          if (rest > 1) {
            a1 += x[s0 + i + 1] * h[t + i + 1];
            c1 += x[s1 + i + 1] * h[t + i + 1];
          }
          if (rest > 2) {
            a2 += x[s0 + i + 2] * h[t + i + 2];
            c2 += x[s1 + i + 2] * h[t + i + 2];
          }
          out[o + b * next] = (a0 + a1) + (a2 + a3);
          out[o + (b + 1) * next] = (c0 + c1) + (c2 + c3);
        }
        if (b < blocks) {
          int s0 = s + b * stride;
          float a0 = 0f;
          float a1 = 0f;
          float a2 = 0f;
          float a3 = 0f;
          int i = 0;
          for (; i + 3 < count; i += 4) {
            a0 += x[s0 + i] * h[t + i];
            a1 += x[s0 + i + 1] * h[t + i + 1];
            a2 += x[s0 + i + 2] * h[t + i + 2];
            a3 += x[s0 + i + 3] * h[t + i + 3];
          }
          int rest = count - i;
          if (rest > 0) {
            a0 += x[s0 + i] * h[t + i];
          }
          if (rest > 1) {
            a1 += x[s0 + i + 1] * h[t + i + 1];
          }
          if (rest > 2) {
            a2 += x[s0 + i + 2] * h[t + i + 2];
          }
          out[o + b * next] = (a0 + a1) + (a2 + a3);
        }
      }
    }
  }

  /** The last padded-signal index output {@code j} reads, plus one. */
  private long supportEnd(long j) {
    long block = j / next;
    int phase = (int) (j - block * next);
    return block * orig + tapStart[phase] + tapCount[phase];
  }

  /**
   * Streaming resampling: feed chunks of any size with {@link #accept}, then call {@link #flush} once at
   * the end. The concatenated outputs equal {@link Resampler#resample(Audio)} of the concatenated input,
   * bit for bit. Memory stays bounded by the largest chunk plus one kernel span; buffers are reused and
   * grow only when a larger chunk arrives.
   *
   * <p>Not thread-safe: use one stream per audio stream, from one thread at a time.
   */
  public final class Stream {
    /** Padded-signal samples from index {@code bufStart}; the first {@code width} are the left zeros. */
    private float[] buf;
    private long bufStart;
    private int bufLength;
    private long received;
    private long produced;
    private boolean flushed;

    private Stream() {
      buf = new float[width + 4096];
      bufLength = width;
    }

    /** The resampler this stream uses. */
    public Resampler resampler() {
      return Resampler.this;
    }

    /** Input samples accepted so far. */
    public long samplesIn() {
      return received;
    }

    /** Output samples produced so far. */
    public long samplesOut() {
      return produced;
    }

    /**
     * The most output samples that {@link #accept(float[], int, int, float[], int)} of {@code inputLength}
     * samples can write now; size the output array by this.
     *
     * @throws IllegalArgumentException if {@code inputLength} is negative
     */
    public int maxOutput(int inputLength) {
      if (inputLength < 0) {
        throw new IllegalArgumentException("inputLength must be non-negative: " + inputLength);
      }
      return Math.toIntExact(outputLength(received + inputLength) - produced);
    }

    /**
     * The number of output samples {@link #flush(float[], int)} will write now.
     */
    public int pendingOutput() {
      return flushed ? 0 : Math.toIntExact(outputLength(received) - produced);
    }

    /**
     * Accepts {@code length} input samples and writes the output samples that are now complete.
     *
     * @param in input samples at {@link Resampler#inputRate()}
     * @param offset first input sample
     * @param length number of input samples, any (0 included)
     * @param out where the outputs go; needs room for {@link #maxOutput(int) maxOutput(length)} samples
     * @param outOffset where the first output goes
     * @return the number of output samples written
     * @throws NullPointerException if an array is null
     * @throws IndexOutOfBoundsException if a range is out of bounds, or {@code out} has too little room
     * @throws IllegalStateException if {@link #flush} was called
     */
    public int accept(float[] in, int offset, int length, float[] out, int outOffset) {
      Objects.requireNonNull(in, "in");
      Objects.requireNonNull(out, "out");
      Objects.checkFromIndexSize(offset, length, in.length);
      checkOpen();
      Objects.checkFromIndexSize(outOffset, maxOutput(length), out.length);
      if (orig == next) {
        System.arraycopy(in, offset, out, outOffset, length);
        received += length;
        produced += length;
        return length;
      }
      append(in, offset, length);
      received += length;
      // Emit outputs whose taps are all known, and never past the length the input so far implies.
      long limit = outputLength(received);
      long known = bufStart + bufLength;
      long end = produced;
      // Whole blocks whose every phase is covered, then single outputs of the next block.
      if (known >= blockSupport) {
        end = Math.max(end, Math.min(limit, ((known - blockSupport) / orig + 1) * next));
      }
      while (end < limit && supportEnd(end) <= known) {
        end++;
      }
      return emit(end, out, outOffset);
    }

    /**
     * Accepts all of {@code in} and returns the output samples now complete, in a new array; the
     * convenient form of {@link #accept(float[], int, int, float[], int)}.
     *
     * @throws NullPointerException if {@code in} is null
     * @throws IllegalStateException if {@link #flush} was called
     */
    public float[] accept(float[] in) {
      Objects.requireNonNull(in, "in");
      checkOpen();
      float[] out = new float[maxOutput(in.length)];
      int n = accept(in, 0, in.length, out, 0);
      return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    /**
     * Ends the input (zero padding it as torchaudio does) and writes the remaining
     * {@link #pendingOutput()} samples. After this the stream accepts nothing more.
     *
     * @param out where the outputs go
     * @param outOffset where the first output goes
     * @return the number of output samples written
     * @throws NullPointerException if {@code out} is null
     * @throws IndexOutOfBoundsException if {@code out} has too little room
     * @throws IllegalStateException if {@link #flush} was already called
     */
    public int flush(float[] out, int outOffset) {
      Objects.requireNonNull(out, "out");
      checkOpen();
      long limit = outputLength(received);
      Objects.checkFromIndexSize(outOffset, Math.toIntExact(limit - produced), out.length);
      flushed = true;
      if (orig == next) {
        return 0;
      }
      if (limit > produced) {
        // Right zero padding up to the end of the last output's support.
        long end = 0;
        for (long j = produced; j < limit; j++) {
          end = Math.max(end, supportEnd(j));
        }
        int need = Math.toIntExact(end - bufStart);
        if (need > bufLength) {
          ensureCapacity(need);
          java.util.Arrays.fill(buf, bufLength, need, 0f);
          bufLength = need;
        }
      }
      return emit(limit, out, outOffset);
    }

    /**
     * Ends the input and returns the remaining output samples in a new array; the convenient form of
     * {@link #flush(float[], int)}.
     *
     * @throws IllegalStateException if {@link #flush} was already called
     */
    public float[] flush() {
      checkOpen();
      float[] out = new float[pendingOutput()];
      flush(out, 0);
      return out;
    }

    private int emit(long end, float[] out, int outOffset) {
      int n = (int) (end - produced);
      if (n > 0) {
        convolve(buf, bufStart, produced, end, out, outOffset);
        produced = end;
      }
      return n;
    }

    private void append(float[] in, int offset, int length) {
      // Drop what no future output reads: everything before the input block of the next output.
      long keepFrom = (produced / next) * orig;
      int drop = (int) Math.min(keepFrom - bufStart, bufLength);
      if (drop > 0) {
        System.arraycopy(buf, drop, buf, 0, bufLength - drop);
        bufLength -= drop;
        bufStart += drop;
      }
      ensureCapacity(bufLength + length);
      System.arraycopy(in, offset, buf, bufLength, length);
      bufLength += length;
    }

    private void ensureCapacity(int capacity) {
      if (capacity > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(capacity, buf.length + (buf.length >> 1)));
      }
    }

    private void checkOpen() {
      if (flushed) {
        throw new IllegalStateException("this stream was flushed; start a new one with newStream()");
      }
    }
  }

  private static long ceilDiv(long length, long num, long den) {
    // ceil(length * num / den) without overflow for lengths far beyond any recording.
    long q = length / den;
    long r = length % den;
    return q * num + (r * num + den - 1) / den;
  }

  private static int gcd(int a, int b) {
    while (b != 0) {
      int t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  private static void checkRate(int rate, String which) {
    if (rate < 1 || rate > MAX_RATE) {
      throw new TingxinException(ErrorCode.UNSUPPORTED_SAMPLE_RATE, "The " + which + " rate " + rate
          + " Hz is outside 1.." + MAX_RATE + " Hz; give the rate in hertz as an integer.");
    }
  }
}
