#!/usr/bin/env bash
# What an executor needs per concurrent call (docs/batch.md, "What the executors need"): whether `tingxin
# analyze` runs a 60-minute 8 kHz call and a 2-second clip within small heaps, and the process's peak RSS.
# A batch task analyses one call at a time exactly as `analyze` does, so the smallest heap that works bounds
# what a task needs beyond the executor's own JVM and Spark.
#
#   sentiment-bench/scripts/spark-executor-memory.sh [HEAP_MB...]      (default: 8 12 16 32)
#
# Needs sox and tingxin-cli/target/tingxin.jar (mvn -q package -DskipTests), or the jar named by TINGXIN_JAR.
# Each line: file, heap, exit status, peak RSS, wall time, and where the run failed the line tingxin printed
# ("out of memory" when the heap was too small).
set -euo pipefail
cd "$(dirname "$0")/../.."
HEAPS=("$@")
[[ ${#HEAPS[@]} -gt 0 ]] || HEAPS=(8 12 16 32)
JAR=${TINGXIN_JAR:-tingxin-cli/target/tingxin.jar}
[[ -f $JAR ]] || { echo "spark-executor-memory: build $JAR first: mvn -q package -DskipTests" >&2; exit 2; }
WORK=sentiment-bench/target/spark-executor-memory
rm -rf "$WORK"
mkdir -p "$WORK"
# EmoDB end to end (~18 min) at 8 kHz, four times, cut at 60 minutes: speech all through, as a busy call.
sox -V1 ../shared/data/emodb/*.wav -r 8000 "$WORK/emodb-8k.wav"
sox "$WORK/emodb-8k.wav" "$WORK/call-60min-8k.wav" repeat 3 trim 0 3600
cp ../shared/data/emodb/03a01Fa.wav "$WORK/clip-2s.wav"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for file in call-60min-8k.wav clip-2s.wav; do
  for heap in "${HEAPS[@]}"; do
    status=0
    /usr/bin/time -o "$WORK/time.txt" -f "%M KB peak RSS, %e s wall" \
      java -Xmx"${heap}"m -XX:+UseSerialGC -jar "$JAR" analyze "$WORK/$file" -q > /dev/null 2> "$WORK/err.txt" \
      || status=$?
    echo "$file -Xmx${heap}m: exit $status, $(tail -1 "$WORK/time.txt")$( [[ $status -eq 0 ]] || echo "; $(head -c 160 "$WORK/err.txt" | tr '\n' ' ')")"
  done
done
