#!/usr/bin/env bash
# Tingxin (Java) against its Python peers on this machine, in one run, printing ratios:
#   1. features: scripts/compare-features.sh (FeatureBenchmark vs torchaudio Kaldi fbank / MFCC and the
#      torch.stft Whisper log-mel, one thread);
#   2. inference: InferenceBenchmark (bareOrt = a bare ONNX Runtime session, tingxinRun = Tingxin's session,
#      tingxinEndToEnd = features + batch + inference + decoding) against PyTorch 1.13 CPU running the very
#      model that was exported (same recipe, same seed) on the same input (InferenceBenchmark.speechLike),
#      one intra-op thread on both sides.
# Peers are exported with recipes/export into sentiment-bench/target/peers/ (never committed) when missing:
#   /usr/bin/python3 sentiment-bench/scripts/compare-peers.py export wav2vec2-base sentiment-bench/target/peers/wav2vec2-base
# (about 4 min here; also writes wav2vec2-base-int8 for the int8-vs-fp32 ratio).
#
#   sentiment-bench/scripts/compare-peers.sh [--no-features] [--seconds S] [PEER...]
#       PEER: fbank-cnn wav2vec2-base whisper-tiny (default all three), whisper-small (only when named: heavy),
#       default (the SHIPPED default package with its trained weights, against its PyTorch module rebuilt from the
#       package's model.onnx: recipes/train-whisper/model.py; `compare-peers.py check default` proves the rebuild)
#   e.g. the default model on 2 s segments: sentiment-bench/scripts/compare-peers.sh --no-features --seconds 2 default
# IGNORE_LOCK=1 runs beside another JMH run instead of waiting for /tmp/jmh.lock (figures then contended).
# Build the jar first: mvn -q -pl sentiment-bench -am package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/../.."
FEATURES=1; SECS=10
while [ $# -gt 0 ]; do
  case "$1" in
    --no-features) FEATURES=0; shift ;;
    --seconds) SECS=$2; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
PEERS=("$@"); [ ${#PEERS[@]} -gt 0 ] || PEERS=(fbank-cnn wav2vec2-base whisper-tiny)
JAR=sentiment-bench/target/benchmarks.jar
PY=/usr/bin/python3
DIR=sentiment-bench/target/peers
OUT=${OUT:-sentiment-bench/target/compare-peers}
mkdir -p "$DIR" "$OUT"
LOCK_OPT=""; [ "${IGNORE_LOCK:-0}" = 1 ] && LOCK_OPT="-Djmh.ignoreLock=true"
[ -f "$JAR" ] || { echo "missing $JAR: mvn -q -pl sentiment-bench -am package -DskipTests" >&2; exit 1; }

if [ "$FEATURES" = 1 ]; then
  echo "######## features (scripts/compare-features.sh 60)"
  if [ -n "$LOCK_OPT" ]; then
    JAVA_TOOL_OPTIONS="$LOCK_OPT" sentiment-bench/scripts/compare-features.sh 60
  else
    sentiment-bench/scripts/compare-features.sh 60
  fi
fi

MODELS=()
for p in "${PEERS[@]}"; do
  if [ "$p" = default ]; then
    MODELS+=(default)  # InferenceBenchmark's name for the bundled package
    "$PY" sentiment-bench/scripts/compare-peers.py check default 2>/dev/null | tail -1
    continue
  fi
  if [ ! -f "$DIR/$p/model.onnx" ]; then
    echo "== exporting peer $p with recipes/export (seeded random weights) into $DIR/$p"
    nice -n 10 "$PY" sentiment-bench/scripts/compare-peers.py export "$p" "$DIR/$p" 2>&1 | grep -E '^wrote' || true
  fi
  MODELS+=("$PWD/$DIR/$p")
  [ -f "$DIR/$p-int8/model.onnx" ] && MODELS+=("$PWD/$DIR/$p-int8")
done

echo "######## inference, ${SECS} s of audio, one thread (load: $(cut -d' ' -f1-3 /proc/loadavg))"
for attempt in $(seq 1 120); do
  if java $LOCK_OPT -jar "$JAR" InferenceBenchmark -p model="$(IFS=,; echo "${MODELS[*]}")" -p seconds="$SECS" -p threads=1 \
      -f 1 -wi 3 -i 5 -w 2s -r 2s -jvmArgs "-Xms2g -Xmx2g -XX:+AlwaysPreTouch" \
      -rf json -rff "$OUT/jmh-inference.json" > "$OUT/jmh-inference.log" 2>&1; then
    break
  fi
  grep -q "Unable to acquire the JMH lock" "$OUT/jmh-inference.log" || { tail -40 "$OUT/jmh-inference.log" >&2; exit 1; }
  sleep 10
done
grep -E '^(Benchmark|InferenceBenchmark)' "$OUT/jmh-inference.log"

for p in "${PEERS[@]}"; do
  echo "== PyTorch $p (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 "$PY" sentiment-bench/scripts/compare-peers.py time "$p" --seconds "$SECS" \
    2>/dev/null | tail -1 > "$OUT/torch-$p.json"
  cat "$OUT/torch-$p.json"
done

"$PY" - "$OUT" "${PEERS[@]}" <<'PYEOF'
import json, os, sys
out, peers = sys.argv[1], sys.argv[2:]
rows = {}
for r in json.load(open(out + "/jmh-inference.json")):
    model = os.path.basename(r["params"]["model"].rstrip("/"))
    rows.setdefault(model, {})[r["benchmark"].rsplit(".", 1)[1]] = (r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"])
print(f"\n{'model':20} {'bare ORT ms':>16} {'Tingxin run ms':>16} {'Tingxin e2e ms':>16} {'torch model ms':>15} {'torch e2e ms':>13} "
      f"{'ORT/torch':>9} {'e2e/torch':>9} {'e2e/bare':>8}")
for p in peers:
    j = rows.get(p)
    if not j:
        continue
    t = json.load(open(f"{out}/torch-{p}.json"))
    bare, run, e2e = j["bareOrt"], j["tingxinRun"], j["tingxinEndToEnd"]
    tm, te = t["model"]["ms"], t["endToEnd"]["ms"]
    f = lambda v: f"{v[0]:8.2f} ± {v[1]:5.2f}"
    print(f"{p:20} {f(bare):>16} {f(run):>16} {f(e2e):>16} {tm:15.2f} {te:13.2f} {tm / bare[0]:9.2f} {te / e2e[0]:9.2f} "
          f"{e2e[0] / bare[0]:8.2f}")
    q = rows.get(p + "-int8")
    if q:
        print(f"{p + '-int8':20} {f(q['bareOrt']):>16} {f(q['tingxinRun']):>16} {f(q['tingxinEndToEnd']):>16}"
              f"   int8 speed-up (bare ORT fp32 / int8): {bare[0] / q['bareOrt'][0]:.2f}")
print("\nORT/torch = PyTorch model time / bare ORT time; e2e/torch = PyTorch features+model / Tingxin end to end "
      "(above 1: Java faster); e2e/bare = Tingxin end to end / bare ORT (1.10 = 10 % overhead).")
print("torch figures are medians of >= 5 runs (min and max in the JSON); Java figures are JMH means ± 99.9 % error.")
PYEOF
