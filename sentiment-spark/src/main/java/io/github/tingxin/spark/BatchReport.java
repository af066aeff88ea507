package io.github.tingxin.spark;

/**
 * What one batch run did. Every input row is accounted for:
 * {@code inputs == skipped + analysed + failed}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param run the run number, 1 for the first run into an output directory
 * @param model name and version of the model
 * @param modelSha256 SHA-256 of the model graph, which incremental runs must share
 * @param inputs input rows (files listed, or manifest rows)
 * @param skipped rows whose call was already done by an earlier run (incremental mode)
 * @param analysed calls analysed and written to the calls table
 * @param failed calls written to the errors table instead
 * @param segments rows written to the segments table
 * @param audioSeconds duration of the analysed recordings
 * @param analyseSeconds time of the Spark job that reads, analyses and writes the calls (its tasks write each
 *     call's rows as they go)
 * @param wallSeconds time the run took, listing and the run's records included
 * @param ignoredFiles files under a directory input that did not match the pattern (not inputs)
 * @param specialFiles entries under a directory input that are not regular files (FIFOs, devices, sockets):
 *     never opened, and not inputs
 */
public record BatchReport(int run, String model, String modelSha256, long inputs, long skipped, long analysed,
    long failed, long segments, double audioSeconds, double analyseSeconds, double wallSeconds, long ignoredFiles,
    long specialFiles) {

  /** Hours of audio analysed per hour of wall time. */
  public double audioHoursPerHour() {
    return wallSeconds > 0 ? audioSeconds / wallSeconds : 0;
  }
}
