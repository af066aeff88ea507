package io.github.tingxin.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.TingxinException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonModelPackageReaderTest {
  static final String RESOURCE = "io/github/tingxin/core/model/pkg";
  static final String[] FILES = {"tingxin-model.json", "model.onnx", "MODEL_CARD.md"};

  @TempDir
  Path tmp;

  final JsonModelPackageReader reader = new JsonModelPackageReader();

  static byte[] resource(String name) throws IOException {
    try (InputStream in = JsonModelPackageReaderTest.class.getClassLoader().getResourceAsStream(RESOURCE + "/" + name)) {
      return in.readAllBytes();
    }
  }

  Path packageDir() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("pkg"));
    for (String f : FILES) {
      Files.write(dir.resolve(f), resource(f));
    }
    return dir;
  }

  Path zip(String prefix, String... files) throws IOException {
    Path zip = tmp.resolve("pkg.zip");
    try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
      for (String f : files) {
        z.putNextEntry(new ZipEntry(prefix + f));
        z.write(resource(f));
        z.closeEntry();
      }
    }
    return zip;
  }

  @Test
  void readsADirectory() throws IOException {
    Path dir = packageDir();
    ModelPackage p = reader.read(dir);
    assertThat(p.manifest().name()).isEqualTo("test-cnn");
    assertThat(p.modelFile()).contains(dir.resolve("model.onnx"));
    assertThat(p.modelBytes()).isEqualTo(resource("model.onnx"));
    assertThat(p.modelCard()).contains("Test card.\n");
    assertThat(p.location()).isEqualTo(dir.toAbsolutePath().normalize().toString());
  }

  @Test
  void theServiceLoaderFindsTheReader() throws IOException {
    assertThat(ModelPackage.load(packageDir()).manifest().name()).isEqualTo("test-cnn");
  }

  @Test
  void readsAZipWithFilesAtTheRootOrInOneFolder() throws IOException {
    for (String prefix : new String[] {"", "my-model/"}) {
      ModelPackage p = reader.read(zip(prefix, FILES));
      assertThat(p.manifest().name()).isEqualTo("test-cnn");
      assertThat(p.modelFile()).isEmpty();
      assertThat(p.modelBytes()).isEqualTo(resource("model.onnx"));
      assertThat(p.modelCard()).contains("Test card.\n");
      assertThat(p.location()).endsWith("pkg.zip!/" + prefix);
    }
  }

  @Test
  void readsAClassPathFolder() throws IOException {
    for (String folder : new String[] {RESOURCE, "/" + RESOURCE + "/"}) {
      ModelPackage p = reader.readResource(folder, getClass().getClassLoader());
      assertThat(p.manifest().name()).isEqualTo("test-cnn");
      assertThat(p.modelBytes()).isEqualTo(resource("model.onnx"));
      assertThat(p.location()).isEqualTo("classpath:" + RESOURCE);
    }
  }

  @Test
  void nothingThereIsModelNotFound() {
    expect(() -> reader.read(tmp.resolve("nope")), ErrorCode.MODEL_NOT_FOUND, "nothing is there");
    expect(() -> reader.read(tmp), ErrorCode.MODEL_NOT_FOUND, "tingxin-model.json is not there");
    expect(() -> reader.readResource("no/such/folder", getClass().getClassLoader()), ErrorCode.MODEL_NOT_FOUND,
        "no/such/folder");
  }

  @Test
  void aFileThatIsNotAZipIsModelNotFoundWithAHint() throws IOException {
    Path dir = packageDir();
    expect(() -> reader.read(dir.resolve("model.onnx")), ErrorCode.MODEL_NOT_FOUND,
        "Pass the folder that holds it instead: " + dir.toAbsolutePath());
  }

  @Test
  void aZipWithoutAManifestIsModelNotFound() throws IOException {
    Path z = zip("a/b/", FILES);
    expect(() -> reader.read(z), ErrorCode.MODEL_NOT_FOUND, "neither at its root nor in a top-level folder");
  }

  @Test
  void missingOrEmptyGraphIsModelFileInvalid() throws IOException {
    Path dir = packageDir();
    Files.write(dir.resolve("model.onnx"), new byte[0]);
    expect(() -> reader.read(dir), ErrorCode.MODEL_FILE_INVALID, "model.onnx is empty");
    Files.delete(dir.resolve("model.onnx"));
    expect(() -> reader.read(dir), ErrorCode.MODEL_FILE_INVALID, "model.onnx is missing");
    Path z = zip("", "tingxin-model.json", "MODEL_CARD.md");
    expect(() -> reader.read(z), ErrorCode.MODEL_FILE_INVALID, "pkg.zip!/model.onnx is missing");
  }

  @Test
  void aNamedModelCardMustExist() throws IOException {
    Path dir = packageDir();
    Files.delete(dir.resolve("MODEL_CARD.md"));
    expect(() -> reader.read(dir), ErrorCode.MANIFEST_INVALID, "provenance.modelCard: 'MODEL_CARD.md' is not in");
  }

  @Test
  void manifestErrorsNameTheFileInADirectoryAndAZip() throws IOException {
    Path dir = packageDir();
    String json = Files.readString(dir.resolve("tingxin-model.json")).replace("\"license\"", "\"licence\"");
    Files.writeString(dir.resolve("tingxin-model.json"), json);
    expect(() -> reader.read(dir), ErrorCode.MANIFEST_INVALID,
        dir.resolve("tingxin-model.json").toAbsolutePath() + ": licence: unknown field");

    Path zip = tmp.resolve("bad.zip");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
      z.putNextEntry(new ZipEntry("tingxin-model.json"));
      z.write(json.getBytes(StandardCharsets.UTF_8));
      z.putNextEntry(new ZipEntry("model.onnx"));
      z.write(resource("model.onnx"));
    }
    expect(() -> reader.read(zip), ErrorCode.MANIFEST_INVALID, "bad.zip!/tingxin-model.json: licence: unknown field");
  }

  @Test
  void aTooLargeManifestIsRefused() throws IOException {
    Path dir = packageDir();
    Files.write(dir.resolve("tingxin-model.json"), new byte[JsonModelPackageReader.MAX_MANIFEST_BYTES + 1]);
    expect(() -> reader.read(dir), ErrorCode.MANIFEST_INVALID, "not a Tingxin manifest");
  }

  @Test
  void zipEntriesAreReadWithinTheirLimitsAndTheirDeclaredSizes() throws IOException {
    // A zipped model card of 2 MiB: refused from its declared size, before anything is inflated.
    Path big = zipWithCard("big-card.zip", new byte[2 << 20]);
    expect(() -> reader.read(big), ErrorCode.MODEL_PACKAGE_UNREADABLE,
        "big-card.zip!/MODEL_CARD.md: the model card is 2097152 bytes, over the 1048576");

    // A central directory that says the card is 1000 bytes when it inflates to 200 KB: the reader stops at
    // the declared size instead of trusting the stream (or the size) alone.
    Path lying = zipWithCard("lying.zip", "Test card.\n".repeat(20_000).getBytes(StandardCharsets.UTF_8));
    byte[] bytes = Files.readAllBytes(lying);
    int patched = 0;
    byte[] name = "MODEL_CARD.md".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i + 46 + name.length <= bytes.length; i++) {
      boolean central = bytes[i] == 'P' && bytes[i + 1] == 'K' && bytes[i + 2] == 1 && bytes[i + 3] == 2;
      if (central && java.util.Arrays.equals(bytes, i + 46, i + 46 + name.length, name, 0, name.length)) {
        java.nio.ByteBuffer.wrap(bytes, i + 24, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(1000);
        patched++;
      }
    }
    assertThat(patched).isEqualTo(1);
    Files.write(lying, bytes);
    expect(() -> reader.read(lying), ErrorCode.MODEL_PACKAGE_UNREADABLE, "lying.zip!/MODEL_CARD.md");
  }

  @Test
  void aZipWhoseDirectoryClaimsMoreEntriesThanItHoldsIsRefusedBeforeItIsOpened() throws IOException {
    byte[] valid = Files.readAllBytes(zip("", FILES));
    ModelPackage expected = reader.read(tmp.resolve("pkg.zip"));

    // JDK 17's ZipFile sized its entry table from this claim: 1.4 GB for a file of a few KB.
    Path bomb = tmp.resolve("zip64-bomb.zip");
    Files.write(bomb, withZip64End(valid, 100_000_000L));
    long before = allocatedBytes();
    expect(() -> reader.read(bomb), ErrorCode.MODEL_PACKAGE_UNREADABLE,
        "zip64-bomb.zip: its ZIP64 end record claims 100000000 entries in a central directory of");
    assertThat(allocatedBytes() - before).as("bytes allocated refusing the zip").isLessThan(16L << 20);

    // The same ZIP64 records with the true count: a valid zip, read as before.
    Path zip64 = tmp.resolve("zip64.zip");
    Files.write(zip64, withZip64End(valid, FILES.length));
    assertThat(reader.read(zip64).manifest()).isEqualTo(expected.manifest());

    Path counted = tmp.resolve("counted.zip");
    byte[] claims = valid.clone();
    ByteBuffer.wrap(claims).order(ByteOrder.LITTLE_ENDIAN).putShort(claims.length - 22 + 8, (short) 65534)
        .putShort(claims.length - 22 + 10, (short) 65534);
    Files.write(counted, claims);
    expect(() -> reader.read(counted), ErrorCode.MODEL_PACKAGE_UNREADABLE, "end record claims 65534 entries");
  }

  @Test
  void anEntryCommentThatIsNotUtf8IsAnUnreadableZip() throws IOException {
    // JDK 17's ZipFile checks names when it opens a zip, but decodes an entry's comment only when it builds the
    // entry, and then throws IllegalArgumentException (found by ManifestFuzzTest#modelPackageZip).
    Path zip = tmp.resolve("comment.zip");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
      for (String f : FILES) {
        ZipEntry entry = new ZipEntry(f);
        entry.setComment("~");
        z.putNextEntry(entry);
        z.write(resource(f));
      }
    }
    byte[] bytes = Files.readAllBytes(zip);
    int patched = 0;
    for (int i = 0; i + 46 <= bytes.length; i++) {
      boolean central = bytes[i] == 'P' && bytes[i + 1] == 'K' && bytes[i + 2] == 1 && bytes[i + 3] == 2;
      if (central) {
        ByteBuffer header = ByteBuffer.wrap(bytes, i, 46).order(ByteOrder.LITTLE_ENDIAN);
        int commentAt = i + 46 + header.getShort(i + 28) + header.getShort(i + 30);
        assertThat(bytes[commentAt]).isEqualTo((byte) '~');
        bytes[commentAt] = (byte) 0xFF;
        patched++;
      }
    }
    assertThat(patched).isEqualTo(FILES.length);
    Files.write(zip, bytes);
    expect(() -> reader.read(zip), ErrorCode.MODEL_PACKAGE_UNREADABLE,
        "comment.zip: an entry's name or comment is not UTF-8");
  }

  @Test
  void messagesStayReadableWhateverTheNamesInTheZip() throws IOException {
    String folder = "A".repeat(4000) + "/";
    Path oneFolder = zip(folder, "tingxin-model.json");
    assertThatThrownBy(() -> reader.read(oneFolder))
        .isInstanceOfSatisfying(TingxinException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.MODEL_FILE_INVALID);
          assertThat(e.getMessage()).contains("...(3841 characters)...").contains("/model.onnx is missing")
              .hasSizeLessThan(500);
        });

    Path twoFolders = tmp.resolve("two.zip");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(twoFolders))) {
      for (String top : new String[] {"B".repeat(3000), "C".repeat(3000), "D", "E"}) {
        z.putNextEntry(new ZipEntry(top + "/tingxin-model.json"));
        z.write(resource("tingxin-model.json"));
      }
    }
    assertThatThrownBy(() -> reader.read(twoFolders))
        .isInstanceOfSatisfying(TingxinException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND);
          assertThat(e.getMessage()).contains("4 top-level folders hold tingxin-model.json (BBB").contains(", ...)")
              .hasSizeLessThan(1000);
        });
  }

  /** {@code zip} with a ZIP64 end record and locator before its end record, claiming {@code entries}. */
  private static byte[] withZip64End(byte[] zip, long entries) {
    int end = zip.length - 22;
    ByteBuffer in = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
    long dirBytes = Integer.toUnsignedLong(in.getInt(end + 12));
    long dirOffset = Integer.toUnsignedLong(in.getInt(end + 16));
    ByteBuffer out = ByteBuffer.allocate(zip.length + 56 + 20).order(ByteOrder.LITTLE_ENDIAN);
    out.put(zip, 0, end);
    out.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
        .putLong(entries).putLong(entries).putLong(dirBytes).putLong(dirOffset);
    out.putInt(0x07064b50).putInt(0).putLong(end).putInt(1);
    out.put(zip, end, 22);
    out.putShort(end + 56 + 20 + 8, (short) 0xFFFF).putShort(end + 56 + 20 + 10, (short) 0xFFFF);
    return out.array();
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  /** A zip of the test package's manifest and graph with {@code card} as its model card. */
  private Path zipWithCard(String name, byte[] card) throws IOException {
    Path zip = tmp.resolve(name);
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(zip))) {
      for (String f : new String[] {"tingxin-model.json", "model.onnx"}) {
        z.putNextEntry(new ZipEntry(f));
        z.write(resource(f));
      }
      z.putNextEntry(new ZipEntry("MODEL_CARD.md"));
      z.write(card);
    }
    return zip;
  }

  private static void expect(ThrowingCallable call, ErrorCode code, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(TingxinException.class, e -> assertThat(e.code()).isEqualTo(code))
        .hasMessageContaining(message);
  }
}
