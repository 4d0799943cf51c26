"""metrics: counters of akt/telemetry.h after a scripted scenario."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class Counter(akt.Actor):
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


def print_actor(pid: akt.Pid) -> None:
    try:
        m = pid.metrics()
    except akt.ActorNotFound:
        conf.say("actor", "not found")
        return
    conf.say("actor", f"processed={m.processed} restarts={m.restarts} failures={m.failures} "
             f"unhandled={m.unhandled} mailbox={m.mailbox_size} stash={m.stash_size} "
             f"children={m.children}")


def print_system(system: akt.ActorSystem) -> None:
    m = system.metrics()
    conf.say("system", f"alive={m.actors_alive} spawned={m.actors_spawned} "
             f"stopped={m.actors_stopped} restarts={m.restarts} failures={m.failures} "
             f"dead_letters={m.dead_letters} unhandled={m.unhandled}")


system = conf.system_create()

# 1.
c = system.spawn("counter", Counter(), kind="")
for _ in range(10):
    c.tell("inc")
ping(c)
print_actor(c)

# 2.
c.tell("fail")
ping(c)
try:
    c.ask_sync("bogus", conf.ASK_S)
    conf.say("bogus", "handled")
except akt.AktError as e:
    conf.say("bogus", "unhandled" if e.name == "AKT_EUNHANDLED" else conf.rc(e))
c.tell("stash")
c.tell("stash")
ping(c)
print_actor(c)
print_system(system)

# 3.
c.stop_graceful_sync(conf.ASK_S)
print_system(system)
print_actor(c)

# 4.
a = system.spawn("a", Counter(), kind="")
b = system.spawn("b", Counter(), kind="")
a.tell("inc")
ping(a)
ping(b)
points = system.collect_metrics()
names = list(dict.fromkeys(p.name for p in points))
conf.say("instruments", ",".join(names))
# By actor name: the order of the cells depends on which slots were free.
for p in sorted((p for p in points if p.name == "actor.processed.count"),
                key=lambda p: p.attributes["actor.name"]):
    conf.say("point", f"{p.attributes['actor.name']} {p.kind} {p.value:.0f}")
alive = next(p for p in points if p.name == "actorsystem.actors.count")
conf.say("alive", f"{alive.value:.0f}")

# 5.
system.set_low_cardinality_metrics(True)
low = [p for p in system.collect_metrics() if p.name == "actor.processed.count"]
conf.say("low", f"{len(low)} {low[-1].value:.0f} attrs={len(low[-1].attributes)}")

conf.system_finish(system)
