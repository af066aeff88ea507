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
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads model packages from a directory, a {@code .zip} of one (the files at the zip's root or in one
 * top-level folder), or a class path folder; the {@link ModelPackageReader} service of sentiment-core.
 *
 * <p>The manifest is parsed by {@link ManifestJson} and validated by the records of {@link ModelManifest}.
 * A directory's graph stays on disk (the backend maps it); a zip's or class path folder's graph is read
 * into memory. The model card is read where the manifest names one ({@code provenance.modelCard}, which
 * must then exist) or where {@code MODEL_CARD.md} is present.
 *
 * <p>Errors: {@link ErrorCode#MODEL_NOT_FOUND} when there is no package at the place (nothing there, or no
 * {@code tingxin-model.json}); {@link ErrorCode#MANIFEST_INVALID} naming the field and the file;
 * {@link ErrorCode#MODEL_FILE_INVALID} when {@code model.onnx} is missing or empty; {@link ErrorCode#IO_ERROR}
 * when reading fails.
 *
 * <p>Stateless and thread-safe.
 */
public final class JsonModelPackageReader implements ModelPackageReader {
  /** Manifests are small; a bigger file is not a manifest. */
  static final int MAX_MANIFEST_BYTES = 1 << 20;
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
    byte[] manifestBytes = resource(loader, base, ModelPackage.MANIFEST_FILE, location);
    if (manifestBytes == null) {
      throw new TingxinException(ErrorCode.MODEL_NOT_FOUND, "No model package in class path folder '" + base
          + "': " + ModelPackage.MANIFEST_FILE + " is not there. Check the folder name and that the jar holding "
          + "the model is on the class path.");
    }
    ModelManifest manifest = parse(manifestBytes, location + "/" + ModelPackage.MANIFEST_FILE);
    byte[] model = resource(loader, base, ModelPackage.MODEL_FILE, location);
    if (model == null || model.length == 0) {
      throw missingModel(location + "/" + ModelPackage.MODEL_FILE, model == null);
    }
    String card = modelCard(manifest, location, name -> resource(loader, base, name, location));
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
    ModelManifest manifest = parse(readFile(manifestFile, MAX_MANIFEST_BYTES), manifestFile.toString());
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
      throw new TingxinException(ErrorCode.IO_ERROR, "Cannot read " + model + " (" + e.getMessage() + ").", e);
    }
    String card = modelCard(manifest, location, name -> {
      Path p = dir.resolve(name);
      return Files.isRegularFile(p) ? readFile(p, Integer.MAX_VALUE - 16) : null;
    });
    return ModelPackage.ofFile(manifest, model, location, card);
  }

  private ModelPackage readZip(Path zip) {
    String zipName = zip.toAbsolutePath().normalize().toString();
    try (ZipFile zf = new ZipFile(zip.toFile(), StandardCharsets.UTF_8)) {
      String prefix = zipPrefix(zf, zipName);
      String location = zipName + "!/" + prefix;
      ModelManifest manifest = parse(entry(zf, prefix + ModelPackage.MANIFEST_FILE, MAX_MANIFEST_BYTES),
          location + ModelPackage.MANIFEST_FILE);
      byte[] model = entry(zf, prefix + ModelPackage.MODEL_FILE, Integer.MAX_VALUE - 16);
      if (model == null || model.length == 0) {
        throw missingModel(location + ModelPackage.MODEL_FILE, model == null);
      }
      String card = modelCard(manifest, location, name -> entry(zf, prefix + name, Integer.MAX_VALUE - 16));
      return ModelPackage.ofBytes(manifest, model, location, card);
    } catch (IOException e) {
      throw new TingxinException(ErrorCode.IO_ERROR, "Cannot read the zip " + zipName + " (" + e.getMessage()
          + "); check it is a complete .zip of a model package folder.", e);
    }
  }

  /** The folder inside the zip that holds the manifest: the root, or the one top-level folder that has it. */
  private static String zipPrefix(ZipFile zf, String zipName) {
    if (zf.getEntry(ModelPackage.MANIFEST_FILE) != null) {
      return "";
    }
    List<String> found = new ArrayList<>();
    Enumeration<? extends ZipEntry> entries = zf.entries();
    while (entries.hasMoreElements()) {
      String n = entries.nextElement().getName();
      int slash = n.indexOf('/');
      if (slash > 0 && n.substring(slash + 1).equals(ModelPackage.MANIFEST_FILE)) {
        found.add(n.substring(0, slash + 1));
      }
    }
    if (found.size() != 1) {
      throw new TingxinException(ErrorCode.MODEL_NOT_FOUND, "No model package in " + zipName + ": "
          + (found.isEmpty() ? ModelPackage.MANIFEST_FILE + " is neither at its root nor in a top-level folder."
              : "several top-level folders hold " + ModelPackage.MANIFEST_FILE + " (" + String.join(", ", found)
                  + "); zip one package per file."));
    }
    return found.get(0);
  }

  private static byte[] entry(ZipFile zf, String name, int max) {
    ZipEntry e = zf.getEntry(name);
    if (e == null || e.isDirectory()) {
      return null;
    }
    try (InputStream in = zf.getInputStream(e)) {
      return readLimited(in, max, zf.getName() + "!/" + name);
    } catch (IOException ex) {
      throw new TingxinException(ErrorCode.IO_ERROR, "Cannot read " + zf.getName() + "!/" + name + " ("
          + ex.getMessage() + "); the zip may be damaged.", ex);
    }
  }

  private static byte[] resource(ClassLoader loader, String base, String name, String location) {
    String res = base.isEmpty() ? name : base + "/" + name;
    try (InputStream in = loader.getResourceAsStream(res)) {
      return in == null ? null : readLimited(in, Integer.MAX_VALUE - 16, location + "/" + name);
    } catch (IOException e) {
      throw new TingxinException(ErrorCode.IO_ERROR, "Cannot read " + location + "/" + name + " ("
          + e.getMessage() + ").", e);
    }
  }

  private static byte[] readFile(Path file, int max) {
    try {
      if (Files.size(file) > max) {
        throw tooBig(file.toString(), max);
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new TingxinException(ErrorCode.IO_ERROR, "Cannot read " + file + " (" + e.getMessage() + ").", e);
    }
  }

  private static byte[] readLimited(InputStream in, int max, String name) throws IOException {
    byte[] bytes = in.readNBytes(max);
    if (bytes.length == max && in.read() != -1) {
      throw tooBig(name, max);
    }
    return bytes;
  }

  private static TingxinException tooBig(String name, int max) {
    boolean manifest = name.endsWith(ModelPackage.MANIFEST_FILE);
    return new TingxinException(ErrorCode.MANIFEST_INVALID, name + ": larger than " + max + " bytes; "
        + (manifest ? "this is not a Tingxin manifest." : "too large to be part of a model package."));
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
      throw new TingxinException(ErrorCode.IO_ERROR, "Cannot read " + file + " (" + e.getMessage() + ").", e);
    }
  }

  /** Reads one file of a package by name, or gives null where it is absent. */
  @FunctionalInterface
  private interface Source {
    byte[] bytes(String name);
  }
}
