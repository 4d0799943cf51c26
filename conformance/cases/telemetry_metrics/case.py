"""telemetry_metrics: the OpenTelemetry-shaped export after a fixed scenario, and the
per-stage metrics of a stream with a resumed stage."""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402
from akt.stream import Sink, Source  # noqa: E402

TIMES = {"actorsystem.uptime", "actor.uptime", "actor.last.received.duration"}


class Worker(akt.Actor):
    def receive(self, ctx, msg):
        if msg == "fail":
            raise RuntimeError("fail")
        if msg == "stash":
            ctx.stash()
        elif msg == "ping":
            ctx.respond("pong")
        elif msg != "inc":
            ctx.unhandled()


def ping(pid: akt.Pid) -> None:
    got = pid.ask_sync("ping", conf.ASK_S)
    if got != "pong":
        conf.fatal(f"ping: {got!r}")


def fail_on_odd(x: int) -> int:
    if x % 2:
        raise ValueError("odd")
    return x


system = conf.system_create()

# 1.
w1 = system.spawn("w1", Worker(), kind="worker")
w2 = system.spawn("w2", Worker(), kind="worker")
w3 = system.spawn("w3", Worker(), kind="worker")
for _ in range(5):
    w1.tell("inc")
for _ in range(3):
    w2.tell("inc")
for w in (w1, w2, w3):
    ping(w)

# 2.
w2.tell("fail")
ping(w2)
try:
    w1.ask_sync("bogus", conf.ASK_S)
    conf.say("bogus", "handled")
except akt.AktError as e:
    conf.say("bogus", "unhandled" if e.name == "AKT_EUNHANDLED" else conf.rc(e))
ping(w1)
w3.tell("stash")
w3.tell("stash")
ping(w3)

# 3.
w3.stop_graceful_sync(conf.ASK_S)
conf.say("stop", "ok")

# 4. One collection, printed sorted: the order of the cells depends on free slots.
points = system.collect_metrics()
first: dict = {}
for p in points:
    first.setdefault(p.name, p)
for name in sorted(first):
    conf.say("instrument", f"{name} {first[name].kind} {first[name].unit}")
for line in sorted(f"{p.name} {p.value:.0f}" for p in points
                   if not p.attributes and p.name not in TIMES):
    conf.say("system", line)
ours = [p for p in points if p.attributes.get("actor.name") in ("w1", "w2")]
for line in sorted(f"{p.attributes['actor.name']} {p.name} {p.value:.0f}" for p in ours
                   if p.name not in TIMES):
    conf.say("point", line)
for who in ("w1", "w2"):
    p = next(p for p in ours if p.attributes["actor.name"] == who
             and p.name == "actor.processed.count")
    conf.say("attrs", f"{who} system={p.attributes.get('actor.system', '?')} "
             f"address={p.attributes.get('actor.address', '?')} "
             f"kind={p.attributes.get('actor.kind', '?')} n={len(p.attributes)}")

# 5.
s = Source.range(0, 10).map(fail_on_odd).on_error("resume").filter(lambda x: x % 4 == 0) \
    .run_with(Sink.fold(0, lambda a, x: a + x), system)
conf.say("stream", str(s.result(conf.ASK_S)))
for i, m in enumerate(s.metrics()):
    conf.say("stage", f"{i} {m.name} in {m.elements_in} out {m.elements_out} "
             f"drops {m.drops} errors {m.errors}")

# 6.
p1 = system.spawn("p1", Worker(), kind="session", passivation=akt.Passivation.after_messages(1))
p1.tell("inc")
deadline = time.monotonic() + 5
while system.metrics().passivated < 1 and time.monotonic() < deadline:
    time.sleep(0.005)
conf.say("passivated", "ok" if system.metrics().passivated == 1 else "no")
system.schedule_every(w1, "inc", 60, reference="tick")
system.cancel_schedule("tick")
AFTER = {"actor.passivated.count", "actorsystem.grains.count", "actorsystem.peers.count",
         "scheduler.cancelled.count", "scheduler.scheduled.count"}
for line in sorted(f"{p.name} kind={p.attributes.get('actor.kind', '-')} {p.value:.0f}"
                   for p in system.collect_metrics() if p.name in AFTER
                   and p.attributes.get("actor.kind", "-") in ("-", "worker", "session")):
    conf.say("after", line)

conf.system_finish(system)
