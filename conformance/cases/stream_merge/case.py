"""stream_merge: flatMap merge with a breadth, and the room signal of a queue source."""
import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402
from akt.stream import Sink, Source  # noqa: E402


def fail_31(v: int) -> int:
    if v == 31:
        raise ValueError("31")
    return v


def inner_of(with_failure: bool):
    def fn(x: int) -> Source:
        src = Source.range(x * 10, x * 10 + x)
        return src.map(fail_31) if with_failure and x == 3 else src
    return fn


def merge(breadth: int, with_failure: bool = False, resume: bool = False):
    src = Source.range(1, 6).flat_map_merge(breadth, inner_of(with_failure))
    if resume:
        src = src.on_error("resume")
    return src.run_with(Sink.collect(), system)


def say_list(step: str, xs: list) -> None:
    conf.say(step, " ".join(str(v) for v in xs))


system = conf.system_create()

# 1.
out = merge(3).result(conf.ASK_S)
ordered = all(not (a // 10 == b // 10 and a > b)
              for i, a in enumerate(out) for b in out[i + 1:])
say_list("merge.sorted", sorted(out))
conf.say("merge.per_inner_order", "yes" if ordered else "no")

# 2.
say_list("merge.breadth1", merge(1).result(conf.ASK_S))

# 3.
try:
    merge(3, with_failure=True).result(conf.ASK_S)
    conf.say("merge.failed", "completed")
except akt.AktError as e:
    conf.say("merge.failed", e.reason)
say_list("merge.resume", sorted(merge(3, with_failure=True, resume=True).result(conf.ASK_S)))

# 4.
q = Source.queue(2).run_with(Sink.collect(), system)


async def produce() -> None:
    for x in range(1, 21):
        await q.offer_async(x)


asyncio.run(produce())
q.complete()
say_list("queue.result", q.result(conf.ASK_S))
conf.say("queue.after_complete", conf.rc_of(lambda: asyncio.run(q.offer_async(99))))

conf.system_finish(system)
