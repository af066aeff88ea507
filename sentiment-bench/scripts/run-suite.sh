#!/usr/bin/env bash
# The whole Tingxin benchmark suite in one command: builds sentiment-bench/target/benchmarks.jar, runs each
# group of JMH benchmarks with settings that are short but stable on a 2-core machine, and writes one JMH
# JSON file per group (plus the human-readable log) to the output folder.
#
#   sentiment-bench/scripts/run-suite.sh [-o OUT] [--no-build] [GROUP...]
#
# Groups (default: all, in this order):
#   audio      ResamplerBenchmark                        (-prof gc)
#   features   FeatureBenchmark                          (-prof gc)
#   vad        VadBenchmark                              (-prof gc)
#   inference  InferenceBenchmark: fixtures; plus sentiment-bench/target/peers/wav2vec2-base(-int8) when present
#   length     InferenceBenchmark bareOrt over seconds=2,5,10,20,40 (whisper-tiny: 2,5,10, its maximum);
#              the default model (and the Whisper stand-in when made) over 1,2,4,8 s, bare and end to end
#   batch      BatchScalingBenchmark: batch 1,4,16,64 on each device
#   e2e        EndToEndBenchmark: analyze and stream, 10/60/600 s at 8 kHz, on each device
#   analyze    AnalyzeBenchmark: analyze against the model alone on the same batches
#   hour       TelephoneHourBenchmark: one hour of 8 kHz audio, default model, 2 threads (single shot:
#              1 warm-up, 5 measured analyses)
#   memory     MemoryProfile: peak heap and resident set of a streamed hour, an analysed hour, 100 calls
#   live       (only when named: about 65 min) scripts/live-calls.sh: N = 50..1000 concurrent live calls at
#              real-time pace for LIVE_SECONDS (600) each, on each device (results/live-calls.md)
#
# Devices: cuda runs only where `nvidia-smi -L` lists a GPU and the jar has the CUDA provider (build with
# CUDA=1, which adds -Pcuda for onnxruntime_gpu). Elsewhere the cuda parameters are left out and the log says
# so; a cuda benchmark run by hand without a GPU fails in its setup with "SKIPPED device=cuda ...".
#
# Every fork: -jvmArgs "-Xms2g -Xmx2g -XX:+AlwaysPreTouch" (page faults cost ~50x the usual on this VM).
# Env: FORKS (1), WI (3 warm-up iterations), I (5 measurement iterations), W/R (2s each), CUDA (0/1),
# IGNORE_LOCK (0/1, see below).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=sentiment-bench/target/suite
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    -o) OUT=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) break ;;
  esac
