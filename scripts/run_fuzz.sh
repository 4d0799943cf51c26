#!/usr/bin/env bash
# Runs every libFuzzer target of a build-fuzz tree on its corpus for a while.
#   scripts/run_fuzz.sh <build-fuzz dir> <seconds per target>
# The seeds of fuzz/corpus/<name>/ are read only; what the run finds goes to
# <dir>/corpus/<name>/. Fails on the first target that crashes (libFuzzer leaves the input
# as <dir>/crash-*), leaks or trips a sanitizer, and when there is no target at all.
set -euo pipefail
dir=${1:?build-fuzz dir}
secs=${2:-30}
src=$(cd "$(dirname "$0")/.." && pwd)
shopt -s nullglob
targets=("$dir"/bin/fuzz_*)
if [ ${#targets[@]} -eq 0 ]; then
  echo "no fuzz targets in $dir/bin (make build-fuzz)" >&2
  exit 1
fi
for t in "${targets[@]}"; do
  name=${t##*/fuzz_}
  seeds=$src/fuzz/corpus/$name
  [ -d "$seeds" ] || { echo "fuzz_$name has no corpus $seeds" >&2; exit 1; }
  work=$dir/corpus/$name
  mkdir -p "$work"
  echo "== fuzz_$name for ${secs}s"
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
    "$t" -max_total_time="$secs" -artifact_prefix="$dir/" -print_final_stats=1 "$work" "$seeds"
done
