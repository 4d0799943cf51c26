"""The OTLP exporter against a receiver in this process: what arrives (instrument names,
attributes, one trace), and a collector that is down, answers errors or is slow (the runtime
goes on, drops are counted, the queue stays bounded).

    python3 test_otlp.py --driver build/bin/otlp_driver [scenario ...]
"""

import argparse
import socket
import subprocess
import sys
import time

sys.path.insert(0, __import__("os").path.dirname(__file__))
from receiver import Receiver, attrs, points_of, spans_of  # noqa: E402

DRIVER = None


def run(endpoint, n, queue=2048, batch=16, timeout_ms=5000, retries=2, interval_ms=100,
        header=None, limit_s=50):
    args = [DRIVER, endpoint, str(n), str(queue), str(batch), str(timeout_ms), str(retries),
            str(interval_ms)] + ([header] if header else [])
    t0 = time.monotonic()
    p = subprocess.run(args, capture_output=True, text=True, timeout=limit_s)
    took = time.monotonic() - t0
    assert p.returncode == 0, "driver failed (%d): %s %s" % (p.returncode, p.stdout, p.stderr)
    lines = p.stdout.strip().splitlines()
    assert len(lines) == 2, p.stdout
    first = dict(kv.split("=", 1) for kv in lines[0].split())
    after = dict(kv.split("=", 1) for kv in lines[1].split()[1:])
    for d in (first, after):
        for k, v in d.items():
            if k != "flush":
                d[k] = int(v)
    print("  stats:", lines[0], "| after shutdown:", lines[1], "| %.1f s" % took)
    return first, after, took


def test_ok():
    n = 20
    with Receiver() as r:
        st, after, _ = run(r.endpoint, n, header="X-Akt-Test: yes")
        assert st["flush"] == "OK", st
        assert st["processed"] == n + 1
        # front's n pings, back's n pongs and the probe
        assert st["queued"] == 2 * n + 1 and st["exported"] == 2 * n + 1, st
        assert st["dropped"] == 0 and st["failed"] == 0 and st["queue_size"] == 0, st
        assert after["exported"] == after["queued"], after
        for h in r.headers():
            assert h.get("X-Akt-Test") == "yes", h
            assert h.get("Content-Type") == "application/x-protobuf", h
        spans = spans_of(r.traces())
        assert len(spans) == 2 * n + 1, len(spans)
        res, scope, _ = spans[0]
        assert res["service.name"] == "otlp-test" and res["telemetry.sdk.name"] == "akt", res
        assert scope == "akt"
        by_id = {sp.span_id: sp for _, _, sp in spans}
        pings = [sp for _, _, sp in spans if sp.name == "receive ping"]
        pongs = [sp for _, _, sp in spans if sp.name == "receive pong"]
        assert len(pings) == n and len(pongs) == n
        for sp in pongs:  # one trace: tell -> front -> back
            parent = by_id[sp.parent_span_id]
            assert parent.name == "receive ping" and parent.trace_id == sp.trace_id
            assert len(sp.trace_id) == 16 and len(sp.span_id) == 8
            assert sp.start_time_unix_nano <= sp.end_time_unix_nano
            a = attrs(sp.attributes)
            assert a["actor.address"] == "akt://otlpsys/user/back", a
            assert a["actor.system"] == "otlpsys" and a["message.type"] == "pong", a
        for sp in pings:
            assert sp.parent_span_id == b"", sp  # told from outside: roots
            assert sp.flags & 0xFF == 1
        assert len({sp.trace_id for sp in pings}) == n
        ms = r.metrics()
        assert ms, "no metric request"
        # The last reading with actors in it (the one at shutdown comes after they stopped).
        with_actors = [points_of(m) for m in ms if "actor.processed.count" in points_of(m)]
        assert with_actors, "no reading with actors"
        pts = with_actors[-1]
        assert "actor.processed.count" not in points_of(ms[-1])
        assert points_of(ms[-1])["actor.stopped.count"][1] == [({}, 2.0)]
        for name in ("actorsystem.actors.count", "actorsystem.deadletters.count",
                     "actorsystem.uptime", "actor.spawned.count", "actor.processed.count",
                     "actor.mailbox.size", "actor.uptime", "akt.otlp.spans.dropped"):
            assert name in pts, (name, sorted(pts))
        m, processed = pts["actor.processed.count"]
        assert m.sum.is_monotonic and m.sum.aggregation_temporality == 2 and m.unit == "1"
        back = [v for a, v in processed if a.get("actor.name") == "back"]
        assert back and back[0] >= n + 1, processed
        a = [a for a, _ in processed if a.get("actor.name") == "back"][0]
        assert a == {"actor.system": "otlpsys", "actor.name": "back",
                     "actor.address": "akt://otlpsys/user/back"}, a
        m, alive = pts["actorsystem.actors.count"]
        assert m.HasField("gauge") and alive == [({}, 2.0)], alive
        assert pts["actor.spawned.count"][1] == [({}, 2.0)]


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_down():
    n = 200
    st, after, took = run("http://127.0.0.1:%d" % closed_port(), n, queue=64, batch=16,
                          timeout_ms=1000, retries=2)
    assert st["processed"] == n + 1, st  # the runtime went on
    assert st["flush"] == "AKT_EUNREACHABLE", st
    assert st["exported"] == 0 and st["points_exported"] == 0, st
    assert st["dropped"] > 0 and st["failed"] > 0 and st["retries"] > 0, st
    assert st["status"] == 0 and st["queue_size"] <= 64, st
    total = 2 * n + 1
    assert after["queued"] + st["dropped_full"] == total, (st, after)
    assert after["dropped"] + after["exported"] == total, after  # every span accounted for
    assert after["queue_size"] == 0
    assert took < 30