done
GROUPS_TO_RUN=("$@")
[ ${#GROUPS_TO_RUN[@]} -gt 0 ] || GROUPS_TO_RUN=(audio features vad inference length batch e2e analyze hour memory)
FORKS=${FORKS:-1}; WI=${WI:-3}; I=${I:-5}; W=${W:-2s}; R=${R:-2s}
JAR=sentiment-bench/target/benchmarks.jar
JVM_ARGS="-Xms2g -Xmx2g -XX:+AlwaysPreTouch"
# IGNORE_LOCK=1: run beside another JMH run instead of waiting for /tmp/jmh.lock (only where waiting is not
# possible; both runs' figures are then contended, and the report must say so).
LOCK_OPT=""; [ "${IGNORE_LOCK:-0}" = 1 ] && LOCK_OPT="-Djmh.ignoreLock=true"
mkdir -p "$OUT"

if [ "$BUILD" = 1 ]; then
  PROFILE=(); [ "${CUDA:-0}" = 1 ] && PROFILE=(-Pcuda)
  echo "== build: mvn -q ${PROFILE[*]} -pl sentiment-bench -am package -DskipTests"
  mvn -q "${PROFILE[@]}" -pl sentiment-bench -am package -DskipTests
fi
[ -f "$JAR" ] || { echo "missing $JAR" >&2; exit 1; }

if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L 2>/dev/null | grep -q GPU; then
  DEVICES=cpu,cuda
  echo "== GPU: $(nvidia-smi -L | head -1); device=cpu,cuda (a jar without -Pcuda reports cuda as SKIPPED)"
else
  DEVICES=cpu
  echo "== no NVIDIA GPU here (nvidia-smi absent or lists none): device=cuda is not run; no GPU figure is made"
fi

{
  echo "date: $(date -u +%FT%TZ)"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p') x $(nproc) cores"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "onnxruntime: $(sed -n 's:.*<onnxruntime.version>\(.*\)</onnxruntime.version>.*:\1:p' pom.xml) ($([ "${CUDA:-0}" = 1 ] && echo onnxruntime_gpu || echo onnxruntime, CPU build))"
  echo "settings: -f $FORKS -wi $WI -i $I -w $W -r $R -jvmArgs \"$JVM_ARGS\"; devices: $DEVICES"
} | tee "$OUT/machine.txt"

# One JMH run; waits for another JMH run on this shared machine to release /tmp/jmh.lock instead of
# running beside it (which would corrupt both).
jmh() {
  local name=$1; shift
  local wi=${JWI:-$WI} i=${JI:-$I}  # per-group overrides: JWI=1 JI=5 jmh ...
  echo "== $name: java -jar $JAR $* -f $FORKS -wi $wi -i $i -w $W -r $R -jvmArgs \"$JVM_ARGS\" (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  for attempt in $(seq 1 180); do
    if java $LOCK_OPT -jar "$JAR" "$@" -f "$FORKS" -wi "$wi" -i "$i" -w "$W" -r "$R" -jvmArgs "$JVM_ARGS" \
        -rf json -rff "$OUT/$name.json" > "$OUT/$name.log" 2>&1; then
      break
    fi
    grep -q "Unable to acquire the JMH lock" "$OUT/$name.log" || { tail -40 "$OUT/$name.log" >&2; return 1; }
    sleep 10
  done
  grep -E '^(Benchmark |[A-Za-z]+Benchmark\.)' "$OUT/$name.log" || true
  grep -E 'SKIPPED|<failure>' "$OUT/$name.log" | sort -u || true
}

W2V2=()
for m in sentiment-bench/target/peers/wav2vec2-base sentiment-bench/target/peers/wav2vec2-base-int8; do
  [ -f "$m/model.onnx" ] && W2V2+=("$PWD/$m")
done
[ ${#W2V2[@]} -gt 0 ] || echo "== no wav2vec2-base export under sentiment-bench/target/peers (make one: scripts/compare-peers.sh --export)"

for g in "${GROUPS_TO_RUN[@]}"; do
  case "$g" in
    audio) jmh audio ResamplerBenchmark -prof gc ;;
    features) jmh features FeatureBenchmark -prof gc ;;
    vad) jmh vad VadBenchmark -prof gc ;;
    inference)
      jmh inference InferenceBenchmark -p model=fbank-cnn-tiny,wav2vec2-tiny,wav2vec2-tiny-int8,hubert-tiny,whisper-tiny
      if [ ${#W2V2[@]} -gt 0 ]; then
        jmh inference-base 'InferenceBenchmark.(bareOrt|tingxinRun)' -p model="$(IFS=,; echo "${W2V2[*]}")" -p threads=1,2
      fi ;;
    length)
      jmh length 'InferenceBenchmark.bareOrt' -p model=fbank-cnn-tiny,wav2vec2-tiny,hubert-tiny -p seconds=2,5,10,20,40
      # whisper-tiny's positional embedding holds 500 frames: it takes at most 10 s (ORT fails beyond).
      jmh length-whisper 'InferenceBenchmark.bareOrt' -p model=whisper-tiny -p seconds=2,5,10
      # the bundled default over its segment lengths (issue 19: cost grows with the segment, no fixed window),
      # and the Whisper tiny.en stand-in when made (scripts/make-whisper-standin.py)
      LENGTH_MODELS=default
      [ -f sentiment-bench/target/peers/whisper-tiny-standin/model.onnx ] \
        && LENGTH_MODELS="$LENGTH_MODELS,$PWD/sentiment-bench/target/peers/whisper-tiny-standin"
      jmh length-default 'InferenceBenchmark.(bareOrt|tingxinEndToEnd)' -p model="$LENGTH_MODELS" -p seconds=1,2,4,8 ;;
    batch) jmh batch BatchScalingBenchmark -p device="$DEVICES" ;;
    e2e) jmh e2e EndToEndBenchmark -p device="$DEVICES" ;;
    analyze) jmh analyze AnalyzeBenchmark ;;
    hour) JWI=1 JI=5 jmh hour TelephoneHourBenchmark -p device="$DEVICES" ;;
    memory)
      echo "== memory: java -Xms64m -Xmx1g -cp $JAR io.github.tingxin.bench.MemoryProfile <scenario>"
      : > "$OUT/memory.txt"
      for s in stream-hour analyze-hour batch-100; do
        java -Xms64m -Xmx1g -cp "$JAR" io.github.tingxin.bench.MemoryProfile "$s" 2>/dev/null | tee -a "$OUT/memory.txt"
      done ;;
    live)
      for d in ${DEVICES//,/ }; do
        sentiment-bench/scripts/live-calls.sh --no-build --seconds "${LIVE_SECONDS:-600}" -o "$OUT/live-$d" -- --device "$d"
      done ;;
    *) echo "unknown group $g" >&2; exit 2 ;;
  esac
done
# One Markdown table of every JSON file in $OUT: score ± 99.9 % error, and -prof gc's bytes per operation.
/usr/bin/python3 - "$OUT" > "$OUT/summary.md" <<'PYEOF'
import glob, json, os, sys
out = sys.argv[1]
print(open(os.path.join(out, "machine.txt")).read() if os.path.exists(os.path.join(out, "machine.txt")) else "")
for f in sorted(glob.glob(os.path.join(out, "*.json"))):
    rows = json.load(open(f))
    if not rows:
        continue
    print(f"\n### {os.path.basename(f)[:-5]}\n")
    print("| benchmark | params | score ± error | unit | gc B/op |")
    print("|---|---|---|---|---|")
    for r in rows:
        m = r["primaryMetric"]
        params = ", ".join(f"{k}={os.path.basename(v.rstrip('/')) if '/' in v else v}" for k, v in (r.get("params") or {}).items())
        gc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
        gcs = f"{gc['score']:.0f}" if gc else ""
        print(f"| {r['benchmark'].rsplit('.', 2)[-2]}.{r['benchmark'].rsplit('.', 1)[-1]} | {params} | "
              f"{m['score']:.4g} ± {m['scoreError']:.2g} | {m['scoreUnit']} | {gcs} |")
PYEOF
echo "== results in $OUT (JMH JSON per group, logs, machine.txt, summary.md)"
