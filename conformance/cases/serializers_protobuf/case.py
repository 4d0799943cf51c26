"""serializers_protobuf: a protobuf message (conf.proto, as protoc's generated _pb2 class of
the `protobuf` package) crosses as itself between two systems of one process over
127.0.0.1."""
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402

# The generated module, made by protoc from conf.proto for this run.
_out = tempfile.TemporaryDirectory(prefix="akt-conf-pb-")
subprocess.run(["protoc", f"--proto_path={HERE}", f"--python_out={_out.name}", "conf.proto"],
               check=True)
sys.path.insert(0, _out.name)
from conf_pb2 import Greeting  # noqa: E402


class Echo(akt.Actor):
    """Journals the Greeting it got and responds with a new one made here."""

    def receive(self, ctx, msg):
        if not isinstance(msg, Greeting):
            conf.log("peer.got", f"other {akt.type_name(msg)}")
            return
        conf.log("peer.got", f"conf.Greeting {msg.text} {msg.count}")
        ctx.respond(Greeting(text=msg.text + " back", count=msg.count + 1,
                             tags=list(msg.tags) + ["peer"]))


system = conf.system_create()
peer = akt.ActorSystem("peer")

# 1. The class on both nodes, then remoting.
system.serializer_protobuf(Greeting)
peer.serializer_protobuf(Greeting)
system.remote_start("127.0.0.1", 0)
peer_address = peer.remote_start("127.0.0.1", 0)
conf.say("remote.start", "ok")
conf.say("protobuf.serializer", system.serializer_for("conf.Greeting") or "none")
peer.spawn("echo", Echo())
echo = system.remote_lookup(peer_address + "/user/echo")

# 2. The Greeting and its encoding.
g = Greeting(text="hello", count=41, tags=["a", "b"])
conf.say("encoded", g.SerializeToString().hex())

# 3. Ask the remote echo.
r = echo.ask_sync(g, conf.ASK_S)
conf.say("reply.generated", "yes" if isinstance(r, Greeting) else "no")
conf.say("reply", f"text={r.text} count={r.count} tags={','.join(r.tags)}")

# 4. A tell, then the journal in order.
echo.tell(Greeting(text="told", count=7))
conf.wait_log(2)
conf.flush()

# 5.
if not peer.shutdown(timeout=conf.WAIT_LIMIT_S):
    conf.fatal("the peer's shutdown did not complete")
conf.system_finish(system)
_out.cleanup()
