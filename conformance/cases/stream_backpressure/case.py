"""stream_backpressure: bounded in-flight elements, buffer overflow strategies, drain and
cancel."""
import itertools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402
from akt.stream import Sink, Source  # noqa: E402


class Slow:
    """The slow sink: records what it sees, 1 ms per element."""

    def __init__(self) -> None:
        self.seen: list[int] = []

    def __call__(self, x: int) -> None:
        self.seen.append(x)
        time.sleep(0.001)


def await_sink(stream, sink: int, n: int) -> None:
    deadline = time.monotonic() + 10
    while stream.metrics()[sink].elements_in < n:
        if time.monotonic() > deadline:
            conf.fatal(f"the sink never received {n}")
        time.sleep(0.001)


system = conf.system_create()

# 1. slow sink, fast source; the sink samples the metrics at each element.
slow = Slow()
stream = []
worst = 0


def sampled(x: int) -> None:
    global worst
    if stream:
        m = stream[0].metrics()
        worst = max(worst, m[0].elements_out - m[2].elements_in)
    slow(x)


stream.append(Source.range(0, 200).map(lambda x: x).window(4).fusion(False)
              .run_with(Sink.for_each(sampled), system))
stream[0].result(timeout=60)
conf.say("slow.seen", str(len(slow.seen)))
conf.say("slow.order", "kept" if slow.seen == list(range(200)) else "broken")
conf.say("slow.in_flight", "bounded" if 0 < worst <= 10 else "unbounded")

# 2-3. buffers
for name in ("drop_tail", "drop_head", "backpressure"):
    slow = Slow()
    s = Source.range(0, 300).buffer(4, name).run_with(Sink.for_each(slow), system)
    try:
        s.result(timeout=100)
        error = None
    except akt.AktError as e:
        error = e
    drops = s.metrics()[1].drops
    if error is not None:
        conf.fatal(f"{name}: {error}")
    if name == "backpressure":
        conf.say(name, f"seen {len(slow.seen)} dropped {drops}")
        continue
    conf.say(name, f"seen+dropped {len(slow.seen) + drops}")
    conf.say(f"{name}.order", "kept" if slow.seen == sorted(set(slow.seen)) else "broken")

# 4. drain
counter = itertools.count()
s = Source.unfold(None, lambda st: (st, next(counter))).run_with(Sink.collect(), system)
await_sink(s, 1, 50)
s.drain()
try:
    got = s.result(timeout=conf.ASK_S)
    conf.say("drain", "ok")
except akt.AktError as e:
    conf.say("drain", conf.rc(e))
    got = []
conf.say("drain.lost", str(s.metrics()[0].elements_out - len(got)))
conf.say("drain.order", "kept" if got == list(range(len(got))) else "broken")

# 5. cancel
s = Source.unfold(None, lambda st: (st, next(counter))).run_with(Sink.ignore(), system)
await_sink(s, 1, 50)
s.cancel()
try:
    s.result(timeout=conf.ASK_S)
    conf.say("cancel", "ok")
except akt.AktError as e:
    conf.say("cancel", conf.rc(e))

conf.system_finish(system)
