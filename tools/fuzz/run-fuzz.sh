#!/usr/bin/env bash
# Fuzzes every Jazzer target of Tingxin for a bounded time, one target per Maven invocation, and fails on
# any finding. A finding (the crashing input) is written into the target's regression folder
#   <module>/src/test/resources/fuzz/<TestClass>Inputs/<method>/crash-<sha1>
# where the next `mvn test` replays it: commit it together with the fix.
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
  mkdir -p "$findings" "$corpus" "$basedir"
  before="$(ls -1 "$findings" | wc -l)"
  echo "run-fuzz: $test for ${SECONDS_PER_TARGET}s" >&2
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
      || status=$?
  after="$(ls -1 "$findings" | wc -l)"
  if [[ $status -ne 0 || "$after" -ne "$before" ]]; then
    echo "run-fuzz: FINDING in $test (exit $status); inputs in $findings:" >&2
    ls -1t "$findings" | head -n $((after - before > 0 ? after - before : 1)) >&2
    failed+=("$test")
  fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "run-fuzz: ${#failed[@]} target(s) with findings: ${failed[*]}" >&2
  exit 1
fi
echo "run-fuzz: no findings in ${#TARGETS[@]} target(s), ${SECONDS_PER_TARGET}s each" >&2
