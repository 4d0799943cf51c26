"""stream_basic: the linear DSL, sinks, fusion and per-stage metrics."""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import conf  # noqa: E402
from akt.stream import Sink, Source  # noqa: E402

INT64_MAX = 2**63 - 1


def listed(values: list) -> str:
    return " ".join(str(v) for v in values) if values else "-"


def add(acc: int, x: int) -> int:
    return acc + x


system = conf.system_create()

# 1-2. collect, and the metrics of that stream.
s = Source.range(1, 11).map(lambda x: x * 2).filter(lambda x: x % 3 != 0).run_with(
    Sink.collect(), system)
conf.say("collect", listed(s.result(conf.ASK_S)))
conf.say("metrics", ", ".join(f"{m.name} in {m.elements_in} out {m.elements_out}"
                              for m in s.metrics()))

# 3-7.
conf.say("fold", str(Source.range(1, 101).run_with(Sink.fold(0, add), system).result(conf.ASK_S)))
conf.say("scan", listed(Source.range(1, 6).scan(0, add).run_with(Sink.collect(), system)
                        .result(conf.ASK_S)))
conf.say("dedup", listed(Source.of(1, 1, 2, 3, 3, 3, 1).dedup().run_with(Sink.collect(), system)
                         .result(conf.ASK_S)))
conf.say("flat_map", listed(Source.range(1, 4).flat_map(lambda x: [x, x * 10])
                            .run_with(Sink.collect(), system).result(conf.ASK_S)))
conf.say("strings", listed(Source.of("x", "y").map(lambda t: t + "!")
                           .run_with(Sink.collect(), system).result(conf.ASK_S)))

# 8. first
conf.say("first", str(Source.range(7, INT64_MAX).run_with(Sink.first(), system).result(conf.ASK_S)))
empty = Source.of().run_with(Sink.first(), system).result(conf.ASK_S)
conf.say("first.empty", "none" if empty is None else "some")

# 9. fusion on and off
pipeline = Source.range(0, 1000).map(lambda x: x + 1).filter(lambda x: x % 2 == 0).map(
    lambda x: x * 3)
for on in (True, False):
    s = pipeline.fusion(on).run_with(Sink.fold(0, add), system)
    conf.say("fusion.on" if on else "fusion.off", f"{s.result(conf.ASK_S)} actors {s.actors}")

# 10. range.down
conf.say("range.down", listed(Source.range(10, 0, -3).run_with(Sink.collect(), system)
                              .result(conf.ASK_S)))

# 11. throttle
t0 = time.monotonic()
got = Source.range(0, 20).throttle(5, 0.05).run_with(Sink.collect(), system).result(conf.ASK_S)
took = time.monotonic() - t0
conf.say("throttle", listed(got))
conf.say("throttle.paced", "yes" if took >= 0.15 else "no")

# 12. tick
t0 = time.monotonic()
got = Source.tick(0, 0.01, "t").scan(0, lambda a, x: a + 1).filter(lambda n: n >= 3).run_with(
    Sink.first(), system).result(conf.ASK_S)
took = time.monotonic() - t0
conf.say("tick", str(got))
conf.say("tick.paced", "yes" if took >= 0.02 else "no")

# 13. batch
got = Source.range(0, 10).batch(4, 10).run_with(Sink.collect(), system).result(conf.ASK_S)
conf.say("batch", " ".join(",".join(str(x) for x in b) for b in got))

conf.system_finish(system)
