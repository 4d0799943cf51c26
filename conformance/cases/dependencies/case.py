"""dependencies: named values given at spawn, shared (not copied), kept across restart."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class Tally:
    def __init__(self) -> None:
        self.greetings = 0


class Greeter(akt.Actor):
    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Greet"):
            tally = ctx.dependency("tally")
            tally.greetings += 1
            conf.respond(ctx, "conf.Greeting", f"{ctx.dependency('greeting')}, {msg.text}")
        elif conf.is_(msg, "conf.Lookup"):
            try:
                ctx.dependency(msg.text)
                result = "ok"
            except KeyError:
                result = "AKT_ENOTFOUND"
            conf.respond(ctx, "conf.Done", result)
        elif conf.is_(msg, "conf.Fail"):
            raise RuntimeError("fail")
        else:
            ctx.unhandled()


def ask(step: str, pid: akt.Pid, type_: str, text: str = "") -> None:
    conf.say(step, conf.ask_str(pid, type_, text))


system = conf.system_create()
tally = Tally()
greeter = system.spawn("greeter", Greeter(),
                       dependencies={"greeting": "hello", "tally": tally})
ask("greet", greeter, "conf.Greet", "ada")
ask("greet", greeter, "conf.Greet", "bob")
conf.say("tally", str(tally.greetings))
ask("lookup.greeting", greeter, "conf.Lookup", "greeting")
ask("lookup.missing", greeter, "conf.Lookup", "nothing")

greeter.tell(conf.msg("conf.Fail"))
ask("greet.after_restart", greeter, "conf.Greet", "cy")
conf.say("tally", str(tally.greetings))

plain = system.spawn("plain", Greeter())
ask("plain.lookup", plain, "conf.Lookup", "greeting")

conf.system_finish(system)
