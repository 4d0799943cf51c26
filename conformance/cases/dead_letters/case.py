"""dead_letters: unhandled and dead-letter events with type, text, receiver and sender."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class Picky(akt.Actor):
    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Ping"):
            conf.respond(ctx, "conf.Pong")
        else:
            ctx.unhandled()


class Relay(akt.Actor):
    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Relay"):
            result = conf.rc_of(lambda: ctx.tell(ctx.system.lookup("picky"),
                                                 conf.msg("conf.Strange", msg.text)))
            conf.respond(ctx, "conf.Done", result)
        else:
            ctx.unhandled()


class Hoarder(akt.Actor):
    def __init__(self) -> None:
        self.open = False

    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Letter") or conf.is_(msg, "conf.Question"):
            if not self.open:
                ctx.stash()
            elif conf.is_(msg, "conf.Question"):
                conf.respond(ctx, "conf.Answer", "late")
        elif conf.is_(msg, "conf.Release"):
            self.open = True
            ctx.unstash_all()
        elif conf.is_(msg, "conf.Ping"):
            conf.respond(ctx, "conf.Pong")
        else:
            ctx.unhandled()


def on_event(event: akt.Event) -> None:
    m = event.message
    if not isinstance(m, akt.Bytes) or not m.type.startswith("conf."):
        return
    kind = "unhandled" if event.kind == akt.EventKind.UNHANDLED else "dead_letter"
    to = event.path or "-"
    conf.log(kind, f"{m.type} {m.text} to={to} from={conf.path(event.sender)}")


system = conf.system_create()
subscription = system.subscribe(on_event, akt.EventKind.DEAD_LETTER | akt.EventKind.UNHANDLED)
picky = system.spawn("picky", Picky())
relay = system.spawn("relay", Relay())
hoarder = system.spawn("hoarder", Hoarder())

# 1. Unhandled, from outside and from an actor.
picky.tell(conf.msg("conf.Strange", "?"))
conf.say("ping.picky", conf.ask_str(picky, "conf.Ping"))
conf.flush()
conf.say("relay", conf.ask_str(relay, "conf.Relay", "hi"))
conf.say("ping.picky", conf.ask_str(picky, "conf.Ping"))
conf.flush()

# 2. Stashed messages of a stopped actor are dead letters.
hoarder.tell(conf.msg("conf.Letter", "one"))
hoarder.tell(conf.msg("conf.Letter", "two"))
conf.say("ping.hoarder", conf.ask_str(hoarder, "conf.Ping"))
hoarder.stop()
conf.say("stop.hoarder", "ok")
conf.wait_log(2)
conf.flush()

# 3. A tell to a stopped actor fails at once.
conf.say("tell.stopped", conf.rc_of(lambda: hoarder.tell(conf.msg("conf.Letter", "three"))))

# 4. The reply to a cancelled ask is a dead letter without a receiver path.
hoarder2 = system.spawn("hoarder2", Hoarder())
question = hoarder2.ask_future(conf.msg("conf.Question", "q"), conf.ASK_S)
conf.say("ping.hoarder2", conf.ask_str(hoarder2, "conf.Ping"))
conf.say("cancel", "ok" if question.cancel() else "not cancelled")
conf.say("ask.cancelled", conf.rc(question.exception(conf.WAIT_LIMIT_S)))
hoarder2.tell(conf.msg("conf.Release"))
conf.say("ping.hoarder2", conf.ask_str(hoarder2, "conf.Ping"))
conf.wait_log(1)
conf.flush()

subscription.close()
conf.system_finish(system)
