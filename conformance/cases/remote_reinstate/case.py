"""remote_reinstate: a child suspended on its node by the supervisor a remote spawn carried
(directive suspend) refuses messages from both nodes until the reinstate of its remote pid
(pid.reinstate(), akt_reinstate) reinstates it there."""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class Child(akt.Actor):
    """conf.Question "<t>" -> conf.Answer "c:<t>"; conf.Fail "<r>" fails with r."""

    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Fail"):
            raise RuntimeError(msg.text)
        if conf.is_(msg, "conf.Question"):
            conf.respond(ctx, "conf.Answer", "c:" + msg.text)
        else:
            ctx.unhandled()


class Boss(akt.Actor):
    """conf.Question "<t>" -> conf.Answer "<name>:<t>"; conf.Spawn spawns the child "c"."""

    def __init__(self, name):
        self.name = name

    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Spawn"):
            rc = conf.rc_of(lambda: ctx.spawn("c", Child()))
            conf.respond(ctx, "conf.Answer", "spawned" if rc == "ok" else rc)
        elif conf.is_(msg, "conf.Question"):
            conf.respond(ctx, "conf.Answer", self.name + ":" + msg.text)
        else:
            ctx.unhandled()


system = conf.system_create()
peer = akt.ActorSystem("peer")

# 1. Remoting on both nodes; the peer registers the kind.
system.remote_start("127.0.0.1", 0)
peer_address = peer.remote_start("127.0.0.1", 0)
conf.say("remote.start", "ok")
peer.register_grain("boss", Boss, deactivate_after=None)

# 2. A boss whose children are suspended when they fail; its child, by remote pid.
pids = {}


def spawn_keeper():
    pids["keeper"] = system.remote_spawn(peer_address, "boss", "keeper", timeout=10,
                                         supervisor=akt.Supervisor(akt.Directive.SUSPEND))


def lookup_child():
    pids["c"] = system.remote_lookup(peer_address + "/user/keeper/c")


conf.say("spawn.keeper", conf.rc_of(spawn_keeper))
keeper = pids["keeper"]
conf.say("child.keeper", conf.ask_str(keeper, "conf.Spawn"))
conf.say("lookup.c", conf.rc_of(lookup_child))
child = pids["c"]

# 3. It fails: suspended there.
child.tell(conf.msg("conf.Fail", "boom"))
here = peer.lookup("/user/keeper/c")


def probe():
    return conf.rc_of(lambda: here.tell(conf.msg("conf.Probe")))


deadline = time.monotonic() + conf.WAIT_LIMIT_S
while (rc := probe()) != "AKT_ESUSPENDED":
    if time.monotonic() > deadline:
        conf.fatal(f"the child was not suspended: {rc}")
    time.sleep(0.01)
conf.say("suspended.c", rc)

# 4. An ask from the other node is refused too.
conf.say("ask.suspended", conf.ask_str(child, "conf.Question", "while"))

# 5. Reinstated from the other node: it answers again.
conf.say("reinstate.c", conf.rc_of(child.reinstate))
deadline = time.monotonic() + conf.WAIT_LIMIT_S
while probe() == "AKT_ESUSPENDED":
    if time.monotonic() > deadline:
        conf.fatal("the child was not reinstated")
    time.sleep(0.01)
conf.say("ask.reinstated", conf.ask_str(child, "conf.Question", "back"))

# 6. Reinstating an actor that is not suspended leaves it as it is.
conf.say("reinstate.running", conf.rc_of(keeper.reinstate))
conf.say("ask.running", conf.ask_str(keeper, "conf.Question", "still"))

conf.system_finish(system)
peer.shutdown(timeout=conf.WAIT_LIMIT_S)
