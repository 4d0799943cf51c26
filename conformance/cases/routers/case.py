"""routers: round-robin order, broadcast, consistent hash, scatter-gather-first."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class Worker(akt.Actor):
    def receive(self, ctx, msg):
        me = conf.path(ctx.self)
        if conf.is_(msg, "conf.Who"):
            conf.respond(ctx, "conf.Me", me)
        elif conf.is_(msg, "conf.Note"):
            conf.log("note", f"{me} {msg.text}")
        elif conf.is_(msg, "conf.Race"):
            if me.endswith("/w1"):
                conf.respond(ctx, "conf.Me", me)
        else:
            ctx.unhandled()


system = conf.system_create()
w = [system.spawn(f"w{i}", Worker()) for i in range(3)]

rr = system.spawn_router(routees=w, name="rr")
for _ in range(4):
    conf.say("rr", conf.ask_str(rr.pid, "conf.Who"))

rr.broadcast(conf.msg("conf.Note", "hello"))
conf.wait_log(3)
conf.flush_sorted()

ch = system.spawn_router(routees=w, strategy="consistent_hash", name="ch")
for key in ("k1", "k2"):
    same = conf.ask_str(ch.pid, "conf.Who", key) == conf.ask_str(ch.pid, "conf.Who", key)
    conf.say(f"ch.{key}", "same" if same else "different")

sg = system.spawn_router(routees=w, strategy="scatter_gather_first", within=2.0, name="sg")
conf.say("sg", conf.ask_str(sg.pid, "conf.Race"))

conf.say("routees", str(len(rr.routees())))

conf.system_finish(system)
