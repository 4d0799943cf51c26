"""remote_spawn: an actor of a kind registered on the peer, spawned from this node; the
errors of a taken name, an unknown kind and a bad name; a spawn again after a stop."""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class Counter(akt.Actor):
    """conf.Question "<t>" -> conf.Answer "<name>:<t>"."""

    def __init__(self, name):
        self.name = name

    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Question"):
            conf.respond(ctx, "conf.Answer", self.name + ":" + msg.text)
        else:
            ctx.unhandled()


system = conf.system_create()
peer = akt.ActorSystem("peer")

# 1. Remoting on both nodes; the peer registers the kind.
system.remote_start("127.0.0.1", 0)
peer_address = peer.remote_start("127.0.0.1", 0)
conf.say("remote.start", "ok")
peer.register_grain("counter", Counter, deactivate_after=None)

# 2. A remote spawn, and the pid's path.
c1 = None


def spawn_c1():
    global c1
    c1 = system.remote_spawn(peer_address, "counter", "c1", timeout=10)


conf.say("spawn.c1", conf.rc_of(spawn_c1))
conf.say("spawn.path", "yes" if c1.path == peer_address + "/user/c1" else "no")

# 3. It answers, from here and on the peer itself.
conf.say("ask.reply", conf.ask_str(c1, "conf.Question", "hello"))
conf.say("ask.again", conf.ask_str(peer.lookup("/user/c1"), "conf.Question", "again"))

# 4. The errors come back as codes.
conf.say("spawn.duplicate", conf.rc_of(lambda: system.remote_spawn(peer_address, "counter", "c1")))
conf.say("spawn.unknown_kind",
         conf.rc_of(lambda: system.remote_spawn(peer_address, "nosuch", "c2")))
conf.say("spawn.bad_name", conf.rc_of(lambda: system.remote_spawn(peer_address, "counter", "a/b")))

# 5. A remote stop, then the name is free again.
c1.stop()
deadline = time.monotonic() + conf.WAIT_LIMIT_S
while conf.rc_of(lambda: peer.lookup("/user/c1")) == "ok":
    if time.monotonic() > deadline:
        conf.fatal("the remote c1 did not stop")
    time.sleep(0.01)
conf.say("stop.c1", "ok")
conf.say("spawn.after_stop", conf.rc_of(spawn_c1))
conf.say("ask.after_stop", conf.ask_str(c1, "conf.Question", "fresh"))

conf.system_finish(system)
peer.shutdown(timeout=conf.WAIT_LIMIT_S)
