package io.github.tingxin.cli;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.TingxinException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collection;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes the files the commands make ({@code --chart} PNGs, {@code features --out} arrays) without ever
 * writing over what is not theirs: never over an input, a directory, or an existing file that is not of the
 * kind being written (a forgotten {@code --chart} name must not turn {@code A.wav} into a picture). A file is
 * written to a temporary sibling and renamed over the target only when complete, so a failed write (a full
 * disk, an error while drawing) leaves the target as it was and no partial file behind. A target that is
 * not a regular file but a device or a pipe ({@code /dev/stdout}, a FIFO) is written directly: it cannot be
 * replaced, only written to. Stateless.
 */
final class OutputFiles {
  /** The kinds of file written, each known by its first bytes. */
  enum Kind {
    /** A PNG image. */
    PNG("a PNG image", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}),
    /** A NumPy array file. */
    NPY("a NumPy .npy file", Npy.MAGIC);

    final String description;
    private final byte[] magic;

    Kind(String description, byte[] magic) {
      this.description = description;
      this.magic = magic;
    }
  }

  /** Writes a file's bytes. */
  @FunctionalInterface
  interface Body {
    void write(OutputStream out) throws IOException;
  }

  private OutputFiles() {}

  /**
   * Refuses {@code target} where writing it would destroy something: one of {@code inputs}, a directory, or
   * an existing, non-empty file that is not of {@code kind}.
   *
   * @param option the option that named the target, for the message
   * @throws TingxinException {@link ErrorCode#INVALID_OPTION} saying which and why
   */
  static void check(String option, Path target, Kind kind, Collection<Path> inputs) {
    for (Path input : inputs) {
      if (same(target, input)) {
        throw refuse(option, target, "it is one of the input recordings");
      }
    }
    if (Files.isDirectory(target)) {
      throw refuse(option, target, "it is a directory");
    }
    if (Files.isRegularFile(target)) {
      try {
        if (Files.size(target) > 0 && !startsWith(target, kind.magic)) {
          throw refuse(option, target, "it exists and is not " + kind.description + " (name a new file, or remove"
              + " that one first if it should go)");
        }
      } catch (IOException e) {
        throw refuse(option, target, "it exists and cannot be read (" + e.getMessage() + ")");
      }
    }
  }

  /**
   * Checks {@code target} as {@link #check} does, then writes it whole or not at all. The target's folder
   * must exist.
   *
   * @throws TingxinException as {@link #check}
   * @throws IOException if the file could not be written; the target is then unchanged
   */
  static void write(String option, Path target, Kind kind, Collection<Path> inputs, Body body) throws IOException {
    check(option, target, kind, inputs);
    if (Files.exists(target) && !Files.isRegularFile(target)) {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 1 << 16)) {
        body.write(out);
      }
      return;
    }
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Path temporary = dir.resolve("." + absolute.getFileName() + "." + Long.toHexString(
        ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + ".part");
    boolean moved = false;
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
        body.write(out);
        out.flush();
        channel.force(true);
      }
      try {
        Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(temporary);
      }
    }
  }

  private static boolean same(Path target, Path input) {
    try {
      return Files.exists(target) && Files.exists(input) ? Files.isSameFile(target, input)
          : target.toAbsolutePath().normalize().equals(input.toAbsolutePath().normalize());
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean startsWith(Path file, byte[] magic) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return Arrays.equals(in.readNBytes(magic.length), magic);
    }
  }

  private static TingxinException refuse(String option, Path target, String why) {
    return new TingxinException(ErrorCode.INVALID_OPTION, option + " " + target + ": refusing to write there, "
        + "since " + why);
  }
}
