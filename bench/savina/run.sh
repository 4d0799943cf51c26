#!/usr/bin/env bash
# Runs the Savina benchmarks (bench/savina/README.md) against CAF 0.17 in one run: per
# benchmark and round, one process each of akt with 1 worker, CAF with 1 thread, akt with 2
# workers, CAF with 2 threads, in that order (alternating, so a host that slows down in the
# middle hits both). Each process runs ITERATIONS iterations (Savina's 12); its figure is
# Savina's: the median of the iterations within +-20 % of the raw median. Over ROUNDS
# processes the figure is the median of theirs. Prints every process's line, then per
# benchmark the medians and the ratios akt/CAF, and the machine's core_rtt before and after.
# Usage: bench/savina/run.sh [ROUNDS]   (default 1)
# Env: BUILD_DIR or AKT_BUILD_DIR (default ./build); SAVINA_BENCHES (default all seven);
# SAVINA_ITERATIONS (default 12); SAVINA_PERF=1 counts each process's context switches with
# `perf stat -e context-switches` (if perf works here); SAVINA_BASELINE=DIR also runs
# DIR/bin/akt-savina (another build of akt, e.g. main's) next to each akt process, labelled
# akt-base, and prints new/base ratios of the same run.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${BUILD_DIR:-${AKT_BUILD_DIR:-$here/../../build}}
rounds=${1:-1}
iters=${SAVINA_ITERATIONS:-12}
benches=${SAVINA_BENCHES:-pingpong counting threadring chameneos big fjthrput fjcreate}
akt=$build/bin/akt-savina
caf=$build/bin/caf-savina
machine=$build/bin/akt-bench
[ -x "$akt" ] || { echo "savina: $akt missing: run 'make build' first" >&2; exit 1; }
[ -x "$caf" ] || { echo "savina: $caf missing: install libcaf-dev (scripts/setup.sh) and rebuild" >&2; exit 1; }
out=$(mktemp)
perf_out=$(mktemp)
trap 'rm -f "$out" "$perf_out"' EXIT
perf_ok=0
if [ "${SAVINA_PERF:-0}" = 1 ] && perf stat -x, -e context-switches -o "$perf_out" true 2>/dev/null; then
  perf_ok=1
fi

base=""
if [ -n "${SAVINA_BASELINE:-}" ]; then
  base=$SAVINA_BASELINE/bin/akt-savina
  [ -x "$base" ] || { echo "savina: $base missing (SAVINA_BASELINE)" >&2; exit 1; }
fi

# run CMD...: runs one process, appends its JSON line (plus context switches).
run() {
  local line
  if [ $perf_ok = 1 ]; then
    line=$(perf stat -x, -e context-switches -o "$perf_out" "$@")
    local cs
    cs=$(awk -F, '/context-switches/ {print $1}' "$perf_out")
    line="${line%\}},\"context_switches\":${cs:-null}}"
  else
    line=$("$@")
  fi
  echo "$line" | tee -a "$out"
}

# run_base CMD...: as run, for the baseline build (its lines say "akt-base").
run_base() {
  local line
  line=$(run "$@" | tail -n 1)
  sed -i '$ d' "$out"
  echo "${line/\"impl\":\"akt\"/\"impl\":\"akt-base\"}" | tee -a "$out"
}

[ -x "$machine" ] && "$machine" -bench=core_rtt -asks=200000 | tee -a "$out"
for b in $benches; do
  for _ in $(seq "$rounds"); do
    for t in 1 2; do
      [ -n "$base" ] && run_base "$base" -bench="$b" -workers=$t -iterations="$iters"
      run "$akt" -bench="$b" -workers=$t -iterations="$iters"
      run "$caf" -bench="$b" -threads=$t -iterations="$iters"
    done
  done
done
[ -x "$machine" ] && "$machine" -bench=core_rtt -asks=200000 | tee -a "$out"

python3 "$here/summarize.py" "$out"
