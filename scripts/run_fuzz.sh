#!/usr/bin/env bash
# Runs every libFuzzer target of a build-fuzz tree on its corpus for a while.
#   scripts/run_fuzz.sh <build-fuzz dir> <seconds per target>
# The seeds of fuzz/corpus/<name>/ are read only; what the run finds goes to
# <dir>/corpus/<name>/. Fails when a target crashes (libFuzzer leaves the input as
# <dir>/crash-*), leaks or trips a sanitizer, and when there is no target at all.
# A libFuzzer process uses one core: FUZZ_JOBS targets (default: the number of CPUs) run at
# once, each for the full time; each one's output is printed whole when it ends.
set -euo pipefail
dir=${1:?build-fuzz dir}
secs=${2:-30}
jobs=${FUZZ_JOBS:-$(nproc)}
[ "$jobs" -ge 1 ] || jobs=1
src=$(cd "$(dirname "$0")/.." && pwd)
shopt -s nullglob
targets=("$dir"/bin/fuzz_*)
if [ ${#targets[@]} -eq 0 ]; then
  echo "no fuzz targets in $dir/bin (make build-fuzz)" >&2
  exit 1
fi
for t in "${targets[@]}"; do
  name=${t##*/fuzz_}
  [ -d "$src/fuzz/corpus/$name" ] || { echo "fuzz_$name has no corpus $src/fuzz/corpus/$name" >&2; exit 1; }
done
mkdir -p "$dir/logs"
rc=0
declare -A name_of=() # pid -> target name

reap_one() {
  local pid status
  wait -n -p pid "${!name_of[@]}" && status=0 || status=$?
  local name=${name_of[$pid]}
  unset "name_of[$pid]"
  echo "== fuzz_$name for ${secs}s"
  cat "$dir/logs/$name.log"
  if [ "$status" -ne 0 ]; then
    echo "fuzz_$name FAILED (exit $status)" >&2
    rc=1
  fi
}

for t in "${targets[@]}"; do
  name=${t##*/fuzz_}
  work=$dir/corpus/$name
  mkdir -p "$work"
  while [ ${#name_of[@]} -ge "$jobs" ]; do reap_one; done
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
    "$t" -max_total_time="$secs" -artifact_prefix="$dir/" -print_final_stats=1 "$work" \
    "$src/fuzz/corpus/$name" >"$dir/logs/$name.log" 2>&1 &
  name_of[$!]=$name
done
while [ ${#name_of[@]} -gt 0 ]; do reap_one; done
exit $rc
