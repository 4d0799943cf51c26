"""circuit_breaker: the public breaker's states, window and trial calls on a fake clock."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bindings" / "python" / "conformance"))

import akt  # noqa: E402
import conf  # noqa: E402


class TaskFailed(Exception):
    pass


def call(breaker: akt.CircuitBreaker, step: str, ok: bool) -> None:
    def task() -> str:
        if not ok:
            raise TaskFailed("the task failed")
        return "ok"

    try:
        conf.say(step, breaker.call(task))
    except TaskFailed:
        conf.say(step, "failed")
    except akt.BreakerOpen:
        conf.say(step, "rejected")


def calls(breaker: akt.CircuitBreaker, prefix: str, first: int, last: int, ok: bool) -> None:
    for i in range(first, last + 1):
        call(breaker, f"{prefix}.{i}", ok)


def metrics(breaker: akt.CircuitBreaker) -> None:
    m = breaker.metrics
    conf.say("metrics", f"{m.state.value} successes={m.successes} failures={m.failures} "
                        f"rate={int(m.failure_rate * 100 + 0.5)}% rejected={m.rejected}")


def main() -> None:
    clock = akt.ManualClock(start=1000.0)
    breaker = akt.CircuitBreaker(failure_rate=0.5, min_requests=4, open_timeout=5.0,
                                 window=10.0, window_buckets=10, half_open_max_calls=2,
                                 clock=clock)

    def advance(seconds: float, label: str) -> None:
        clock.advance(seconds)
        conf.say("clock", f"{label} {breaker.state.value}")

    conf.say("create", breaker.state.value)
    call(breaker, "call.1", True)
    call(breaker, "call.2", False)
    call(breaker, "call.3", True)
    metrics(breaker)
    call(breaker, "call.4", False)
    conf.say("state", breaker.state.value)
    call(breaker, "call.5", True)
    metrics(breaker)

    advance(4.999, "+4.999s")
    advance(0.001, "+0.001s")
    call(breaker, "trial.1", True)
    conf.say("state", breaker.state.value)
    call(breaker, "trial.2", True)
    conf.say("state", breaker.state.value)

    calls(breaker, "call", 6, 8, False)
    metrics(breaker)
    advance(10.0, "+10s")
    metrics(breaker)

    calls(breaker, "call", 9, 12, False)
    conf.say("trip", breaker.state.value)
    advance(5.0, "+5s")
    call(breaker, "trial.3", False)
    conf.say("state", breaker.state.value)
    call(breaker, "call.13", True)
    metrics(breaker)


if __name__ == "__main__":
    main()
