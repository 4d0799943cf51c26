"""passivation: after n messages, after an idle time, never; the system default."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class Worker(akt.Actor):
    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Ping"):
            conf.respond(ctx, "conf.Pong")
        else:
            ctx.unhandled()

    def post_stop(self, ctx):
        conf.log("post_stop", conf.path(ctx.self))


def on_event(event: akt.Event) -> None:
    if event.path and event.path.startswith("akt://conf/user/"):
        conf.log("passivated", event.path)


system = conf.system_create()
subscription = system.subscribe(on_event, akt.EventKind.ACTOR_PASSIVATED)

counted = system.spawn("counted", Worker(), passivation=akt.Passivation.after_messages(3))
for i in range(1, 4):
    conf.say(f"ask.{i}", conf.ask_str(counted, "conf.Ping"))
conf.wait_log(2)
conf.flush_sorted()

idle = system.spawn("idle", Worker(), passivation=akt.Passivation.idle(0.5))
keeper = system.spawn("keeper", Worker(), passivation=akt.Passivation.LONG_LIVED)
plain = system.spawn("plain", Worker())
conf.say("idle", conf.ask_str(idle, "conf.Ping"))
conf.say("keeper", conf.ask_str(keeper, "conf.Ping"))
conf.say("plain", conf.ask_str(plain, "conf.Ping"))
conf.wait_log(2)
conf.flush_sorted()
conf.say("keeper.again", conf.ask_str(keeper, "conf.Ping"))
conf.say("plain.again", conf.ask_str(plain, "conf.Ping"))

system.set_default_passivation(akt.Passivation.idle(0.5))
late = system.spawn("late", Worker())
conf.say("late", conf.ask_str(late, "conf.Ping"))
conf.wait_log(2)
conf.flush_sorted()
system.set_default_passivation(None)

subscription.close()
conf.system_finish(system)
