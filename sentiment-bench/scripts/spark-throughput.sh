#!/usr/bin/env bash
# Throughput of `tingxin batch` (Spark local mode, default model) in audio-hours per hour, for local[1] and
# local[2], over an archive made from EmoDB (../shared/data/emodb) by MakeCallArchive.java.
#
#   sentiment-bench/scripts/spark-throughput.sh [COPIES] [MASTER...]
#
# COPIES (default 4) is how many times EmoDB is repeated: 4 gives 284 calls, 92.7 minutes of audio.
# MASTERs default to local[1] local[2]. Needs tingxin-cli/target/tingxin.jar (mvn -q package -DskipTests).
# Each master runs twice into a fresh output; the report lines of both runs are printed, with the load
# average before each, since a shared machine skews the figures.
set -euo pipefail
cd "$(dirname "$0")/../.."
COPIES=${1:-4}
shift || true
MASTERS=("$@")
[[ ${#MASTERS[@]} -gt 0 ]] || MASTERS=("local[1]" "local[2]")
JAR=tingxin-cli/target/tingxin.jar
[[ -f $JAR ]] || { echo "spark-throughput: build $JAR first: mvn -q package -DskipTests" >&2; exit 2; }
WORK=sentiment-bench/target/spark-throughput
rm -rf "$WORK"
mkdir -p "$WORK"
java -cp "$JAR" sentiment-bench/scripts/MakeCallArchive.java ../shared/data/emodb "$WORK/archive" "$COPIES"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
for master in "${MASTERS[@]}"; do
  for attempt in 1 2; do
    out="$WORK/out-${master//[^a-z0-9]/}-$attempt"
    echo "== $master, run $attempt (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
    # The whole process, Spark start-up included: wall time and CPU time (user + system, all threads).
    TIMEFORMAT="process: %R s wall, %U s user CPU, %S s system CPU"
    time java -jar "$JAR" batch "$WORK/archive/manifest.csv" --out "$out" --master "$master"
  done
done
