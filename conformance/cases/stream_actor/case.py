"""stream_actor: an actor as a stream's source and sink, and the parallel map."""
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402
from akt.stream import Sink, Source  # noqa: E402


class Target(akt.Actor):
    def receive(self, ctx: akt.Context, msg: object) -> None:
        if msg == "done":
            conf.log("actor", "done")
            return
        conf.log("actor", f"got {msg}")
        ctx.respond("ack")


system = conf.system_create()
target = system.spawn("target", Target())

# 2. queue -> map -> actor
s = Source.queue(4).map(lambda x: x * 2).run_with(Sink.actor(target, 2, "done"), system)
x = 1
while x <= 10:
    if s.offer(x):
        x += 1
    else:
        time.sleep(0)  # full: offer again
s.complete()
s.result(conf.ASK_S)
conf.say("queue.result", "completed")
conf.wait_log(11)
conf.flush()

# 3.
conf.say("queue.after_complete", conf.rc_of(lambda: s.offer(99)))


# 4-5.
def tenfold(fail_at: int):
    async def fn(v: int) -> int:
        await asyncio.sleep(0)
        if v == fail_at:
            raise ValueError("no")
        return v * 10
    return fn


def map_async(step: str, ordered: bool, fail_at: int, resume: bool) -> None:
    src = Source.range(1, 7).map_async(tenfold(fail_at), 3, ordered=ordered)
    if resume:
        src = src.on_error("resume")
    st = src.run_with(Sink.collect(), system)
    try:
        out = st.result(conf.ASK_S)
    except akt.AktError as e:
        conf.say(step, e.reason)
        return
    conf.say(step, " ".join(str(v) for v in (out if ordered else sorted(out))))


map_async("map_async.ordered", True, -1, False)
map_async("map_async.unordered", False, -1, False)
map_async("map_async.failed", True, 4, False)
map_async("map_async.resume", True, 4, True)

conf.system_finish(system)
