package io.github.tingxin.spark;

import io.github.tingxin.api.ModelPackage;
import io.github.tingxin.core.model.ManifestJson;
import java.io.Serializable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A model package as bytes, broadcast once to every executor (Spark caches a broadcast per executor), so
 * executors need no access to the driver's model path and no copy is made per file or per task.
 */
final class ShippedModel implements Serializable {
  private static final long serialVersionUID = 1L;

  final byte[] manifestJson;
  final byte[] modelBytes;
  final String location;
  final String modelCard;
  final String sha256;
  final String nameAndVersion;

  private ShippedModel(byte[] manifestJson, byte[] modelBytes, String location, String modelCard, String sha256,
      String nameAndVersion) {
    this.manifestJson = manifestJson;
    this.modelBytes = modelBytes;
    this.location = location;
    this.modelCard = modelCard;
    this.sha256 = sha256;
    this.nameAndVersion = nameAndVersion;
  }

  static ShippedModel of(ModelPackage model) {
    byte[] bytes = model.modelBytes();
    return new ShippedModel(ManifestJson.writeBytes(model.manifest()), bytes, model.location(),
        model.modelCard().orElse(null), sha256(bytes),
        model.manifest().name() + " " + model.manifest().version());
  }

  ModelPackage toPackage() {
    return ModelPackage.ofBytes(ManifestJson.read(manifestJson, location), modelBytes, location, modelCard);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
