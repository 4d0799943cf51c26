"""events: started, failed, restarted and stopped events; unsubscribe."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


NAMES = {
    akt.EventKind.ACTOR_STARTED: "started",
    akt.EventKind.ACTOR_FAILED: "failed",
    akt.EventKind.ACTOR_RESTARTED: "restarted",
    akt.EventKind.ACTOR_STOPPED: "stopped",
}


class Ev(akt.Actor):
    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Ping"):
            conf.respond(ctx, "conf.Pong")
        elif conf.is_(msg, "conf.Fail"):
            raise RuntimeError("fail")
        else:
            ctx.unhandled()


class Parent(Ev):
    def pre_start(self, ctx):
        ctx.spawn("c", Ev())


def on_event(event: akt.Event) -> None:
    if not (event.path and event.path.startswith("akt://conf/user/ev")):
        return
    fact = f"{NAMES[event.kind]} {event.path}"
    if event.kind == akt.EventKind.ACTOR_FAILED:
        fact += " " + akt.error_for(event.code, "failed").name
    conf.log("event", fact)


system = conf.system_create()
subscription = system.subscribe(
    on_event, akt.EventKind.ACTOR_STARTED | akt.EventKind.ACTOR_FAILED
    | akt.EventKind.ACTOR_RESTARTED | akt.EventKind.ACTOR_STOPPED)

ev1 = system.spawn("ev1", Ev())
conf.wait_log(1)
conf.flush()
ev1.tell(conf.msg("conf.Fail"))
conf.wait_log(2)
conf.flush()
conf.say("ping.ev1", conf.ask_str(ev1, "conf.Ping"))
ev1.stop_graceful_sync(conf.ASK_S)
conf.say("stop.ev1", "ok")
conf.wait_log(1)
conf.flush()

ev2 = system.spawn("ev2", Parent())
conf.wait_log(2)
conf.flush_sorted()
ev2.stop_graceful_sync(conf.ASK_S)
conf.say("stop.ev2", "ok")
conf.wait_log(2)
conf.flush()

subscription.close()
conf.say("unsubscribe", "ok")
ev3 = system.spawn("ev3", Ev())
conf.say("ping.ev3", conf.ask_str(ev3, "conf.Ping"))
ev3.stop_graceful_sync(conf.ASK_S)
conf.say("stop.ev3", "ok")
conf.say("journal.after_unsubscribe", str(conf.log_count()))

conf.system_finish(system)
