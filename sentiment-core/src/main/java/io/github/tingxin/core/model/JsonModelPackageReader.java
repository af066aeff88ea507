package io.github.tingxin.core.model;

import io.github.tingxin.api.ErrorCode;
import io.github.tingxin.api.ModelManifest;
import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.api.TingxinException;
import io.github.tingxin.spi.ModelPackageReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads model packages from a directory, a {@code .zip} of one (the files at the zip's root or in one
 * top-level folder), or a class path folder; the {@link ModelPackageReader} service of sentiment-core.
 *
 * <p>The manifest is parsed by {@link ManifestJson} and validated by the records of {@link ModelManifest}
 * (the feature recipe's options by its extractor, when a recognizer is built: a refused option is then a
 * manifest error naming this package's manifest and the option). A directory's graph stays on disk (the backend maps it); a
 * zip's or class path folder's graph is read into memory. The model card is read where the manifest names
 * one ({@code provenance.modelCard}, which must then exist) or where {@code MODEL_CARD.md} is present.
 *
 * <p>What is read is bounded, file by file, whatever a zip's or a file system's sizes claim
 * ({@code docs/model-package.md}, "Limits"): the manifest at most {@value #MAX_MANIFEST_BYTES} bytes, the
 * model card {@value #MAX_MODEL_CARD_BYTES}, the graph {@value #MAX_MODEL_BYTES} (ONNX's protobuf limit) and
 * no more than the heap can hold; a zip entry that inflates to more than {@value #MAX_INFLATION_RATIO} times
 * its compressed size (past the first MiB) is refused as a zip bomb, and a zip whose end record claims more
 * entries than its central directory can hold, or a directory over 1 MiB, is refused before
 * {@link ZipFile} sizes its tables from those claims ({@link ZipDirectoryCheck}). Buffers grow as bytes arrive, or are
 * sized by a declared size only once that size has passed these checks.
 *
 * <p>Errors: {@link ErrorCode#MODEL_NOT_FOUND} when there is no package at the place (nothing there, or no
 * {@code tingxin-model.json}); {@link ErrorCode#MANIFEST_INVALID} naming the field and the file;
 * {@link ErrorCode#MODEL_FILE_INVALID} when {@code model.onnx} is missing or empty;
 * {@link ErrorCode#MODEL_PACKAGE_UNREADABLE} naming the file when the package cannot be read (a damaged
 * zip, an I/O error) or a file passes a limit.
 *
 * <p>Stateless and thread-safe.
 */
public final class JsonModelPackageReader implements ModelPackageReader {
  /** Manifests are small; a bigger file is not a manifest. */
  static final int MAX_MANIFEST_BYTES = 1 << 20;
  /** A model card is a page of Markdown; 1 MiB is a book. */
  static final int MAX_MODEL_CARD_BYTES = 1 << 20;
  /** The largest graph read into memory: ONNX's protobuf limit of 2 GiB (less a Java array's header). */
  static final int MAX_MODEL_BYTES = Integer.MAX_VALUE - 16;
  /** A zip entry inflating to more than this many times its compressed size is refused (past the first MiB). */
  static final int MAX_INFLATION_RATIO = 100;
  /** Entries up to this size are not held to the inflation ratio (tiny files compress very well). */
  static final int RATIO_EXEMPT_BYTES = 1 << 20;
  /** The longest zip entry name shown whole in a message. */
  static final int SHOWN_NAME_CHARS = 160;
  /** Default model card name, read where the manifest names none. */
  static final String DEFAULT_MODEL_CARD = "MODEL_CARD.md";

  /** For {@link java.util.ServiceLoader}. */
  public JsonModelPackageReader() {}

  @Override
  public ModelPackage read(Path path) {
    Objects.requireNonNull(path, "path");
    if (Files.isDirectory(path)) {
      return readDirectory(path);
    }
    if (!Files.exists(path)) {
      throw new TingxinException(ErrorCode.MODEL_NOT_FOUND, "No model package at " + path
          + ": nothing is there. Pass the folder (or .zip) that holds " + ModelPackage.MANIFEST_FILE + " and "
          + ModelPackage.MODEL_FILE + ".");
    }
    if (isZip(path)) {
      return readZip(path);
    }
    String hint = path.getFileName() != null && (path.getFileName().toString().equals(ModelPackage.MANIFEST_FILE)
        || path.getFileName().toString().endsWith(".onnx"))
        ? " Pass the folder that holds it instead: " + path.toAbsolutePath().getParent() + "."
        : " Pass the folder (or .zip) that holds " + ModelPackage.MANIFEST_FILE + " and " + ModelPackage.MODEL_FILE + ".";
    throw new TingxinException(ErrorCode.MODEL_NOT_FOUND, path + " is a file that is not a model package "
        + "(neither a folder nor a .zip)." + hint);
  }

  @Override
  public ModelPackage readResource(String folder, ClassLoader loader) {
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(loader, "loader");
    String base = folder.replaceAll("^/+|/+$", "");
    String location = "classpath:" + base;
    byte[] manifestBytes = resource(loader, base, ModelPackage.MANIFEST_FILE, location, Kind.MANIFEST);
    if (manifestBytes == null) {
      throw new TingxinException(ErrorCode.MODEL_NOT_FOUND, "No model package in class path folder '" + base
          + "': " + ModelPackage.MANIFEST_FILE + " is not there. Check the folder name and that the jar holding "
          + "the model is on the class path.");
    }
    ModelManifest manifest = parse(manifestBytes, location + "/" + ModelPackage.MANIFEST_FILE);
    byte[] model = resource(loader, base, ModelPackage.MODEL_FILE, location, Kind.MODEL);
    if (model == null || model.length == 0) {
      throw missingModel(location + "/" + ModelPackage.MODEL_FILE, model == null);
    }
    String card = modelCard(manifest, location, name -> resource(loader, base, name, location, Kind.MODEL_CARD));
    return ModelPackage.ofBytes(manifest, model, location, card);
  }

  private ModelPackage readDirectory(Path dir) {
    String location = dir.toAbsolutePath().normalize().toString();
    Path manifestFile = dir.resolve(ModelPackage.MANIFEST_FILE);
    if (!Files.isRegularFile(manifestFile)) {
      throw new TingxinException(ErrorCode.MODEL_NOT_FOUND, "No model package at " + location + ": "
          + ModelPackage.MANIFEST_FILE + " is not there. A package folder holds " + ModelPackage.MANIFEST_FILE
          + " and " + ModelPackage.MODEL_FILE + " (see docs/model-package.md).");
    }
    ModelManifest manifest = parse(readFile(manifestFile, Kind.MANIFEST), manifestFile.toString());
    Path model = dir.resolve(ModelPackage.MODEL_FILE);
    try {
      if (Files.isDirectory(model)) {
        throw new TingxinException(ErrorCode.MODEL_FILE_INVALID, model + " is a folder, not a file; a model"
            + " package needs its graph there. Re-export the model (recipes/export) or copy the complete package.");
      }
      if (!Files.isRegularFile(model) || Files.size(model) == 0) {
        throw missingModel(model.toString(), !Files.exists(model));
      }
    } catch (IOException e) {
      throw unreadable(model.toString(), e);
    }
    String card = modelCard(manifest, location, name -> {
      Path p = dir.resolve(name);
      return Files.isRegularFile(p) ? readFile(p, Kind.MODEL_CARD) : null;
    });
    return ModelPackage.ofFile(manifest, model, location, card);
  }

  private ModelPackage readZip(Path zip) {
    String zipName = zip.toAbsolutePath().normalize().toString();
    String implausible;
    try {
      implausible = ZipDirectoryCheck.implausibleDirectory(zip);
    } catch (IOException e) {
      throw unreadable(zipName, e);
    }
    if (implausible != null) {
      throw new TingxinException(ErrorCode.MODEL_PACKAGE_UNREADABLE, "Cannot read the zip " + zipName + ": "
          + implausible + "; it is damaged or not a model package. Re-create it from the package folder.");
    }
    try (ZipFile zf = new ZipFile(zip.toFile(), StandardCharsets.UTF_8)) {
      String prefix = zipPrefix(zf, zipName);
      String location = zipName + "!/" + shown(prefix);
      ModelManifest manifest = parse(entry(zf, prefix + ModelPackage.MANIFEST_FILE, Kind.MANIFEST),
          location + ModelPackage.MANIFEST_FILE);
      byte[] model = entry(zf, prefix + ModelPackage.MODEL_FILE, Kind.MODEL);
      if (model == null || model.length == 0) {
        throw missingModel(location + ModelPackage.MODEL_FILE, model == null);
      }
      String card = modelCard(manifest, location, name -> entry(zf, prefix + name, Kind.MODEL_CARD));
      return ModelPackage.ofBytes(manifest, model, location, card);
    } catch (IOException e) {
      throw new TingxinException(ErrorCode.MODEL_PACKAGE_UNREADABLE, "Cannot read the zip " + zipName + " ("
          + e.getMessage() + "); check it is a complete .zip of a model package folder.", e);
    }
  }

  /** The folder inside the zip that holds the manifest: the root, or the one top-level folder that has it. */
  private static String zipPrefix(ZipFile zf, String zipName) {
    if (lookUp(zf, ModelPackage.MANIFEST_FILE) != null) {
      return "";
    }
    List<String> found = new ArrayList<>();
    try {
      Enumeration<? extends ZipEntry> entries = zf.entries();
      while (entries.hasMoreElements()) {
        String n = entries.nextElement().getName();
        int slash = n.indexOf('/');
        if (slash > 0 && n.substring(slash + 1).equals(ModelPackage.MANIFEST_FILE)) {
          found.add(n.substring(0, slash + 1));
        }
      }
    } catch (IllegalArgumentException e) {
      throw notUtf8(zf, e);
    }
    if (found.size() != 1) {
      List<String> named = found.stream().limit(3).map(JsonModelPackageReader::shown).toList();
      throw new TingxinException(ErrorCode.MODEL_NOT_FOUND, "No model package in " + zipName + ": "
          + (found.isEmpty() ? ModelPackage.MANIFEST_FILE + " is neither at its root nor in a top-level folder."
              : found.size() + " top-level folders hold " + ModelPackage.MANIFEST_FILE + " (" + String.join(", ", named)
                  + (found.size() > named.size() ? ", ..." : "") + "); zip one package per file."));
    }
    return found.get(0);
  }

  /** The entry of that name, or null. */
  private static ZipEntry lookUp(ZipFile zf, String name) {
    try {
      return zf.getEntry(name);
    } catch (IllegalArgumentException e) {
      throw notUtf8(zf, e);
    }
  }

  /**
   * ZipFile decodes an entry's name and comment as UTF-8 when it builds the entry, and throws
   * IllegalArgumentException where the bytes are not UTF-8 (JDK 17 checks names when it opens a zip, not
   * comments): a damaged zip, not a programming error.
   */
  private static TingxinException notUtf8(ZipFile zf, IllegalArgumentException e) {
    return new TingxinException(ErrorCode.MODEL_PACKAGE_UNREADABLE, "Cannot read the zip " + zf.getName()
        + ": an entry's name or comment is not UTF-8 (" + e.getMessage() + "); the zip may be damaged. Re-create it "
        + "from the package folder.", e);
  }

  private static byte[] entry(ZipFile zf, String name, Kind kind) {
    ZipEntry e = lookUp(zf, name);
    if (e == null || e.isDirectory()) {
      return null;
    }
    String file = zf.getName() + "!/" + shown(name);
    long declared = e.getSize();
    // The compressed size is a claim too: no entry holds more compressed bytes than the whole zip.
    long compressed = Math.min(e.getCompressedSize(), zipBytes(zf));
    if (declared > kind.max) {
      throw kind.tooBig(file, declared);
    }
    if (declared > RATIO_EXEMPT_BYTES && compressed >= 0 && declared > MAX_INFLATION_RATIO * compressed) {
      throw zipBomb(file, declared, compressed);
    }
    try (InputStream in = zf.getInputStream(e)) {
      return readBounded(in, kind, file, declared, compressed);
    } catch (IOException ex) {
      throw new TingxinException(ErrorCode.MODEL_PACKAGE_UNREADABLE, "Cannot read " + file + " ("
          + ex.getMessage() + "); the zip may be damaged. Re-create it from the package folder.", ex);
    } catch (IllegalArgumentException ex) {
      throw notUtf8(zf, ex);
    }
  }

  /**
   * An entry name as messages and the package's location show it: a zip may hold names of up to 65,535
   * characters, and a message must stay readable, so a name over {@value #SHOWN_NAME_CHARS} characters is cut
   * in the middle.
   */
  static String shown(String name) {
    if (name.length() <= SHOWN_NAME_CHARS) {
      return name;
    }
    int keep = SHOWN_NAME_CHARS / 2;
    return name.substring(0, keep) + "...(" + (name.length() - 2 * keep) + " characters)..."
        + name.substring(name.length() - keep);
  }

  private static long zipBytes(ZipFile zf) {
    try {
      return Files.size(Path.of(zf.getName()));
    } catch (IOException e) {
      throw unreadable(zf.getName(), e);
    }
  }

  private static byte[] resource(ClassLoader loader, String base, String name, String location, Kind kind) {
    String res = base.isEmpty() ? name : base + "/" + name;
    String file = location + "/" + name;
    try (InputStream in = loader.getResourceAsStream(res)) {
      return in == null ? null : readBounded(in, kind, file, -1, -1);
    } catch (IOException e) {
      throw unreadable(file, e);
    }
  }

  private static byte[] readFile(Path file, Kind kind) {
    try (InputStream in = Files.newInputStream(file)) {
      long size = Files.size(file);
      if (size > kind.max) {
        throw kind.tooBig(file.toString(), size);
      }
      return readBounded(in, kind, file.toString(), -1, -1);
    } catch (IOException e) {
      throw unreadable(file.toString(), e);
    }
  }

  /**
   * Reads {@code in} to its end, refusing more than the kind's limit, more than the heap can hold, and (for
   * a zip entry of known compressed size) an inflation past {@link #MAX_INFLATION_RATIO}. The buffer is the
   * declared size where one is known (it passed the checks), else grows as bytes arrive.
   */
  private static byte[] readBounded(InputStream in, Kind kind, String file, long declared, long compressed)
      throws IOException {
    long heap = Runtime.getRuntime().maxMemory();
    if (declared > heap / 2) {
      throw outOfHeap(file, declared, heap);
    }
    byte[] buffer = new byte[(int) (declared >= 0 ? declared : Math.min(kind.max, 1 << 16))];
    int length = 0;
    while (true) {
      if (length == buffer.length) {
        int next = in.read();
        if (next < 0) {
          break; // exactly full
        }
        if (declared >= 0) {
          throw new IOException("the entry holds more bytes than its declared size " + declared);
        }
        if (length >= kind.max) {
          throw kind.tooBig(file, length + 1L);
        }
        if (length >= heap / 4) {
          throw outOfHeap(file, length + 1L, heap);
        }
        buffer = Arrays.copyOf(buffer, (int) Math.min(kind.max, Math.max(2L * buffer.length, 1 << 16)));
        buffer[length++] = (byte) next;
      }
      int n = in.read(buffer, length, buffer.length - length);
      if (n < 0) {
        break;
      }
      length += n;
      if (compressed >= 0 && length > RATIO_EXEMPT_BYTES && length > MAX_INFLATION_RATIO * compressed) {
        throw zipBomb(file, length, compressed);
      }
    }
    if (declared >= 0 && length != declared) {
      throw new IOException("the entry holds " + length + " bytes where its size says " + declared);
    }
    return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
  }

  private static ModelManifest parse(byte[] bytes, String file) {
    return ManifestJson.read(bytes, file);
  }

  private static TingxinException missingModel(String file, boolean absent) {
    return new TingxinException(ErrorCode.MODEL_FILE_INVALID, file + (absent ? " is missing" : " is empty")
        + "; a model package needs its graph. Re-export the model (recipes/export) or copy the complete package.");
  }

  /** Reads the file named by the manifest (which must exist), else the default card where present. */
  private static String modelCard(ModelManifest manifest, String location, Source source) {
    String named = manifest.provenance().modelCard();
    byte[] bytes = source.bytes(named.isEmpty() ? DEFAULT_MODEL_CARD : named);
    if (bytes == null && !named.isEmpty()) {
      throw new TingxinException(ErrorCode.MANIFEST_INVALID, location + (location.endsWith("/") ? "" : "/")
          + ModelPackage.MANIFEST_FILE + ": provenance.modelCard: '" + named + "' is not in the package; add the "
          + "model card or remove the field.");
    }
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  private static boolean isZip(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] magic = in.readNBytes(4);
      return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
    } catch (IOException e) {
      throw unreadable(file.toString(), e);
    }
  }

  private static TingxinException unreadable(String file, IOException e) {
    return new TingxinException(ErrorCode.MODEL_PACKAGE_UNREADABLE, "Cannot read " + file + " ("
        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
        + "); check that the package's files are readable.", e);
  }

  private static TingxinException zipBomb(String file, long inflated, long compressed) {
    return new TingxinException(ErrorCode.MODEL_PACKAGE_UNREADABLE, file + ": inflates to more than "
        + inflated + " bytes from " + compressed + " compressed (over " + MAX_INFLATION_RATIO + " times; a zip "
        + "bomb or not a model package). Use a package zipped from its folder, or the folder itself.");
  }

  private static TingxinException outOfHeap(String file, long bytes, long heap) {
    return new TingxinException(ErrorCode.MODEL_PACKAGE_UNREADABLE, file + ": " + bytes + " bytes do not fit in "
        + "this JVM's heap (" + (heap >> 20) + " MiB). Unzip the package into a folder, whose graph is read from "
        + "disk, or raise -Xmx.");
  }

  /** The files of a package, with what may be read of each. */
  private enum Kind {
    MANIFEST(MAX_MANIFEST_BYTES),
    MODEL_CARD(MAX_MODEL_CARD_BYTES),
    MODEL(MAX_MODEL_BYTES);

    final int max;

    Kind(int max) {
      this.max = max;
    }

    TingxinException tooBig(String file, long bytes) {
      return switch (this) {
        case MANIFEST -> new TingxinException(ErrorCode.MANIFEST_INVALID, file + ": larger than " + max
            + " bytes (" + bytes + "); this is not a Tingxin manifest.");
        case MODEL_CARD -> new TingxinException(ErrorCode.MODEL_PACKAGE_UNREADABLE, file + ": the model card is "
            + bytes + " bytes, over the " + max + " a model card may have (docs/model-package.md, Limits); "
            + "shorten it or leave it out of the package.");
        case MODEL -> new TingxinException(ErrorCode.MODEL_PACKAGE_UNREADABLE, file + ": the graph is " + bytes
            + " bytes, over ONNX's limit of " + max + "; this is not a model Tingxin can load.");
      };
    }
  }

  /** Reads one file of a package by name, or gives null where it is absent. */
  @FunctionalInterface
  private interface Source {
    byte[] bytes(String name);
  }
}
