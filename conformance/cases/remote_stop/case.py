"""remote_stop: graceful stop of a remote pid (ok, AKT_ETIMEDOUT, AKT_EUNREACHABLE) and a
Close frame's reason reaching the peer (a tell's dead letter, an ask's failure)."""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402

BIG = "x" * 16384


class Sink(akt.Actor):
    """conf.Note "<n>" -> journals it."""

    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Note"):
            conf.log("peer.note", msg.text)
        else:
            ctx.unhandled()


class Holder(akt.Actor):
    """conf.Hold -> journals it, then takes 1 s."""

    def receive(self, ctx, msg):
        if conf.is_(msg, "conf.Hold"):
            conf.log("peer.hold", "started")
            time.sleep(1.0)
        else:
            ctx.unhandled()


class Echo(akt.Actor):
    """Answers a message with itself."""

    def receive(self, ctx, msg):
        ctx.respond(msg)


def close_reason(reason):
    """A close reason as the transcript writes it: its fixed part, or the reason as it is."""
    if reason and "remote peer closed the connection: " in reason and \
            "over this node's message limit of 2048" in reason:
        return "closed by peer: over this node's message limit of 2048"
    return reason if reason else "(none)"


def on_dead_letter(event):
    if conf.is_(event.message, "conf.Big"):
        conf.log("dead.letter", f"conf.Big ({close_reason(event.reason)})")


def stop_graceful(pid, timeout):
    """A graceful stop, waited for: "ok" or the error name."""
    return conf.rc_of(lambda: pid.stop_graceful_sync(timeout))


system = conf.system_create()
peer = akt.ActorSystem("peer")

# 1. Remoting on both nodes: conf chunks at 1024 bytes, the peer takes 2048 at most.
system.remote_start("127.0.0.1", 0, heartbeat_interval=0, chunk_bytes=1024)
peer_address = peer.remote_start("127.0.0.1", 0, 2048, heartbeat_interval=0,
                                 max_message_bytes=2048)
conf.say("remote.start", "ok")
peer.spawn("sink", Sink())
peer.spawn("holder", Holder())
peer.spawn("echo", Echo())
subscription = system.on_dead_letter(on_dead_letter)

# 2. A graceful stop after three tells.
sink = system.remote_lookup(peer_address + "/user/sink")
for n in ("1", "2", "3"):
    sink.tell(conf.msg("conf.Note", n))
conf.say("stop.sink", stop_graceful(sink, 10.0))
conf.wait_log(3)
conf.flush()

# 3. A graceful stop that times out behind a message that takes 1 s.
holder = system.remote_lookup(peer_address + "/user/holder")
holder.tell(conf.msg("conf.Hold"))
conf.say("stop.holder", stop_graceful(holder, 0.1))
conf.wait_log(1)
conf.flush()

# 4. No such actor there: nothing to stop.
conf.say("stop.nobody", stop_graceful(system.remote_lookup(peer_address + "/user/nobody"), 10.0))

# 5. A tell too large for the peer: its Close frame's reason reaches the dead letter.
echo = system.remote_lookup(peer_address + "/user/echo")
echo.tell(conf.msg("conf.Big", BIG))
conf.wait_log(1)
conf.flush()

# 6. An ask too large for the peer fails with the Close frame's reason.
try:
    echo.ask_sync(conf.msg("conf.Big", BIG), 10.0)
    conf.say("ask.big", "ok")
except akt.AktError as e:
    conf.say("ask.big", f"{e.name} ({close_reason(e.reason or str(e))})")

# 7. The connection comes back.
conf.say("ask.small", conf.ask_str(echo, "conf.Small", "hi"))

# 8. The peer goes away: a graceful stop of its pid cannot reach it.
if not peer.shutdown(timeout=conf.WAIT_LIMIT_S):
    conf.fatal("the peer's shutdown did not complete")
conf.say("peer.shutdown", "ok")
conf.say("stop.gone", stop_graceful(echo, 10.0))

subscription.close()
conf.system_finish(system)
