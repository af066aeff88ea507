package io.github.tingxin.core.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks a zip's claims about its central directory before {@link java.util.zip.ZipFile} trusts them.
 *
 * <p>Why: {@code ZipFile} (JDK 17 up to at least 17.0.15) sizes its entry table from the entry count in the
 * end record, and a ZIP64 end record may claim up to 2^31 entries. A 200-byte file claiming 10^8 entries
 * made it allocate 1.4 GB (found by {@code ManifestFuzzTest#modelPackageZip}); later JDKs refuse a count
 * over the directory size / 46, the size of the smallest directory header. This check applies that rule to
 * the end record {@code ZipFile} will use, found the way it finds it, and bounds the directory itself: a
 * model package holds a handful of files, so its directory is a few hundred bytes, and
 * {@link #MAX_DIRECTORY_BYTES} is far above any real one.
 *
 * <p>It only refuses what no valid zip claims; anything it cannot make sense of (no end record, a
 * truncated ZIP64 record) is left to {@code ZipFile}, which reports it as a damaged zip. Stateless.
 */
final class ZipDirectoryCheck {
  /** The largest central directory read: 1 MiB holds over 10,000 entries; a package has three or four. */
  static final int MAX_DIRECTORY_BYTES = 1 << 20;

  private static final int END_SIG = 0x06054b50;
  private static final int END_BYTES = 22;
  private static final int MAX_COMMENT = 0xFFFF;
  private static final int CEN_SIG = 0x02014b50;
  private static final int LOC_SIG = 0x04034b50;
  private static final int CEN_HEADER_BYTES = 46;
  private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
  private static final int ZIP64_LOCATOR_BYTES = 20;
  private static final int ZIP64_END_SIG = 0x06064b50;
  private static final int ZIP64_END_BYTES = 56;

  private ZipDirectoryCheck() {}

  /**
   * Returns null when the zip's directory claims are plausible (or cannot be found, which ZipFile reports
   * itself), else a sentence saying which claim is not.
   */
  static String implausibleDirectory(Path zip) throws IOException {
    try (SeekableByteChannel in = Files.newByteChannel(zip)) {
      long size = in.size();
      int tail = (int) Math.min(size, END_BYTES + MAX_COMMENT);
      ByteBuffer buf = read(in, size - tail, tail);
      if (buf == null) {
        return null;
      }
      // Backwards, as ZipFile does: the last end record whose comment reaches the end of the file, or
      // whose directory and first local header are where it says.
      for (int i = tail - END_BYTES; i >= 0; i--) {
        if (buf.getInt(i) != END_SIG) {
          continue;
        }
        long endPos = size - tail + i;
        long entries = Short.toUnsignedLong(buf.getShort(i + 10));
        long dirBytes = Integer.toUnsignedLong(buf.getInt(i + 12));
        long dirOffset = Integer.toUnsignedLong(buf.getInt(i + 16));
        int comment = Short.toUnsignedInt(buf.getShort(i + 20));
        if (endPos + END_BYTES + comment != size && !signaturesWhereClaimed(in, endPos, dirBytes, dirOffset)) {
          continue;
        }
        // 0xFFFF and 0xFFFFFFFF say "see the ZIP64 record"; without one, ZipFile refuses them itself.
        boolean deferred = entries == 0xFFFFL || dirBytes == 0xFFFFFFFFL || dirOffset == 0xFFFFFFFFL;
        String claim = deferred ? null : implausible(entries, dirBytes, "end record");
        return claim != null ? claim : implausibleZip64(in, endPos);
      }
      return null;
    }
  }

  /** The ZIP64 end record, where a locator precedes the end record; checked whatever the end record says. */
  private static String implausibleZip64(SeekableByteChannel in, long endPos) throws IOException {
    if (endPos < ZIP64_LOCATOR_BYTES) {
      return null;
    }
    ByteBuffer locator = read(in, endPos - ZIP64_LOCATOR_BYTES, ZIP64_LOCATOR_BYTES);
    if (locator == null || locator.getInt(0) != ZIP64_LOCATOR_SIG) {
      return null;
    }
    long end64Pos = locator.getLong(8);
    if (end64Pos < 0 || end64Pos > in.size() - ZIP64_END_BYTES) {
      return null;
    }
    ByteBuffer end64 = read(in, end64Pos, ZIP64_END_BYTES);
    if (end64 == null || end64.getInt(0) != ZIP64_END_SIG) {
      return null;
    }
    return implausible(end64.getLong(32), end64.getLong(40), "ZIP64 end record");
  }

  private static String implausible(long entries, long dirBytes, String record) {
    if (dirBytes < 0 || dirBytes > MAX_DIRECTORY_BYTES) {
      return "its " + record + " claims a central directory of " + Long.toUnsignedString(dirBytes)
          + " bytes, over the " + MAX_DIRECTORY_BYTES + " a model package's can need";
    }
    if (entries < 0 || entries > dirBytes / CEN_HEADER_BYTES) {
      return "its " + record + " claims " + Long.toUnsignedString(entries) + " entries in a central directory of "
          + dirBytes + " bytes, more than fit";
    }
    return null;
  }

  private static boolean signaturesWhereClaimed(SeekableByteChannel in, long endPos, long dirBytes, long dirOffset)
      throws IOException {
    long dirPos = endPos - dirBytes;
    long firstLocal = dirPos - dirOffset;
    if (dirPos < 0 || firstLocal < 0) {
      return false;
    }
    ByteBuffer dir = read(in, dirPos, 4);
    ByteBuffer local = read(in, firstLocal, 4);
    return dir != null && local != null && dir.getInt(0) == CEN_SIG && local.getInt(0) == LOC_SIG;
  }

  /** {@code length} bytes at {@code position}, little-endian, or null where the file ends first. */
  private static ByteBuffer read(SeekableByteChannel in, long position, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    in.position(position);
    while (buf.hasRemaining()) {
      if (in.read(buf) < 0) {
        return null;
      }
    }
    return buf.flip();
  }
}
