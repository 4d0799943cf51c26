"""remote_watch: a watched remote actor that is stopped, one poisoned behind tells, and one
whose node goes away: each sends Terminated to its watcher."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class Noter(akt.Actor):
    """conf.Note "<n>" -> journals it."""

    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Note"):
            conf.log("peer.note", msg.text)
        else:
            ctx.unhandled()


class Watcher(akt.Actor):
    """conf.Watch "<address>" -> watches that remote pid; Terminated -> journals the last
    segment of the path it had (a remote pid's path is its address)."""

    def __init__(self):
        self.names = {}  # pid -> name

    def receive(self, ctx, msg):
        if isinstance(msg, akt.Terminated):
            conf.log("terminated", self.names.get(msg.pid, "?"))
        elif conf.is_(msg, "conf.Watch"):
            def watch():
                pid = ctx.system.remote_lookup(msg.text)
                self.names[pid] = pid.path.rsplit("/", 1)[-1]
                ctx.watch(pid)
            conf.respond(ctx, "conf.Done", conf.rc_of(watch))
        else:
            ctx.unhandled()


system = conf.system_create()
peer = akt.ActorSystem("peer")

# 1. Remoting on both nodes; three actors on the peer.
system.remote_start("127.0.0.1", 0)
peer_address = peer.remote_start("127.0.0.1", 0)
conf.say("remote.start", "ok")
for name in ("target", "sink", "other"):
    peer.spawn(name, Noter())

# 2. The watcher watches the three remote pids.
watcher = system.spawn("watcher", Watcher())
for name in ("target", "sink", "other"):
    conf.say("watch." + name, conf.ask_str(watcher, "conf.Watch", peer_address + "/user/" + name))

# 3. A remote stop: the peer stops its actor, the watcher gets Terminated.
target = system.remote_lookup(peer_address + "/user/target")
conf.say("stop.target", conf.rc_of(target.stop))
conf.wait_log(1)
conf.flush()

# 4. A remote poison behind three tells.
sink = system.remote_lookup(peer_address + "/user/sink")
for n in ("1", "2", "3"):
    sink.tell(conf.msg("conf.Note", n))
conf.say("poison.sink", conf.rc_of(sink.poison))
conf.wait_log(4)
conf.flush()

# 5. The peer goes away: its watched actor is terminated.
if not peer.shutdown(timeout=conf.WAIT_LIMIT_S):
    conf.fatal("the peer's shutdown did not complete")
conf.say("peer.shutdown", "ok")
conf.wait_log(1)
conf.flush()

conf.system_finish(system)
