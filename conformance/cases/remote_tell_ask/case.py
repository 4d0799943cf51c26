"""remote_tell_ask: two systems of one process over 127.0.0.1; ordered tells, an ask, an
unknown path, an ask after the peer shut down."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


def sender_is(pid, prefix, suffix):
    return pid is not None and pid.path.startswith(prefix) and pid.path.endswith(suffix)


class Echo(akt.Actor):
    """conf.Note "<n>" -> journals it; conf.Question "<t>" -> conf.Answer "re:<t>";
    conf.Ping -> journals whether its sender is the remote pinger, responds conf.Pong."""

    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Note"):
            conf.log("peer.note", msg.text)
        elif conf.is_(msg, "conf.Question"):
            conf.respond(ctx, "conf.Answer", "re:" + msg.text)
        elif conf.is_(msg, "conf.Ping"):
            remote = sender_is(ctx.sender, "akt://conf@", "/user/pinger")
            conf.log("sender.remote", "yes" if remote else "no")
            conf.respond(ctx, "conf.Pong")
        else:
            ctx.unhandled()


class Pinger(akt.Actor):
    """conf.Go -> tells the remote echo conf.Ping as itself; conf.Pong -> journals whether
    it came from the remote echo."""

    def __init__(self, echo):
        self.echo = echo

    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Go"):
            ctx.tell(self.echo, conf.msg("conf.Ping"))
        elif conf.is_(msg, "conf.Pong"):
            back = sender_is(ctx.sender, "akt://peer@", "/user/echo")
            conf.log("sender.reply", "yes" if back else "no")
        else:
            ctx.unhandled()


system = conf.system_create()
peer = akt.ActorSystem("peer")

# 1. Remoting on both nodes, 127.0.0.1, an ephemeral port.
system.remote_start("127.0.0.1", 0)
peer_address = peer.remote_start("127.0.0.1", 0)
conf.say("remote.start", "ok")
peer.spawn("echo", Echo())

# 2. One pid per address, and its path is the address.
echo = system.remote_lookup(peer_address + "/user/echo")
again = system.remote_lookup(peer_address + "/user/echo")
conf.say("lookup.same", "same pid" if echo == again else "different pid")
conf.say("lookup.path", "yes" if echo.path == peer_address + "/user/echo" else "no")

# 3. Tells arrive in the order sent.
for n in ("1", "2", "3"):
    echo.tell(conf.msg("conf.Note", n))
conf.wait_log(3)
conf.flush()

# 4. An ask round trip.
conf.say("ask.reply", conf.ask_str(echo, "conf.Question", "hello"))

# The sender crosses both ways: the echo sees the pinger, the pinger the echo.
system.spawn("pinger", Pinger(echo)).tell(conf.msg("conf.Go"))
conf.wait_log(2)
conf.flush()

# 5. An unknown path: the peer answers AKT_ENOTFOUND.
nobody = system.remote_lookup(peer_address + "/user/nobody")
conf.say("ask.unknown", conf.ask_str(nobody, "conf.Question", "anyone?"))

# 6. The peer goes away ...
if not peer.shutdown(timeout=conf.WAIT_LIMIT_S):
    conf.fatal("the peer's shutdown did not complete")
conf.say("peer.shutdown", "ok")

# 7. ... and an ask to it fails with AKT_EUNREACHABLE.
conf.say("ask.after_shutdown", conf.ask_str(echo, "conf.Question", "still there?"))

conf.system_finish(system)
