#!/usr/bin/env bash
# Remoting against GoAkt v3.14's in one run: akt's bench/remote (akt-remote-bench) and
# bench/goakt's -bench=remote, alternated ROUNDS times, each a client process that starts
# its own server processes on 127.0.0.1 (plaintext and mutual TLS 1.3). Prints every JSON
# line, then the medians and the akt/GoAkt ratios:
#   remote_tell        1 sender -> 1 remote actor, tells/s        (target: >= 2x GoAkt)
#   remote_tell_many   SENDERS senders -> SENDERS remote actors   (one each)
#   remote_ask_rtt     sequential asks of a remote echo, ns       (target: <= 0.5x GoAkt)
#   *_wire_bytes       bytes on the wire per 16-byte tell, sent by the client (_both: sent
#                      and received), TCP payload: TLS records whole, TCP/IP headers not
#   remote_tls_*       the same over TLS
#   tcp_rtt_floor      a blocking 64-byte echo between two processes, ns: the floor under
#                      any remote ask on this host (akt's and GoAkt's asks are shown over it)
# GoAkt's remote_tell_batch (RemoteBatchTell of 100 messages a request) is printed as its
# best case; akt batches every tell on its own, so the ratio is against its plain tell too.
# GoAkt compresses with zstd by default (akt does not): one more GoAkt run without it gives
# the *_nocompress wire bytes.
# Usage: bench/remote/run.sh [ROUNDS]   (default 3)
# Env: BUILD_DIR or AKT_BUILD_DIR (default ./build), N (tells, default 200000; GoAkt gets
# GOAKT_N, default N/10: its RemoteTell is one RPC per call, so N would take minutes),
# ASKS (default 20000), SENDERS (default 4).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-${AKT_BUILD_DIR:-$repo/build}}
rounds=${1:-3}
n=${N:-200000}; gn=${GOAKT_N:-$((n / 10))}; asks=${ASKS:-20000}; senders=${SENDERS:-4}
akt=$build/bin/akt-remote-bench
[ -x "$akt" ] || { echo "bench: $akt missing: run 'make build' first" >&2; exit 1; }
mkdir -p "$build/bench"
(cd "$repo/bench/goakt" && go build -trimpath -o "$build/bench/goakt-bench" .) >&2
goakt=$build/bench/goakt-bench
out=$(mktemp); certs=$(mktemp -d)
trap 'rm -rf "$out" "$certs"' EXIT
sh "$repo/tests/tools/tls_certs.sh" "$certs"
for r in $(seq "$rounds"); do
  "$akt" -n="$n" -asks="$asks" -senders="$senders" -tls >>"$out"
  "$goakt" -bench=remote -n="$gn" -asks="$asks" -senders="$senders" -tls="$certs" >>"$out"
done
# GoAkt's wire bytes without its default zstd stream compression (akt's is off by default),
# once: the *_nocompress figures.
"$goakt" -bench=remote -compress=none -n=$((gn / 5 + 1)) -asks=100 -senders="$senders" \
  -tls="$certs" >>"$out"
python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
for r in rows:
    print(json.dumps(r))
by = {}
for r in rows:
    by.setdefault((r["bench"], r["impl"]), []).append(r["value"])
med = lambda b, i: statistics.median(by[(b, i)]) if (b, i) in by else None
print()
print(f'{"scenario":<52}{"akt (median)":>16}{"GoAkt (median)":>18}{"akt/GoAkt":>11}  better')
summary = {}
for bench, peer, unit, better in [
        ("remote_tell", "remote_tell", "msg/s", "higher"),
        ("remote_tell", "remote_tell_batch", "msg/s", "higher"),
        ("remote_tell_many", "remote_tell_many", "msg/s", "higher"),
        ("remote_ask_rtt", "remote_ask_rtt", "ns", "lower"),
        ("remote_tell_wire_bytes", "remote_tell_wire_bytes", "B/msg", "lower"),
        ("remote_tell_wire_bytes_both", "remote_tell_wire_bytes_both", "B/msg", "lower"),
        ("remote_tell_wire_bytes", "remote_tell_wire_bytes_nocompress", "B/msg", "lower"),
        ("remote_tell_wire_bytes_both", "remote_tell_wire_bytes_both_nocompress", "B/msg", "lower"),
        ("remote_tls_tell", "remote_tls_tell", "msg/s", "higher"),
        ("remote_tls_tell_many", "remote_tls_tell_many", "msg/s", "higher"),
        ("remote_tls_ask_rtt", "remote_tls_ask_rtt", "ns", "lower"),
        ("remote_tls_tell_wire_bytes", "remote_tls_tell_wire_bytes", "B/msg", "lower"),
        ("remote_tls_tell_wire_bytes_both", "remote_tls_tell_wire_bytes_both", "B/msg", "lower"),
        ("remote_tls_tell_wire_bytes", "remote_tls_tell_wire_bytes_nocompress", "B/msg", "lower")]:
    a, g = med(bench, "akt"), med(peer, "goakt")
    if a is None or g is None:
        continue
    name = bench if bench == peer else f"{bench} vs {peer}"
    summary[name] = a / g
    print(f'{name:<52}{a:>12.1f} {unit:<5}{g:>13.1f} {unit:<5}{a / g:>10.3f}  {better}')
fl = med("tcp_rtt_floor", "akt")
if fl is not None:
    print()
    print(f"tcp_rtt_floor (a blocking 64-byte echo, two processes): {fl:.1f} ns;"
          f" over it: akt ask {med('remote_ask_rtt', 'akt') / fl:.2f}x,"
          f" GoAkt ask {med('remote_ask_rtt', 'goakt') / fl:.2f}x")
print()
print("targets: remote_tell >= 2.000, remote_ask_rtt <= 0.500 (akt/GoAkt)")
print(json.dumps({"summary": summary}))
PY
