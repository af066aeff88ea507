#!/usr/bin/env bash
# Where a `tingxin batch` run's time goes on many short files (issue 18): EmoDB copied three times, 1,605 clips
# of 1-8 s (0.89 h), as a directory and as a CSV manifest, on local[2]. Prints each run's report (whole run, and
# the analysis job), the process's wall and CPU time, and the run record's timings, twice per input.
#
#   sentiment-bench/scripts/spark-fixed-cost.sh [JAR...]
#
# JARs default to tingxin-cli/target/tingxin.jar; give two (e.g. one built from the commit before issue 18,
# `git archive 0cf805b | tar -x -C /tmp/before && (cd /tmp/before && mvn -q -pl tingxin-cli -am package
# -DskipTests)`, then /tmp/before/tingxin-cli/target/tingxin.jar and this checkout's) for before/after figures.
# Analysis share = analysis s / whole run s of the report line.
set -euo pipefail
cd "$(dirname "$0")/../.."
JARS=("$@")
[[ ${#JARS[@]} -gt 0 ]] || JARS=(tingxin-cli/target/tingxin.jar)
WORK=sentiment-bench/target/spark-fixed-cost
rm -rf "$WORK"
mkdir -p "$WORK"
for copy in a b c; do
  mkdir -p "$WORK/clips/$copy"
  cp ../shared/data/emodb/*.wav "$WORK/clips/$copy/"
done
(echo "path,call_id"; cd "$WORK" && find clips -name '*.wav' | sort | awk '{print $0","$0}') > "$WORK/clips.csv"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1); $(find "$WORK/clips" -name '*.wav' | wc -l) files"
for jar in "${JARS[@]}"; do
  for input in "$WORK/clips" "$WORK/clips.csv"; do
    for attempt in 1 2; do
      out="$WORK/out"
      rm -rf "$out"
      echo "== $jar, $(basename "$input"), run $attempt (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
      TIMEFORMAT="process: %R s wall, %U s user CPU, %S s system CPU"
      time java -jar "$jar" batch "$input" --out "$out" --master 'local[2]' -q
      sed -n '/"timings"/,/}/p' "$out/_runs/run-1.json" | tr -d '\n' | tr -s ' '; echo
    done
  done
done
