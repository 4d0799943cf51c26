"""stream_fan: fan-in (merge, concat, zip) and fan-out (broadcast, balance, partition)."""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import conf  # noqa: E402
from akt.errors import AktError  # noqa: E402
from akt.stream import Flow, Sink, Source  # noqa: E402


def listed(values: list) -> str:
    return " ".join(str(v) for v in values) if values else "-"


def outcome(stream) -> tuple:
    try:
        stream.result(conf.ASK_S)
        return "ok", ""
    except AktError as e:
        return conf.rc(e), e.reason or ""


def fail_on(k):
    def fn(x):
        if x == k:
            raise ValueError(f"no {k}")
        return x
    return fn


system = conf.system_create()

# 1. merge
got = Source.merge(Source.range(0, 5), Source.range(10, 15), Source.of(100, 101)).run_with(
    Sink.collect(), system).result(conf.ASK_S)
conf.say("merge", listed(sorted(got)))
groups = [[x for x in got if x < 10], [x for x in got if 10 <= x < 100], [x for x in got if x >= 100]]
conf.say("merge.ordered", "yes" if all(g == sorted(g) for g in groups) else "no")

# 2. concat
conf.say("concat", listed(Source.concat(Source.range(1, 4), Source.of("a", "b"), Source.range(7, 9))
                          .run_with(Sink.collect(), system).result(conf.ASK_S)))

# 3. zip
conf.say("zip", listed(Source.zip(Source.range(1, 4), Source.of("x", "y", "z", "w"),
                                  fn=lambda a, b: f"{a}-{b}")
                       .run_with(Sink.collect(), system).result(conf.ASK_S)))

# 4. broadcast
b0, b1, b2 = Source.range(1, 6).run_with(Sink.broadcast(
    Sink.collect(), Flow().map(lambda x: x * x).to(Sink.fold(0, lambda a, x: a + x)), Sink.first()),
    system).result(conf.ASK_S)
conf.say("broadcast.0", listed(b0))
conf.say("broadcast.1", str(b1))
conf.say("broadcast.2", str(b2))

# 5. balance
parts = Source.range(0, 100).run_with(Sink.balance(Sink.collect(), Sink.collect(), Sink.collect()),
                                      system).result(conf.ASK_S)
together = [x for p in parts for x in p]
conf.say("balance.total", str(len(together)))
conf.say("balance.each_once", "yes" if sorted(together) == list(range(100)) else "no")

# 6. partition
p = Source.range(0, 10).run_with(Sink.partition(lambda x: x % 3, Sink.collect(), Sink.collect(),
                                                Sink.collect()), system).result(conf.ASK_S)
for k in range(3):
    conf.say(f"partition.{k}", listed(p[k]))

# 7. partition.bad
name, why = outcome(Source.range(0, 5).run_with(
    Sink.partition(lambda x: x, Sink.collect(), Sink.collect()), system))
conf.say("partition.bad", name)
conf.say("partition.bad.reason", why)

# 8. branch.fail
name, why = outcome(Source.range(0, 10).run_with(
    Sink.broadcast(Sink.collect(), Flow().map(fail_on(3)).to(Sink.ignore())), system))
conf.say("branch.fail", name)
conf.say("branch.fail.reason", why)

# 9. input.fail
name, why = outcome(Source.merge(Source.range(0, 10), Source.range(0, 10).map(fail_on(4)))
                    .run_with(Sink.ignore(), system))
conf.say("input.fail", name)
conf.say("input.fail.reason", why)

# 10. paced
made = [0]
seen = {"fast": 0, "slow": 0, "worst": 0}


def count(state):
    if state >= 200:
        return None
    made[0] = state + 1
    return state + 1, state


def fast(x):
    seen["fast"] += 1


def slow(x):
    seen["worst"] = max(seen["worst"], made[0] - seen["slow"])
    seen["slow"] += 1
    time.sleep(0.001)


Source.unfold(0, count).window(4).run_with(
    Sink.broadcast(Flow().window(4).to(Sink.for_each(fast)), Flow().window(4).to(Sink.for_each(slow))),
    system).result(conf.ASK_S)
conf.say("paced.fast", str(seen["fast"]))
conf.say("paced.slow", str(seen["slow"]))
conf.say("paced.bounded", "yes" if seen["worst"] <= 16 else "no")

conf.system_finish(system)
