/**
 * Tingxin on Apache Spark: analyses an archive of recorded calls and writes Parquet tables of segments,
 * calls, errors and callers. {@link io.github.tingxin.spark.BatchJob} is the job,
 * {@link io.github.tingxin.spark.BatchOptions} its settings, {@link io.github.tingxin.spark.BatchCommand} the
 * {@code tingxin batch} command and the spark-submit entry point. Spark is a provided dependency: the CLI
 * or the cluster brings it.
 */
package io.github.tingxin.spark;
