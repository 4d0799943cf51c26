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
# `perf stat -e context-switches` (if perf works here).
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

# run LABEL CMD...: runs one process, appends its JSON line (plus context switches).
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

[ -x "$machine" ] && "$machine" -bench=core_rtt -asks=200000 | tee -a "$out"
for b in $benches; do
  for _ in $(seq "$rounds"); do
    for t in 1 2; do
      run "$akt" -bench="$b" -workers=$t -iterations="$iters"
      run "$caf" -bench="$b" -threads=$t -iterations="$iters"
    done
  done
done
[ -x "$machine" ] && "$machine" -bench=core_rtt -asks=200000 | tee -a "$out"

python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]

def savina(times):
    """Savina's figure: the median of the times within +-20 % of the raw median."""
    m = statistics.median(times)
    kept = [t for t in times if abs(t - m) <= 0.2 * m]
    return statistics.median(kept)

fig, cs = {}, {}
rtt = [r["value"] for r in rows if r.get("bench") == "core_rtt"]
for r in rows:
    if "times" not in r:
        continue
    key = (r["bench"], r["impl"], r["threads"])
    fig.setdefault(key, []).append(savina(r["times"]))
    if r.get("context_switches") is not None:
        cs.setdefault(key, []).append(r["context_switches"])
print()
if rtt:
    print("cache-line round trip between two threads (the machine, before and after): "
          + ", ".join(f"{v:.0f}" for v in rtt) + " ns")
print(f'{"benchmark":<12}{"akt 1w":>10}{"CAF 1t":>10}{"akt/CAF":>9}{"akt 2w":>10}{"CAF 2t":>10}'
      f'{"akt/CAF":>9}{"akt 2w/1w":>11}  (ms, Savina median)')
summary, misses = {}, []
for b in dict.fromkeys(r["bench"] for r in rows if "times" in r):
    v = {k: statistics.median(fig[(b,) + k]) for k in
         [("akt", 1), ("caf", 1), ("akt", 2), ("caf", 2)] if (b,) + k in fig}
    if len(v) < 4:
        continue
    r1, r2 = v[("akt", 1)] / v[("caf", 1)], v[("akt", 2)] / v[("caf", 2)]
    s21 = v[("akt", 2)] / v[("akt", 1)]
    print(f'{b:<12}{v[("akt", 1)]:>10.1f}{v[("caf", 1)]:>10.1f}{r1:>9.3f}'
          f'{v[("akt", 2)]:>10.1f}{v[("caf", 2)]:>10.1f}{r2:>9.3f}{s21:>11.3f}')
    summary[b] = {"akt_caf_1": round(r1, 3), "akt_caf_2": round(r2, 3), "akt_2w_1w": round(s21, 3)}
    if max(r1, r2) > 0.5:
        misses.append(f"{b}: akt/CAF {max(r1, r2):.2f} > 0.5")
    if s21 > 1.0:
        misses.append(f"{b}: akt 2 workers {s21:.2f}x the time of 1")
if cs:
    print()
    print(f'{"context switches":<18}{"akt 1w":>10}{"CAF 1t":>10}{"akt 2w":>10}{"CAF 2t":>10}  (per process)')
    for b in summary:
        vals = [statistics.median(cs.get((b,) + k, [0])) for k in
                [("akt", 1), ("caf", 1), ("akt", 2), ("caf", 2)]]
        print(f'{b:<18}' + "".join(f"{x:>10.0f}" for x in vals))
print()
print("targets missed (<= 0.5x CAF; 2 workers never slower than 1):",
      "; ".join(misses) if misses else "none")
print(json.dumps({"savina_summary": summary, "core_rtt_ns": rtt}))
PY
