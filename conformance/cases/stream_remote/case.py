"""stream_remote: a stream's sink on another node (a remote Sink.actor) and a source reference
(Source.actor_ref) fed by a stream on another node."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402
from akt.stream import END, Sink, Source  # noqa: E402


class Target(akt.Actor):
    """Journals each element and answers it; "done" ends."""

    def receive(self, ctx, msg):
        if msg == "done":
            conf.log("peer.end", "done")
            return
        conf.log("peer.got", str(msg))
        ctx.respond("ack")


def ended(s):
    try:
        s.result(conf.ASK_S)
        return "ok"
    except akt.AktError as e:
        return getattr(e, "reason", None) or str(e)


def results(s):
    try:
        return " ".join(str(x) for x in s.result(conf.ASK_S))
    except akt.AktError as e:
        return getattr(e, "reason", None) or str(e)


system = conf.system_create()
peer = akt.ActorSystem("peer")

# 1.
system.remote_start("127.0.0.1", 0)
peer_address = peer.remote_start("127.0.0.1", 0)
conf.say("remote.start", "ok")
peer.spawn("target", Target())

# 2. A remote sink.
target = system.remote_lookup(peer_address + "/user/target")
s = Source.range(1, 6).run_with(Sink.actor(target, 2, "done"), system)
conf.say("sink.stream", ended(s))
conf.wait_log(6)
conf.flush()

# 3. A source reference fed from the peer.
consumer = Source.actor_ref(2).run_with(Sink.collect(), system)
src = peer.remote_lookup(consumer.source_address)
producer = Source.range(10, 15).run_with(Sink.actor(src, 2, END), peer)
conf.say("ref.producer", ended(producer))
conf.say("ref.result", results(consumer))

# 4. An ask into a source reference.
asked = Source.actor_ref(1).run_with(Sink.collect(), system)
conf.say("ref.ask", asked.source_pid.ask_sync(7, conf.ASK_S).type)
asked.source_pid.tell(END)
conf.say("ref.asked", results(asked))

# 5.
if not peer.shutdown(timeout=conf.WAIT_LIMIT_S):
    conf.fatal("the peer's shutdown did not complete")
conf.say("peer.shutdown", "ok")
conf.system_finish(system)
