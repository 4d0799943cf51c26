#!/usr/bin/env bash
# akt's Java binding against Apache Pekko classic actors, in one run on this machine.
# Prints one JSON line per implementation and benchmark, then the ratios:
#   {"impl":"akt-java"|"pekko","bench":"tell"|"ask_rtt"|"async_request",...}
#   {"bench":"tell","akt_over_pekko":...}   (>= 0.5 is the target)
# Each implementation runs in its own JVM; the two alternate RUNS times (default 3) so that
# a change in the machine's load hits both alike. Per implementation and benchmark the run
# with the median figure is reported.
#   RUNS=3 run.sh [tellMessages] [asks] [asyncMessages]   (defaults 2000000, 20000, 50000)
# The binding is (re)installed into ~/.m2 first, built against $AKT_BUILD_DIR when set.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
(cd "$here/../../bindings/java" && mvn -q -B -Dstyle.color=never -DskipTests install) >&2
cd "$here"
mvn -q -B -Dstyle.color=never package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2
cp="target/classes:$(cat target/classpath.txt)"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for _ in $(seq "${RUNS:-3}"); do
  for impl in akt pekko; do
    java -Xms1g -Xmx1g -cp "$cp" dev.akt.bench.Bench "$impl" "$@" | grep '^{' >> "$out"
  done
done
python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
key = {"tell": "msgs_per_s_median", "ask_rtt": "us_p50", "async_request": "msgs_per_s_median"}
by = {}
for impl in ("akt-java", "pekko"):
    for bench in key:
        runs = sorted((r for r in rows if r["impl"] == impl and r["bench"] == bench),
                      key=lambda r: r[key[bench]])
        best = dict(runs[len(runs) // 2])
        best["runs"] = len(runs)
        by[(impl, bench)] = best
        print(json.dumps(best))
tell = by[("akt-java", "tell")]["msgs_per_s_median"] / by[("pekko", "tell")]["msgs_per_s_median"]
ask = by[("pekko", "ask_rtt")]["us_p50"] / by[("akt-java", "ask_rtt")]["us_p50"]
print(json.dumps({"bench": "tell", "akt_over_pekko": round(tell, 2)}))
print(json.dumps({"bench": "ask_rtt", "pekko_p50_over_akt_p50": round(ask, 2)}))
asy = (by[("akt-java", "async_request")]["msgs_per_s_median"]
       / by[("pekko", "async_request")]["msgs_per_s_median"])
print(json.dumps({"bench": "async_request", "akt_over_pekko": round(asy, 2)}))
PY
