#!/usr/bin/env bash
# Streams against Pekko Streams (issue 15), in one run on this machine: the 5-stage
# pipeline of bench/stream, range -> map(x+1) -> filter(even) -> map(x*3) -> fold(sum),
# fused and unfused, in akt's Java stream DSL, in Pekko Streams 1.7.0 (the Java DSL) and
# in C (akt-stream-bench). Prints one JSON line per implementation and figure, then the
# ratios akt/Pekko of the medians:
#   {"impl":"akt-java"|"pekko"|"akt-c","bench":"stream5_fused"|"stream5_unfused",...}
#   {"bench":"stream5_fused","akt_java_over_pekko":...,"akt_c_over_pekko":...}
# Each Java implementation runs in its own JVM (a warm-up round, then ROUNDS rounds, the
# median kept) and the C bench in its own process; the three alternate RUNS times (default
# 3) so that a change in the machine's load hits them alike. Per implementation and figure
# the run with the median figure is reported. Every result is checked against the
# closed-form sum (the C bench checks its streams against its loop over the same messages).
#   RUNS=3 ROUNDS=3 stream.sh [n] [c_n]   (defaults 500000 elements a Java round, 2000000
#                                           a C stream)
# Window: akt's credit window and Pekko's input buffers are both WINDOW (default 256, as in
# bench/stream). The binding is (re)installed into ~/.m2 first, built against
# $AKT_BUILD_DIR when set (AKT_JAVA_SKIP_INSTALL=1 skips it: bench/run.sh after run.sh), and
# the worktree's own jar goes first on the class path.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${AKT_BUILD_DIR:-$repo/build}
cbench=$build/bin/akt-stream-bench
[ -x "$cbench" ] || { echo "stream.sh: $cbench missing: run 'make build' first" >&2; exit 1; }
n=${1:-500000}
cn=${2:-2000000}
if [ "${AKT_JAVA_SKIP_INSTALL:-0}" != 1 ]; then
  (cd "$repo/bindings/java" && mvn -q -B -Dstyle.color=never -DskipTests install) >&2
fi
jar=$(ls "$repo"/bindings/java/target/akt-*.jar 2>/dev/null | grep -v -e sources -e javadoc | head -1 || true)
cd "$here"
mvn -q -B -Dstyle.color=never package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2
cp="target/classes:${jar:+$jar:}$(cat target/classpath.txt)"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for _ in $(seq "${RUNS:-3}"); do
  for impl in akt pekko; do
    java -Xms1g -Xmx1g -cp "$cp" dev.akt.bench.StreamBench "$impl" "$n" "${ROUNDS:-3}" "${WINDOW:-256}" |
      grep '^{' >> "$out"
  done
  "$cbench" -n="$cn" -window="${WINDOW:-256}" | grep '^{' >> "$out"
done
python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
# The C bench's lines: {"impl":"akt","bench":...,"value":...}; the Java ones carry a median.
for r in rows:
    if r["impl"] == "akt":
        r["impl"], r["elements_per_s_median"] = "akt-c", r["value"]
by = {}
for impl in ("akt-java", "pekko", "akt-c"):
    for bench in ("stream5_fused", "stream5_unfused"):
        runs = sorted((r for r in rows if r["impl"] == impl and r["bench"] == bench),
                      key=lambda r: r["elements_per_s_median"])
        best = {k: v for k, v in runs[len(runs) // 2].items() if k != "value"}
        best["runs"] = len(runs)
        best["elements_per_s_runs"] = [round(r["elements_per_s_median"]) for r in runs]
        by[(impl, bench)] = best
        print(json.dumps(best))
for bench in ("stream5_fused", "stream5_unfused"):
    p = by[("pekko", bench)]["elements_per_s_median"]
    print(json.dumps({"bench": bench,
                      "akt_java_over_pekko": round(by[("akt-java", bench)]["elements_per_s_median"] / p, 3),
                      "akt_c_over_pekko": round(by[("akt-c", bench)]["elements_per_s_median"] / p, 3)}))
PY
