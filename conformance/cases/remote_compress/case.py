"""remote_compress: frame compression between a zstd node and peers of each method."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402

T = "compress me " * 250


class Echo(akt.Actor):
    """conf.Question "<t>" -> conf.Answer "re:<t>"."""

    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Question"):
            conf.respond(ctx, "conf.Answer", "re:" + msg.text)
        else:
            ctx.unhandled()


system = conf.system_create()
system.remote_start("127.0.0.1", 0, compression="zstd")
conf.say("remote.start", "ok")
for method in ("zstd", "gzip", "brotli", "none"):
    peer = akt.ActorSystem("peer")
    address = peer.remote_start("127.0.0.1", 0, compression=method)
    peer.spawn("echo", Echo())
    got = conf.ask_str(system.remote_lookup(address + "/user/echo"), "conf.Question", T)
    conf.say("ask." + method, "intact" if got == "conf.Answer re:" + T else got)
    if not peer.shutdown(timeout=conf.WAIT_LIMIT_S):
        conf.fatal("the peer's shutdown did not complete")
try:
    system.remote_start("127.0.0.1", 0, compression="lz4")
    conf.say("start.bad_method", "accepted")
except ValueError:
    conf.say("start.bad_method", "refused")
conf.system_finish(system)
