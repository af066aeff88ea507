/**
 * Model packages: reading and writing {@code tingxin-model.json} ({@link io.github.tingxin.core.model.ManifestJson}),
 * loading a package from a directory, zip or class path folder
 * ({@link io.github.tingxin.core.model.JsonModelPackageReader}, the {@code ModelPackageReader} service), and
 * turning a head's raw graph outputs into scores ({@link io.github.tingxin.core.model.ScoreDecoder}).
 *
 * <p>The format is specified in {@code docs/model-package.md}.
 *
 * <p><b>Exported</b>: part of sentiment-core's API, kept compatible like {@code io.github.tingxin.api}
 * (README.md, "What sentiment-core exports").
 */
package io.github.tingxin.core.model;
