"""lifecycle: pre_start/post_stop, stop, a poison pill behind queued messages, graceful stop."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class Life(akt.Actor):
    def pre_start(self, ctx):
        conf.log("pre_start", conf.path(ctx.self))

    def post_stop(self, ctx):
        conf.log("post_stop", conf.path(ctx.self))

    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Work"):
            conf.log("receive", f"{conf.path(ctx.self)} {msg.text}")
        elif conf.is_(msg, "conf.Ping"):
            conf.respond(ctx, "conf.Pong")
        else:
            ctx.unhandled()


def on_stopped(event: akt.Event) -> None:
    if event.path and event.path.startswith("akt://conf/user/"):
        conf.log("event.stopped", event.path)


system = conf.system_create()
subscription = system.subscribe(on_stopped, akt.EventKind.ACTOR_STOPPED)

life1 = system.spawn("life1", Life())
conf.say("ping.life1", conf.ask_str(life1, "conf.Ping"))
conf.flush()

life1.tell(conf.msg("conf.Work", "a"))
life1.tell(conf.msg("conf.Work", "b"))
conf.say("ping.life1", conf.ask_str(life1, "conf.Ping"))
conf.flush()

life1.stop()
conf.say("stop.life1", "ok")
conf.wait_log(2)
conf.flush()
conf.say("alive.life1", "1" if life1.is_alive else "0")
conf.say("tell.after_stop", conf.rc_of(lambda: life1.tell(conf.msg("conf.Work", "late"))))

life2 = system.spawn("life2", Life())
for t in ("1", "2", "3"):
    life2.tell(conf.msg("conf.Work", t))
life2.poison()
conf.say("poison.life2", "ok")
conf.wait_log(6)
conf.flush()

life3 = system.spawn("life3", Life())
life3.tell(conf.msg("conf.Work", "x"))
life3.tell(conf.msg("conf.Work", "y"))
life3.stop_graceful_sync(conf.ASK_S)
conf.say("graceful.life3", "ok")
conf.wait_log(5)
conf.flush()
conf.say("graceful.again", conf.rc_of(lambda: life3.stop_graceful_sync(conf.ASK_S)))

subscription.close()
conf.system_finish(system)
