"""remote_chunk: a message larger than the frame limit crosses in chunks, both ways."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402

T = "chunk me " * 700000


class Echo(akt.Actor):
    """conf.Question "<t>" -> conf.Answer "re:<t>"."""

    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Question"):
            conf.respond(ctx, "conf.Answer", "re:" + msg.text)
        else:
            ctx.unhandled()


system = conf.system_create()
system.remote_start("127.0.0.1", 0)
conf.say("remote.start", "ok")
peer = akt.ActorSystem("peer")
address = peer.remote_start("127.0.0.1", 0)
peer.spawn("echo", Echo())
echo = system.remote_lookup(address + "/user/echo")
got = conf.ask_str(echo, "conf.Question", T, timeout=10.0)
conf.say("ask.big", "intact" if got == "conf.Answer re:" + T else got[:200])
conf.say("ask.small", conf.ask_str(echo, "conf.Question", "small"))
if not peer.shutdown(timeout=conf.WAIT_LIMIT_S):
    conf.fatal("the peer's shutdown did not complete")
conf.system_finish(system)
