"""stream_errors: failing stages, resume and retry."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402
from akt.stream import Sink, Source  # noqa: E402


def listed(values: list) -> str:
    return " ".join(str(v) for v in values) if values else "-"


def outcome(stream):
    """(error name, reason) of how it ended."""
    try:
        stream.result(timeout=conf.ASK_S)
        return "ok", ""
    except akt.AktError as e:
        return conf.rc(e), e.reason or ""


def fail_on(n: int):
    def f(x: int) -> int:
        if x == n:
            raise ValueError(f"no {n}")
        return x
    return f


def fail_on_odd(x: int) -> int:
    if x % 2:
        raise ValueError("odd")
    return x


system = conf.system_create()

# 1. fail
s = Source.range(0, 100).map(fail_on(5)).named("boom").run_with(Sink.collect(), system)
name, why = outcome(s)
conf.say("fail", name)
conf.say("fail.reason", why)
m = s.metrics()[1]
conf.say("fail.metrics", f"in {m.elements_in} out {m.elements_out} errors {m.errors}")

# 2. resume
s = Source.range(0, 10).map(fail_on_odd).on_error("resume").run_with(Sink.collect(), system)
conf.say("resume", listed(s.result(conf.ASK_S)))
m = s.metrics()[1]
conf.say("resume.metrics", f"errors {m.errors} drops {m.drops}")

# 3-4. retry within and beyond its budget
for budget in (2, 1):
    calls = [0]

    def flaky(x: int) -> int:
        c = calls[0]
        calls[0] += 1
        if c % 3:
            raise RuntimeError("not yet")
        return x

    s = Source.range(0, 4).map(flaky).on_error("retry", budget).run_with(Sink.collect(), system)
    if budget == 2:
        conf.say("retry", listed(s.result(conf.ASK_S)))
        conf.say("retry.errors", str(s.metrics()[1].errors))
    else:
        conf.say("retry.exhausted", outcome(s)[0])
        conf.say("retry.exhausted.errors", str(s.metrics()[1].errors))


# 5. filter
def keep_unless_3(x: int) -> bool:
    if x == 3:
        raise ValueError("three")
    return True


name, why = outcome(Source.range(0, 10).filter(keep_unless_3).run_with(Sink.collect(), system))
conf.say("filter", name)
conf.say("filter.reason", why)


# 6. fold
def sum_to_10(acc: int, x: int) -> int:
    if acc > 10:
        raise OverflowError("too much")
    return acc + x


name, why = outcome(Source.range(1, 11).run_with(Sink.fold(0, sum_to_10), system))
conf.say("fold", name)
conf.say("fold.reason", why)


# 7. unfold with resume
class Counting:
    def __init__(self) -> None:
        self.n = 0

    def __iter__(self):
        return self

    def __next__(self) -> int:
        v = self.n
        self.n += 1
        if v == 3:
            raise ValueError("three")
        if v > 5:
            raise StopIteration
        return v


s = Source.from_iterable(Counting()).on_error("resume").run_with(Sink.collect(), system)
conf.say("unfold.resume", listed(s.result(conf.ASK_S)))
conf.say("unfold.resume.drops", str(s.metrics()[0].drops))

conf.system_finish(system)
