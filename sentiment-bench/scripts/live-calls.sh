#!/usr/bin/env bash
# Live calls at hotline scale (issue 19): for each N, one JVM runs io.github.tingxin.bench.LiveCalls: N
# concurrent live streams on ONE shared recognizer, fed 8 kHz speech with pauses in 20 ms chunks at real-time
# pace, and reports segment latency, CPU, heap, resident memory, feeder lateness and late or missing segments
# (see the class javadoc for every figure). One JVM per N, so memory belongs to one N; runs one after another.
#
#   sentiment-bench/scripts/live-calls.sh [-o OUT] [--no-build] [--seconds S] [--model M] [N...] [-- LiveCalls options]
#
#   N          concurrent calls (default: 50 100 200 500 1000)
#   --seconds  keep starting calls for S seconds (default 600, the issue's 10 minutes; each run then lasts up to
#              S + 49 s, the length of one call); 60 gives a quick development run
#   --model    default | a fixture name (fixtures/models) | a package path (default: the bundled model)
#   after --    any other LiveCalls option, e.g. -- --workers 2 --threads 1 --batch-size 16
#
# Output in OUT (default sentiment-bench/target/live-calls): N.log (the full report, memory probes included),
# N.csv (time series: cores, heap, RSS, calls, lag per second) and summary.md (one Markdown table row per N, with the machine and load).
# JVM: -Xms1g -Xmx3g -XX:+AlwaysPreTouch (1,000 calls hold ~0.56 GB of live heap with the default model). The
# heap is pre-touched so that the resident set beyond the committed heap and the JVM's pools is native memory:
# the memory probes' native figure, whose slope says whether native memory stays flat (the resident set then
# starts at the heap's size). Env JAVA_OPTS replaces those. The machine should be otherwise idle: the
# figures are latencies; on a loaded machine they measure the load (the log prints the load average).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=sentiment-bench/target/live-calls
BUILD=1
SECONDS_RUN=600
MODEL=default
NS=()
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    -o) OUT=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --seconds) SECONDS_RUN=$2; shift 2 ;;
    --model) MODEL=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    --) shift; EXTRA=("$@"); break ;;
    *) NS+=("$1"); shift ;;
  esac
done
[ ${#NS[@]} -gt 0 ] || NS=(50 100 200 500 1000)
JAR=sentiment-bench/target/benchmarks.jar
JAVA_OPTS=${JAVA_OPTS:--Xms1g -Xmx3g -XX:+AlwaysPreTouch}
mkdir -p "$OUT"
if [ "$BUILD" = 1 ]; then
  echo "== build: mvn -q -pl sentiment-bench -am package -DskipTests"
  mvn -q -pl sentiment-bench -am package -DskipTests
fi
[ -f "$JAR" ] || { echo "missing $JAR" >&2; exit 1; }

{
  echo "date: $(date -u +%FT%TZ)"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p') x $(nproc) cores"
  echo "java: $(java -version 2>&1 | head -1); JAVA_OPTS: $JAVA_OPTS"
  echo "run: --seconds $SECONDS_RUN --model $MODEL ${EXTRA[*]}"
  echo
} > "$OUT/summary.md"
HEADER_DONE=0
for n in "${NS[@]}"; do
  echo "== $n calls, ${SECONDS_RUN} s (load before: $(cut -d' ' -f1-3 /proc/loadavg))"
  set +e
  # shellcheck disable=SC2086
  java $JAVA_OPTS -cp "$JAR" io.github.tingxin.bench.LiveCalls --calls "$n" --seconds "$SECONDS_RUN" --model "$MODEL" \
    --csv "$OUT/$n.csv" "${EXTRA[@]}" > "$OUT/$n.log" 2>&1
  rc=$?
  set -e
  grep -v '^SLF4J' "$OUT/$n.log" | grep -v '^|' || true
  if ! grep -q '^| [0-9]' "$OUT/$n.log"; then
    echo "LiveCalls failed for $n calls (exit $rc): see $OUT/$n.log" >&2
    exit 1
  fi
  if [ "$HEADER_DONE" = 0 ]; then
    grep '^| calls' "$OUT/$n.log" >> "$OUT/summary.md"
    grep '^| calls' "$OUT/$n.log" | awk -F'|' '{s = "|"; for (i = 2; i < NF; i++) s = s "---|"; print s}' >> "$OUT/summary.md"
    HEADER_DONE=1
  fi
  grep '^| [0-9]' "$OUT/$n.log" >> "$OUT/summary.md"
done
echo
cat "$OUT/summary.md"
echo "== logs, time series and summary.md in $OUT"
