#!/usr/bin/env bash
# Fuzzes every Jazzer target of Tingxin for a bounded time, one target per Maven invocation, and fails on
# any finding. A finding (the crashing input) is written into the target's regression folder
#   <module>/src/test/resources/fuzz/<TestClass>Inputs/<method>/crash-<sha1>
# where the next `mvn test` replays it: commit it together with the fix. The end of the output repeats each
# finding's exception and, for inputs up to 6 KB, the input as base64, so that a finding in CI (whose clone is
# gone) can be replayed from its log. libFuzzer's slow-unit reports (a unit over 10 s) are not findings: they
# go to <module>/target/fuzz-slow-units. Each target's whole output is in <module>/target/fuzz-logs.
#
# Usage: tools/fuzz/run-fuzz.sh [seconds-per-target] [Class#method ...]
#   FUZZ_SECONDS (default 60) is the time per target when no first argument is given.
#   With no targets named, all targets below are fuzzed.
# Needs: Java 17, Maven, network access to Maven Central only for the first build. Linux x86_64 or arm64,
# macOS or Windows (Jazzer's native driver).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"

SECONDS_PER_TARGET="${FUZZ_SECONDS:-60}"
if [[ $# -gt 0 && "$1" =~ ^[0-9]+$ ]]; then
  SECONDS_PER_TARGET="$1"
  shift
fi

# module  class#method
ALL_TARGETS=(
  "sentiment-core io.github.tingxin.core.reliability.WavReaderFuzzTest#wholeFile"
  "sentiment-core io.github.tingxin.core.reliability.WavReaderFuzzTest#blocks"
  "sentiment-core io.github.tingxin.core.reliability.ManifestFuzzTest#manifestJson"
  "sentiment-core io.github.tingxin.core.reliability.ManifestFuzzTest#modelPackageZip"
  "sentiment-core io.github.tingxin.core.reliability.ManifestFuzzTest#modelPackageEntries"
  "sentiment-core io.github.tingxin.core.reliability.StreamFuzzTest#stream"
  "tingxin-cli io.github.tingxin.cli.CliArgsFuzzTest#commandLine"
)

TARGETS=()
if [[ $# -gt 0 ]]; then
  for wanted in "$@"; do
    found=""
    for t in "${ALL_TARGETS[@]}"; do
      if [[ "${t#* }" == *"$wanted" ]]; then TARGETS+=("$t"); found=1; fi
    done
    [[ -n "$found" ]] || { echo "run-fuzz: no target matches '$wanted'" >&2; exit 2; }
  done
else
  TARGETS=("${ALL_TARGETS[@]}")
fi

failed=()
mkdir -p "$ROOT/target"
rm -f "$ROOT/target/fuzz-findings.txt"
for target in "${TARGETS[@]}"; do
  module="${target%% *}"
  test="${target#* }"
  class="${test%%#*}"
  method="${test##*#}"
  simple="${class##*.}"
  findings="$ROOT/$module/src/test/resources/fuzz/${simple}Inputs/$method"
  corpus="$ROOT/$module/target/fuzz-corpus/$simple/$method"
  # Jazzer would otherwise create an empty inputs folder under src/test/resources/<package>; give it a base
  # folder without one, and send findings to the regression folder instead.
  basedir="$ROOT/$module/target/jazzer-base"
  log="$ROOT/$module/target/fuzz-logs/$simple-$method.log"
  mkdir -p "$findings" "$corpus" "$basedir" "$(dirname "$log")"
  ls -1 "$findings" | sort > "$log.before"
  echo "run-fuzz: $test for ${SECONDS_PER_TARGET}s (log: ${log#$ROOT/})" >&2
  status=0
  JAZZER_FUZZ=1 mvn -q -B -pl "$module" -am test \
      -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.internal.basedir="$basedir" \
      -Djazzer.internal.arg.0=fuzz \
      -Djazzer.internal.arg.1="$corpus" \
      -Djazzer.internal.arg.2=-max_total_time="$SECONDS_PER_TARGET" \
      -Djazzer.internal.arg.3=-timeout=30 \
      -Djazzer.internal.arg.4=-artifact_prefix="$findings/" \
      -Djazzer.internal.arg.5=-print_final_stats=1 \
      2>&1 | tee "$log" || status=$?
  new_files=$(ls -1 "$findings" | sort | comm -13 "$log.before" -)
  found=()
  for f in $new_files; do
    case "$f" in
      slow-unit-*)
        # libFuzzer's report of a unit that ran over -report_slow_units (10 s): the machine's speed, not a
        # defect of the code. Kept out of the regression folder, where it would replay in every `mvn test`.
        mkdir -p "$ROOT/$module/target/fuzz-slow-units"
        mv "$findings/$f" "$ROOT/$module/target/fuzz-slow-units/"
        echo "run-fuzz: $test: one unit ran over 10 s (not a finding; its input is in $module/target/fuzz-slow-units/$f)" >&2 ;;
      *) found+=("$f") ;;
    esac
  done
  if [[ $status -ne 0 || ${#found[@]} -gt 0 ]]; then
    failed+=("$test")
    # What CI shows is the end of its output: say here what was found, and how to replay it.
    {
      echo "run-fuzz: FINDING in $test (exit $status); new inputs in ${findings#$ROOT/}: ${found[*]:-none}"
      grep -E -A12 "== Java Exception|ERROR: libFuzzer|FuzzTestFinding|AssertionError" "$log" | head -n 40 || true
      for f in "${found[@]}"; do
        if [[ $(stat -c %s "$findings/$f") -le 6000 ]]; then
          echo "run-fuzz: $f as base64 (replay: base64 -d > ${findings#$ROOT/}/$f; mvn test -Dtest=$simple):"
          base64 -w 120 "$findings/$f"
        fi
      done
    } >> "$ROOT/target/fuzz-findings.txt"
  fi
  rm -f "$log.before"
done

if [[ ${#failed[@]} -gt 0 ]]; then
  cat "$ROOT/target/fuzz-findings.txt" >&2
  echo "run-fuzz: ${#failed[@]} target(s) with findings: ${failed[*]}" >&2
  exit 1
fi
echo "run-fuzz: no findings in ${#TARGETS[@]} target(s), ${SECONDS_PER_TARGET}s each" >&2
