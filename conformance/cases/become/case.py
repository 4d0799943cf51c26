"""become: replace, push, pop and reset the receive handler."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class Mood(akt.Actor):
    """Its own receive is "happy"; sad, angry and calm are handlers it can become."""

    def receive(self, ctx, msg):
        self.handle("happy", ctx, msg)

    def handler(self, mood: str):
        return lambda ctx, msg: self.handle(mood, ctx, msg)

    def handle(self, mood, ctx, msg):
        if conf.is_(msg, "conf.Get"):
            conf.respond(ctx, "conf.Mood", mood)
        elif conf.is_(msg, "conf.Become"):
            conf.respond(ctx, "conf.Done", conf.rc_of(lambda: ctx.become(self.handler(msg.text))))
        elif conf.is_(msg, "conf.Push"):
            conf.respond(ctx, "conf.Done",
                         conf.rc_of(lambda: ctx.become(self.handler(msg.text), stacked=True)))
        elif conf.is_(msg, "conf.Pop"):
            conf.respond(ctx, "conf.Done", conf.rc_of(ctx.unbecome_stacked))
        elif conf.is_(msg, "conf.Reset"):
            conf.respond(ctx, "conf.Done", conf.rc_of(ctx.unbecome))
        else:
            ctx.unhandled()


STEPS = [
    ("get", "conf.Get", ""), ("push.angry", "conf.Push", "angry"), ("get", "conf.Get", ""),
    ("push.calm", "conf.Push", "calm"), ("get", "conf.Get", ""), ("pop", "conf.Pop", ""),
    ("get", "conf.Get", ""), ("pop", "conf.Pop", ""), ("get", "conf.Get", ""),
    ("pop", "conf.Pop", ""), ("get", "conf.Get", ""), ("become.sad", "conf.Become", "sad"),
    ("get", "conf.Get", ""), ("push.angry", "conf.Push", "angry"), ("get", "conf.Get", ""),
    ("become.calm", "conf.Become", "calm"), ("get", "conf.Get", ""),
    ("reset", "conf.Reset", ""), ("get", "conf.Get", ""), ("push.sad", "conf.Push", "sad"),
    ("push.angry", "conf.Push", "angry"), ("get", "conf.Get", ""),
    ("reset", "conf.Reset", ""), ("get", "conf.Get", ""),
]

system = conf.system_create()
mood = system.spawn("mood", Mood())
for step, type_, text in STEPS:
    conf.say(step, conf.ask_str(mood, type_, text))
conf.system_finish(system)