def test_errors():
    with Receiver("status:500") as r:
        st, after, _ = run(r.endpoint, 30, retries=3)
        assert st["processed"] == 31 and st["flush"] == "AKT_EUNREACHABLE", st
        assert st["status"] == 500 and st["retries"] == 0, st  # 500: not retried
        assert st["exported"] == 0 and st["dropped"] > 0 and st["points_dropped"] > 0, st
        assert r.traces() and r.metrics()  # it arrived, and was refused
        assert after["dropped"] == 2 * 30 + 1, after
    with Receiver("status:503") as r:
        st, after, _ = run(r.endpoint, 5, retries=2, interval_ms=5000)
        assert st["flush"] == "AKT_EUNREACHABLE" and st["status"] == 503, st
        assert st["retries"] > 0 and st["failed"] == st["requests"], st  # retried, bounded
        assert st["requests"] <= 3 * (st["requests"] - st["retries"]), st


def test_slow():
    n = 2000
    with Receiver("slow:3") as r:
        st, after, took = run(r.endpoint, n, queue=64, batch=16, timeout_ms=200, retries=0,
                              interval_ms=50)
        assert st["processed"] == n + 1, st
        assert st["ran_ms"] < 15000, st  # the tells did not wait for the collector
        assert st["dropped_full"] > 0 and st["queue_size"] <= 64, st
        assert st["failed"] > 0 and st["exported"] == 0, st
        assert after["dropped"] + after["exported"] == 2 * n + 1, after
        assert took < 40, took


SCENARIOS = {"ok": test_ok, "down": test_down, "errors": test_errors, "slow": test_slow}


def main():
    global DRIVER
    ap = argparse.ArgumentParser()
    ap.add_argument("--driver", required=True)
    ap.add_argument("scenarios", nargs="*", default=list(SCENARIOS))
    a = ap.parse_args()
    DRIVER = a.driver
    for name in a.scenarios:
        print("scenario", name)
        SCENARIOS[name]()
        print("  ok")
    print("all passed")


if __name__ == "__main__":
    main()
