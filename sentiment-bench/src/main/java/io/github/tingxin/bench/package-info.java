/**
 * JMH benchmarks of Tingxin's hot paths. Build with {@code mvn -pl sentiment-bench -am package -DskipTests}
 * and run {@code java -jar sentiment-bench/target/benchmarks.jar}. Figures and the commands that made them
 * are in {@code sentiment-bench/RESULTS.md}.
 */
package io.github.tingxin.bench;
