#!/usr/bin/env bash
# Runs akt's benchmarks and the GoAkt peer side by side, scenario by scenario (each
# scenario alternates akt and GoAkt ROUNDS times), and prints every figure plus the
# akt/GoAkt ratio of the medians; then each binding's benchmark against its peers
# (bench/python: Pykka, Ray, and async receive against an asyncio queue; bench/node: nact, comedy; bench/java: Pekko,
# then bench/java/stream.sh: the Java and C streams against Pekko Streams), each of which
# alternates its contenders in one run too.
# Usage: bench/run.sh [ROUNDS]   (default 3)
# Env: BUILD_DIR or AKT_BUILD_DIR (default ./build); N, ASKS, ACTORS scale the core
# scenarios (tell_pairwise runs 4 sender -> receiver pairs of actors, ask_chain an actor's
# asks of another, each answer's continuation asking again); FT_OPS (default 50000) the
# restarts of restart_rate and the rounds of request_rtt (akt-ft-bench); BENCH_BINDINGS (default "python node java") picks the bindings; BENCH_CORE=0
# skips the core scenarios; BENCH_SAVINA=1 also runs the Savina suite against CAF
# (bench/savina/run.sh, about 5 minutes more; SAVINA_ROUNDS processes each, default 1);
# BENCH_REMOTE=1 also runs remoting against GoAkt's (bench/remote/run.sh, ROUNDS rounds).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${BUILD_DIR:-${AKT_BUILD_DIR:-$here/../build}}
rounds=${1:-3}
n=${N:-2000000}; asks=${ASKS:-200000}; actors=${ACTORS:-1000000}
# Pending once-schedules in timers_1m. 100k, not 1M, by default: GoAkt's scheduler
# (go-quartz) inserts in linear time, ~1,200 schedules/s at 100k pending, so a million
# would take hours on its side. TIMERS=1000000 for akt's own figure.
timers=${TIMERS:-100000}
akt=$build/bin/akt-bench
[ -x "$akt" ] || { echo "bench: $akt missing: run 'make build' first" >&2; exit 1; }
mkdir -p "$build/bench"
(cd "$here/goakt" && go build -trimpath -o "$build/bench/goakt-bench" .) >&2
goakt=$build/bench/goakt-bench
out=$(mktemp)
trap 'rm -f "$out"' EXIT
core_benches="tell_1to1 tell_2to1 ask_rtt tell_pairwise ask_chain spawn_1m timers_1m"
[ "${BENCH_CORE:-1}" = 0 ] && core_benches=""
for bench in $core_benches; do
  for r in $(seq "$rounds"); do
    "$akt" -bench=$bench -n=$n -asks=$asks -actors=$actors -timers=$timers >>"$out"
    "$goakt" -bench=$bench -n=$n -asks=$asks -actors=$actors -timers=$timers 2>/dev/null >>"$out"
  done
done
# local begin: grains against GoAkt's (tell by identity, ask round trip, bytes per idle
# grain). GoAkt v3.14's TellGrain waits for the grain's acknowledgement, so GRAIN_N is
# smaller than N; GRAINS idle grains (GoAkt activates one per ask).
if [ "${BENCH_CORE:-1}" != 0 ]; then
  gn=${GRAIN_N:-200000}; gk=${GRAINS:-100000}; ga=${GRAIN_ASKS:-$asks}
  for r in $(seq "$rounds"); do
    "$akt" -bench=grains -n=$gn -asks=$ga -actors=$gk >>"$out"
    "$goakt" -bench=grains -n=$gn -asks=$ga -actors=$gk 2>/dev/null >>"$out"
  done
  # Mailboxes: one sender's tell rate into each kind (unbounded, bounded 1024 with waiting
  # senders, priority, fair), and bytes per queued message, one kind per process.
  mn=${MAILBOX_N:-1000000}
  for r in $(seq "$rounds"); do
    "$akt" -bench=mailboxes -n=$mn >>"$out"
    "$goakt" -bench=mailboxes -n=$mn 2>/dev/null >>"$out"
    for k in fifo bounded priority fair; do
      "$akt" -bench=mailbox_bytes_$k -n=200000 >>"$out"
      "$goakt" -bench=mailbox_bytes_$k -n=200000 2>/dev/null >>"$out"
    done
  done
fi
# local end
# Restart cost (failures per second one actor absorbs with Restart) and GoAkt's
# BenchmarkRequest shape (tell -> non-blocking request -> continuation), FT_OPS each.
ft_ops=${FT_OPS:-50000}
akt_ft=$build/bin/akt-ft-bench
if [ "${BENCH_CORE:-1}" != 0 ] && [ -x "$akt_ft" ]; then
  for bench in restart request_rtt; do
    for r in $(seq "$rounds"); do
      "$akt_ft" -bench=$bench -n=$ft_ops >>"$out"
      "$goakt" -bench=$bench -ops=$ft_ops 2>/dev/null >>"$out"
    done
  done
