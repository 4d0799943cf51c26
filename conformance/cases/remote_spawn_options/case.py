"""remote_spawn_options: a remote spawn carries the supervisor, the mailbox, the passivation
and the reentrancy to the spawning node (remote_spawn's keyword options, as a local spawn's);
a function (a decider, a priority key) cannot cross and is refused here, leaving nothing
there."""
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


def wait_gone(peer, path):
    deadline = time.monotonic() + conf.WAIT_LIMIT_S
    while conf.rc_of(lambda: peer.lookup(path)) == "ok":
        if time.monotonic() > deadline:
            conf.fatal(f"{path} did not stop")
        time.sleep(0.01)


system = conf.system_create()
peer = akt.ActorSystem("peer")

# 1. Remoting on both nodes; the peer registers the kind.
system.remote_start("127.0.0.1", 0)
peer_address = peer.remote_start("127.0.0.1", 0)
conf.say("remote.start", "ok")
peer.register_grain("boss", Boss, deactivate_after=None)

pids = {}


def spawn(name, **options):
    """remote_spawn of a boss named name: "ok" or the error name."""
    def go():
        pids[name] = system.remote_spawn(peer_address, "boss", name, timeout=10, **options)
    return conf.rc_of(go)


# 2. A supervisor that stops, against the default that restarts.
conf.say("spawn.strict", spawn("strict", supervisor=akt.Supervisor(akt.Directive.STOP)))
conf.say("spawn.lenient", spawn("lenient"))
conf.say("child.strict", conf.ask_str(pids["strict"], "conf.Spawn"))
conf.say("child.lenient", conf.ask_str(pids["lenient"], "conf.Spawn"))
peer.lookup("/user/strict/c").tell(conf.msg("conf.Fail", "boom"))
peer.lookup("/user/lenient/c").tell(conf.msg("conf.Fail", "boom"))
wait_gone(peer, "/user/strict/c")
conf.say("supervise.strict", "stopped")
conf.say("supervise.lenient",
         conf.ask_str(peer.lookup("/user/lenient/c"), "conf.Question", "after"))

# 3. Passivated after two messages.
conf.say("spawn.brief", spawn("brief", passivation=akt.Passivation.after_messages(2)))
conf.say("brief.first", conf.ask_str(pids["brief"], "conf.Question", "one"))
conf.say("brief.second", conf.ask_str(pids["brief"], "conf.Question", "two"))
wait_gone(peer, "/user/brief")
conf.say("passivate.brief", "ok")

# 4. A bounded mailbox crosses; a priority one (its key is a function) cannot.
conf.say("spawn.bounded", spawn("bounded", mailbox=akt.Bounded(4, when_full="fail")))
conf.say("ask.bounded", conf.ask_str(pids["bounded"], "conf.Question", "hi"))
conf.say("spawn.priority", spawn("ranked", mailbox=akt.Priority(key=lambda m: 0)))

# 5. Reentrancy.
conf.say("spawn.reentrant", spawn("reentrant", reentrancy="allow_all", max_in_flight=4))
conf.say("ask.reentrant", conf.ask_str(pids["reentrant"], "conf.Question", "hi"))

# 6. A decider cannot cross: refused here, nothing there.
conf.say("spawn.decided",
         spawn("decided", supervisor=akt.Supervisor(decide=lambda error, reason:
                                                    akt.Directive.RESTART)))
conf.say("decided.there", conf.rc_of(lambda: peer.lookup("/user/decided")))

conf.system_finish(system)
peer.shutdown(timeout=conf.WAIT_LIMIT_S)
