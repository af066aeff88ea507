/**
 * Small programs that show Tingxin used as a library, each runnable from the CLI's jar, e.g.
 * {@code java -cp examples/target/examples.jar io.github.tingxin.examples.AnalyzeFile call.wav}:
 * {@link io.github.tingxin.examples.AnalyzeFile} (one recording, timeline and summary),
 * {@link io.github.tingxin.examples.LiveCallWithAlerts} (a live stream fed in chunks, with alerts), and
 * {@link io.github.tingxin.examples.BatchFolder} (a folder of calls on several threads with one shared
 * recognizer). Each takes an optional model package path; without one it uses the bundled default model.
 */
package io.github.tingxin.examples;