fi
# atomics begin: atomics and allocations per tell, ask and batch tell (a count, not a time:
# one run, no peer), when the counting core was built (make bench builds it).
if [ "${BENCH_CORE:-1}" != 0 ] && [ -x "$build/bin/akt-atomics-bench" ]; then
  "$build/bin/akt-atomics-bench" >>"$out"
fi
# atomics end
python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
for r in rows:
    print(json.dumps(r))
by = {}
for r in rows:
    by.setdefault((r["bench"], r["impl"]), []).append(r["value"])
better = {"msg/s": "higher", "op/s": "higher", "ns": "lower", "s": "lower", "B": "lower"}
core = by.get(("core_rtt", "machine"))
if core:
    print()
    print(f"cache-line round trip between two threads (the machine, per ask round): "
          f"{', '.join(f'{v:.0f}' for v in core)} ns")
print()
print(f'{"scenario":<24}{"akt (median)":>16}{"GoAkt (median)":>18}{"akt/GoAkt":>12}  better')
for bench in ["tell_1to1", "tell_2to1", "ask_rtt", "tell_pairwise4", "ask_chain", "spawn_1m", "idle_actor_bytes",
              "tell_grain", "ask_rtt_grain", "idle_grain_bytes",
              "tell_1to1_default", "tell_1to1_bounded1024", "tell_1to1_priority", "tell_1to1_fair",
              "mailbox_bytes_fifo", "mailbox_bytes_bounded", "mailbox_bytes_priority", "mailbox_bytes_fair",
              "restart_rate", "request_rtt"]:
    a, g = by.get((bench, "akt")), by.get((bench, "goakt"))
    if not a or not g:
        continue
    unit = next(r["unit"] for r in rows if r["bench"] == bench)
    ma, mg = statistics.median(a), statistics.median(g)
    print(f'{bench:<24}{ma:>13.1f} {unit:<3}{mg:>15.1f} {unit:<3}{ma / mg:>11.3f}  {better[unit]}')
print(json.dumps({"summary": {b: by.get((b, "akt")) and by.get((b, "goakt")) and
                               statistics.median(by[(b, "akt")]) / statistics.median(by[(b, "goakt")])
                               for b in ["tell_1to1", "tell_2to1", "ask_rtt", "tell_pairwise4", "ask_chain", "spawn_1m", "idle_actor_bytes",
                                         "tell_grain", "ask_rtt_grain", "idle_grain_bytes",
                                         "tell_1to1_default", "tell_1to1_bounded1024", "tell_1to1_priority", "tell_1to1_fair",
                                         "mailbox_bytes_fifo", "mailbox_bytes_bounded", "mailbox_bytes_priority", "mailbox_bytes_fair",
                                         "restart_rate", "request_rtt"]}}))
PY

# ---- the Savina suite against CAF (opt-in: it adds minutes) -----------------------------
if [ "${BENCH_SAVINA:-0}" = 1 ]; then
  echo
  echo "== Savina against CAF"
  BUILD_DIR=$build bash "$here/savina/run.sh" "${SAVINA_ROUNDS:-1}"
fi

# ---- remoting against GoAkt's (opt-in: two processes per side, about a minute a round) -----
if [ "${BENCH_REMOTE:-0}" = 1 ]; then
  echo
  echo "== remoting against GoAkt"
  BUILD_DIR=$build bash "$here/remote/run.sh" "$rounds"
fi

# ---- the bindings against their peers --------------------------------------------------
repo=$(cd "$here/.." && pwd)
for b in ${BENCH_BINDINGS:-python node java}; do
  echo
  echo "== $b binding"
  case $b in
    python) (cd "$repo" && { python3 -c 'import akt' 2>/dev/null ||
               AKT_BUILD_DIR=$build python3 -m pip install -q --root-user-action=ignore \
                 --no-build-isolation --no-deps ./bindings/python; } &&
             python3 bench/python/bench.py && python3 bench/python/async_receive.py) ;;
    node) (cd "$here/node" && npm install --no-audit --no-fund >/dev/null 2>&1 && node bench.mjs && node async_receive.mjs) ;;
    java) (AKT_BUILD_DIR=$build bash "$here/java/run.sh" &&
           echo && echo "== streams: Java and C against Pekko Streams" &&
           AKT_BUILD_DIR=$build AKT_JAVA_SKIP_INSTALL=1 bash "$here/java/stream.sh") ;;
  esac
done
