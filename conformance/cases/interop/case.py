"""interop: a C actor (peer.h) and Python actors in one system, asking each other."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class Host(akt.Actor):
    peer_path = ""

    def receive(self, ctx, msg):
        if isinstance(msg, akt.Terminated):
            conf.log("terminated", self.peer_path)
        elif conf.is_(msg, "conf.Start"):
            ctx.tell(ctx.system.lookup("peer"), conf.msg("conf.Question", msg.text))
            conf.respond(ctx, "conf.Started")
        elif conf.is_(msg, "conf.Answer"):
            conf.log("host", f"{conf.reply_str(msg)} from={conf.path(ctx.sender)}")
        elif conf.is_(msg, "conf.Watch"):
            def watch():
                peer = ctx.system.lookup("peer")
                self.peer_path = conf.path(peer)
                ctx.watch(peer)
            conf.respond(ctx, "conf.Done", conf.rc_of(watch))
        else:
            ctx.unhandled()


class Opaque:
    """A Python object with no bytes form: C cannot read it."""


system = conf.system_create()

peer = system.spawn_native("peer", conf.peer_behavior())
conf.say("ask.peer", conf.ask_str(peer, "conf.Question", "hello"))

host = system.spawn("host", Host())
conf.say("start.host", conf.ask_str(host, "conf.Start", "from-host"))
conf.wait_log(1)
conf.flush()

# A Python str is a text object: C reads its UTF-8 bytes; other objects have none, and a
# tell of one to a C actor is refused at the sender (NotSupported), never delivered.
conf.say("object.text", conf.reply_str(peer.ask_sync("text-object", conf.ASK_S)))
rc = conf.rc_of(lambda: peer.tell(Opaque()))
conf.say("object.opaque", "accepted" if rc == "ok" else f"refused {rc}")

conf.say("watch.peer", conf.ask_str(host, "conf.Watch"))
peer.stop_graceful_sync(conf.ASK_S)
conf.say("stop.peer", "ok")
conf.wait_log(1)
conf.flush()

conf.system_finish(system)
