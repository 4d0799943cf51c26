"""watch: Terminated for watched actors only, once per watch, at once for a dead one."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class Idle(akt.Actor):
    pass  # akt.Actor.receive marks every message unhandled


class Watcher(akt.Actor):
    def __init__(self) -> None:
        self.entries: dict[str, tuple[akt.Pid, str]] = {}  # name -> (pid, path)

    def receive(self, ctx, msg):
        if isinstance(msg, akt.Terminated):
            for pid, path in self.entries.values():
                if pid == msg.pid:
                    conf.log("terminated", path)
                    return
        elif conf.is_(msg, "conf.Watch"):
            def watch():
                pid = ctx.system.lookup(msg.text)
                self.entries[msg.text] = (pid, conf.path(pid))
                ctx.watch(pid)
            conf.respond(ctx, "conf.Done", conf.rc_of(watch))
        elif conf.is_(msg, "conf.Unwatch"):
            conf.respond(ctx, "conf.Done",
                         conf.rc_of(lambda: ctx.unwatch(self.entries[msg.text][0])))
        elif conf.is_(msg, "conf.Rewatch"):
            conf.respond(ctx, "conf.Done",
                         conf.rc_of(lambda: ctx.watch(self.entries[msg.text][0])))
        elif conf.is_(msg, "conf.Ping"):
            conf.respond(ctx, "conf.Pong")
        else:
            ctx.unhandled()


system = conf.system_create()
watcher = system.spawn("watcher", Watcher())
w1, w2, w3 = (system.spawn(name, Idle()) for name in ("w1", "w2", "w3"))

conf.say("watch.w1", conf.ask_str(watcher, "conf.Watch", "w1"))
conf.say("watch.w2", conf.ask_str(watcher, "conf.Watch", "w2"))
conf.say("unwatch.w2", conf.ask_str(watcher, "conf.Unwatch", "w2"))
conf.say("watch.nobody", conf.ask_str(watcher, "conf.Watch", "nobody"))

w2.stop_graceful_sync(conf.ASK_S)
conf.say("stop.w2", "ok")
w1.stop_graceful_sync(conf.ASK_S)
conf.say("stop.w1", "ok")
conf.wait_log(1)
conf.say("ping", conf.ask_str(watcher, "conf.Ping"))
conf.flush()

conf.say("watch.w3", conf.ask_str(watcher, "conf.Watch", "w3"))
conf.say("rewatch.w3", conf.ask_str(watcher, "conf.Rewatch", "w3"))
w3.stop()
conf.say("stop.w3", "ok")
conf.wait_log(1)
conf.say("ping", conf.ask_str(watcher, "conf.Ping"))
conf.flush()

conf.say("rewatch.w1", conf.ask_str(watcher, "conf.Rewatch", "w1"))
conf.wait_log(1)
conf.flush()

conf.system_finish(system)
