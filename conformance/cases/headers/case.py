"""headers: metadata told with a message, read in receive, kept by forward, refused when bad."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


def headers_text(headers: dict) -> str:
    if not headers:
        return "none"
    return ",".join(f"{k}={headers[k]}" for k in sorted(headers))


class Sink(akt.Actor):
    def __init__(self) -> None:
        self.kept = "none"

    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Note"):
            self.kept = headers_text(ctx.headers)
        elif conf.is_(msg, "conf.Get"):
            conf.respond(ctx, "conf.Headers", self.kept)
        else:
            ctx.unhandled()


class Relay(akt.Actor):
    def __init__(self, to: akt.Pid) -> None:
        self.to = to

    def receive(self, ctx, msg):
        ctx.forward(self.to)


def note(pid: akt.Pid, headers: dict) -> str:
    try:
        pid.tell(conf.msg("conf.Note"), headers=headers)
        return "ok"
    except akt.AktError as e:
        return e.name


def ask(step: str, pid: akt.Pid) -> None:
    conf.say(step, conf.ask_str(pid, "conf.Get"))


system = conf.system_create()
sink = system.spawn("sink", Sink())
relay = system.spawn("relay", Relay(sink))

note(sink, {"trace": "t1", "tenant": "acme"})
ask("direct", sink)
note(sink, {})
ask("none", sink)
note(relay, {"trace": "t2"})
ask("forwarded", relay)
conf.say("bad.name", note(sink, {"a key": "v"}))
conf.say("bad.size", note(sink, {"big": "x" * 8193}))
ask("after_bad", sink)

conf.system_finish(system)
