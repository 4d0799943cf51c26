"""propagation: a user propagator carries a tenant header from hop to hop."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


def inject(headers):
    return {"tenant": headers.get("tenant", "none")}


class Last(akt.Actor):
    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Hop"):
            conf.log("got", f"{msg.text} tenant={ctx.headers.get('tenant', '-')}")
        else:
            ctx.unhandled()


class Mid(akt.Actor):
    def __init__(self, last) -> None:
        self.last = last

    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Hop"):
            ctx.tell(self.last, conf.msg("conf.Hop", msg.text))
        elif conf.is_(msg, "conf.Own"):
            ctx.tell(self.last, conf.msg("conf.Hop", msg.text), headers={"tenant": "mine"})
        else:
            ctx.unhandled()


class First(akt.Actor):
    def __init__(self, mid) -> None:
        self.mid = mid

    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Hop"):
            ctx.tell(self.mid, conf.msg("conf.Hop", msg.text))
        else:
            ctx.unhandled()


system = akt.ActorSystem(conf.SYSTEM, propagator=inject)
last = system.spawn("last", Last())
mid = system.spawn("mid", Mid(last))
first = system.spawn("first", First(mid))

# 1. Two hops on.
first.tell(conf.msg("conf.Hop", "a"), headers={"tenant": "acme"})
conf.wait_log(1)
conf.flush()
# 2. Injected at the send from outside.
first.tell(conf.msg("conf.Hop", "b"))
conf.wait_log(1)
conf.flush()
# 3. The sender's own header wins.
mid.tell(conf.msg("conf.Own", "c"), headers={"tenant": "acme"})
conf.wait_log(1)
conf.flush()

conf.system_finish(system)
