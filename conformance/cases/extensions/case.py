"""extensions: system-wide values given at creation, reached by name from every actor."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class Tally:
    def __init__(self) -> None:
        self.greetings = 0


class Reader(akt.Actor):
    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Greet"):
            ctx.extension("tally").greetings += 1
            conf.respond(ctx, "conf.Greeting", f"{ctx.extension('greeting')}, {msg.text}")
        elif conf.is_(msg, "conf.Lookup"):
            try:
                ctx.extension(msg.text)
                result = "ok"
            except KeyError:
                result = "AKT_ENOTFOUND"
            conf.respond(ctx, "conf.Done", result)
        else:
            ctx.unhandled()


def ask(step: str, pid: akt.Pid, type_: str, text: str = "") -> None:
    conf.say(step, conf.ask_str(pid, type_, text))


tally = Tally()
system = akt.ActorSystem(conf.SYSTEM, extensions={"greeting": "hello", "tally": tally})
reader = system.spawn("reader", Reader())
ask("greet", reader, "conf.Greet", "ada")
ask("greet", reader, "conf.Greet", "bob")
conf.say("tally", str(tally.greetings))
ask("lookup.greeting", reader, "conf.Lookup", "greeting")
ask("lookup.missing", reader, "conf.Lookup", "nothing")

other = system.spawn("other", Reader())
ask("other.lookup", other, "conf.Lookup", "tally")

conf.say("outside.greeting", system.extension("greeting"))
try:
    system.extension("nothing")
    conf.say("outside.missing", "ok")
except KeyError:
    conf.say("outside.missing", "AKT_ENOTFOUND")

try:
    akt.ActorSystem("bad", extensions={"x": 1}).shutdown()
    conf.say("bad.name", "ok")
except akt.AktError as e:
    conf.say("bad.name", e.name)

conf.system_finish(system)
