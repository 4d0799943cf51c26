"""serializers: JSON, CBOR, protobuf and a custom serializer across two systems of one
process over 127.0.0.1, and a value that cannot cross."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class Point:
    """A point (x, y), each 0..255; crosses with the custom "point" serializer."""

    __akt_type__ = "conf.Point"

    def __init__(self, x, y):
        self.x, self.y = x, y


class Opaque:
    """A value with no serializer and no bytes."""


def type_of(value):
    return value.type if isinstance(value, akt.Bytes) else akt.type_name(value)


class Echo(akt.Actor):
    """Journals the type of what it got and responds with it."""

    def receive(self, ctx, msg):
        conf.log("peer.got", type_of(msg))
        ctx.respond(msg)


def serializers(system):
    system.serializer_bind("akt.Json", "cbor")
    system.serializer_bind("conf.Doc", "json")
    system.serializer_bind("akt.remote.Failure", "protobuf")
    system.serializer_register("point", lambda p: bytes([p.x, p.y]),
                               lambda type, data: Point(data[0], data[1]))
    system.serializer_bind("conf.Point", "point")


system = conf.system_create()
peer = akt.ActorSystem("peer")

# 1. The same serializers on both nodes, then remoting.
serializers(system)
serializers(peer)
system.remote_start("127.0.0.1", 0)
peer_address = peer.remote_start("127.0.0.1", 0)
conf.say("remote.start", "ok")
peer.spawn("echo", Echo())
echo = system.remote_lookup(peer_address + "/user/echo")

# 2. A dict as CBOR.
conf.say("cbor.serializer", system.serializer_for("akt.Json") or "none")
doc = {"name": "akt", "list": [1, 2.5, None, True], "nested": {}}
back = echo.ask_sync(doc, conf.ASK_S)
conf.say("cbor.equal", "yes" if isinstance(back, dict) and back == doc else "no")

# 3. JSON text, sent compact.
conf.say("json.reply", echo.ask_sync(conf.msg("conf.Doc", '{ "b" : [true, "x"] }'), conf.ASK_S).text)

# 4. The bytes of a protobuf message.
pb = bytes([0x08, 0x09, 0x12, 0x04]) + b"gone"
back = echo.ask_sync(akt.Bytes("akt.remote.Failure", pb), conf.ASK_S)
conf.say("protobuf.equal", "yes" if bytes(back.data) == pb else "no")

# 5. A custom serializer.
p = echo.ask_sync(Point(3, 4), conf.ASK_S)
conf.say("custom.reply", f"{p.x},{p.y}")

# 6. No serializer and no bytes: refused here.
conf.say("refused.ask", conf.rc_of(lambda: echo.ask_sync(Opaque(), conf.ASK_S)))

# 7. What reached the echo, in order.
conf.wait_log(4)
conf.flush()

# 8.
if not peer.shutdown(timeout=conf.WAIT_LIMIT_S):
    conf.fatal("the peer's shutdown did not complete")
conf.system_finish(system)
