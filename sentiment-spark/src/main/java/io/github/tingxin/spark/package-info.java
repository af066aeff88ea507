/**
 * Tingxin on Apache Spark: analyses an archive of recorded calls and writes Parquet tables of segments,
 * calls, errors and callers. {@link io.github.tingxin.spark.BatchJob} is the job,
 * {@link io.github.tingxin.spark.BatchOptions} its settings, {@link io.github.tingxin.spark.BatchCommand} the
 * spark-submit entry point (its command line read by {@link io.github.tingxin.spark.BatchArguments}, the
 * vocabulary of {@code tingxin batch}), and {@link io.github.tingxin.spark.BatchLauncher} what both command
 * lines do around the job. No picocli here: {@code tingxin batch} itself lives in tingxin-cli. Spark is a
 * provided dependency: the CLI or the cluster brings it.
 */
package io.github.tingxin.spark;
