"""stash: stash, unstash one, unstash all; unstashed messages go to the front."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class Gate(akt.Actor):
    def __init__(self) -> None:
        self.open = False

    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Item"):
            if self.open:
                conf.log("handled", msg.text)
            else:
                conf.log("stashed", msg.text)
                ctx.stash()
        elif conf.is_(msg, "conf.Open"):
            self.open = True
            conf.log("open", "ok")
        elif conf.is_(msg, "conf.Close"):
            self.open = False
            conf.log("close", "ok")
        elif conf.is_(msg, "conf.Unstash"):
            conf.log("unstash", "ok" if ctx.unstash() else "AKT_EAGAIN")
        elif conf.is_(msg, "conf.UnstashAll"):
            conf.log("unstash_all", conf.rc_of(ctx.unstash_all))
        elif conf.is_(msg, "conf.Ping"):
            conf.respond(ctx, "conf.Pong")
        else:
            ctx.unhandled()


def tell(*items: str) -> None:
    for item in items:
        type_, _, text = item.partition(" ")
        gate.tell(conf.msg(type_, text))


def sync() -> None:
    conf.say("ping", conf.ask_str(gate, "conf.Ping"))
    conf.flush()


system = conf.system_create()
gate = system.spawn("gate", Gate())

tell("conf.Item a", "conf.Item b", "conf.Item c")
sync()
tell("conf.Open", "conf.Unstash", "conf.Item d", "conf.UnstashAll", "conf.Unstash")
sync()
tell("conf.Close", "conf.Item e", "conf.Item f", "conf.Open", "conf.Item g",
     "conf.UnstashAll", "conf.Item h")
sync()

conf.system_finish(system)
