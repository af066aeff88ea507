#!/usr/bin/env bash
# The inference figures of issue 19 for one model package, in one go (results/inference.md and
# results/live-calls.md give what each step measures):
#   sentiment-bench/scripts/model-figures.sh [-o OUT] [--no-build] [--hour S] [--live S] [--calls "50 100 200"] PKG
# 1. its int8 twin (one weight scale per output column) in OUT/int8pc, unless there already;
# 2. cost per segment over 1, 2, 4, 8 s, fp32 and int8: bare ORT and audio -> scores, one thread
#    (InferenceBenchmark; CPU ms per call in the JMH aux counters cpuMicros / calls);
# 3. analyze of an S-second 8 kHz call (TelephoneHourBenchmark; S = 3600 is the target's hour), threads 1
#    (two scoring threads of one intra-op thread each) and 2 (one scoring thread of two), fp32 and int8;
# 4. int8 against fp32 on EmoDB and CASIA (ScoreAgreement: AUC of the negative head, score differences,
#    CPU per clip);
# 5. live calls at N = --calls for --live seconds each (live-calls.sh), fp32.
# Outputs: OUT/*.json, OUT/*.log, OUT/live/summary.md. The machine should be otherwise idle; each log
# starts with the load. Defaults: OUT sentiment-bench/target/model-figures, --hour 3600, --live 600.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=sentiment-bench/target/model-figures
BUILD=1
HOUR=3600
LIVE=600
CALLS="50 100 200"
while [ $# -gt 1 ]; do
  case $1 in
    -o) OUT=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --hour) HOUR=$2; shift 2 ;;
    --live) LIVE=$2; shift 2 ;;
    --calls) CALLS=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ $# -eq 1 ] || { sed -n '2,16p' "$0"; exit 2; }
PKG=$(cd "$1" && pwd)
INT8=$OUT/int8pc
JAR=sentiment-bench/target/benchmarks.jar
JMH=(java -Djmh.ignoreLock=true -jar "$JAR")
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
INT8=$OUT/int8pc
if [ "$BUILD" = 1 ]; then
  mvn -q -pl sentiment-bench -am package -DskipTests
fi
load() { echo "load: $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%FT%TZ)"; }
[ -d "$INT8" ] || /usr/bin/python3 sentiment-bench/scripts/quantize-package.py "$PKG" "$INT8" --per-channel

echo "== 2. cost per segment"; load | tee "$OUT/length.log"
"${JMH[@]}" 'InferenceBenchmark.(bareOrt|tingxinEndToEnd)' -p model="$PKG,$INT8" -p seconds=1,2,4,8 -p threads=1 \
  -f 1 -wi 2 -i 3 -w 2s -r 2s -jvmArgs "-Xms1g -Xmx1g -XX:+AlwaysPreTouch" -rf json -rff "$OUT/length.json" \
  >> "$OUT/length.log" 2>&1
load >> "$OUT/length.log"; grep -E '^InferenceBenchmark|cpuMicros|calls' "$OUT/length.log" | tail -40 || true

echo "== 3. analyze of $HOUR s at 8 kHz"; load | tee "$OUT/hour.log"
"${JMH[@]}" TelephoneHourBenchmark -p model="$PKG,$INT8" -p seconds="$HOUR" -p threads=1,2 -p device=cpu \
  -f 1 -wi 1 -i 3 -rf json -rff "$OUT/hour.json" >> "$OUT/hour.log" 2>&1
load >> "$OUT/hour.log"; grep '^TelephoneHourBenchmark' "$OUT/hour.log" || true

echo "== 4. int8 against fp32"
for corpus in emodb casia; do
  load | tee "$OUT/agreement-$corpus.log"
  java -cp "$JAR" io.github.tingxin.bench.ScoreAgreement --clips "../shared/data/$corpus" --labels "$corpus" \
    "$PKG" "$INT8" 2>&1 | grep -v '^SLF4J' | tee -a "$OUT/agreement-$corpus.log"
done

echo "== 5. live calls"
# shellcheck disable=SC2086
sentiment-bench/scripts/live-calls.sh --no-build --seconds "$LIVE" --model "$PKG" -o "$OUT/live" $CALLS
