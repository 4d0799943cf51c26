"""Fault tolerance: the circuit breaker's idioms, passivation as a spawn option and a system
default, and the guardian's policy."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest

import akt
from actors import wait_for


def quick_breaker(clock: akt.ManualClock, **kw: Any) -> akt.CircuitBreaker:
    opts: dict[str, Any] = dict(failure_rate=0.5, min_requests=2, open_timeout=1.0, window=10.0,
                                window_buckets=10, half_open_max_calls=1, clock=clock)
    opts.update(kw)
    return akt.CircuitBreaker(**opts)


def test_breaker_context_manager_counts_exceptions_and_rethrows() -> None:
    clock = akt.ManualClock(100.0)
    b = quick_breaker(clock)
    with b:
        pass
    with pytest.raises(KeyError):
        with b:
            raise KeyError("x")
    assert b.state is akt.BreakerState.OPEN
    ran = []
    with pytest.raises(akt.BreakerOpen) as e:
        b.call(lambda: ran.append(1))
    assert ran == [] and e.value.code == akt.Busy.code and isinstance(e.value, akt.Busy)
    assert b.metrics.rejected == 1
    clock.advance(1.0)
    assert b.state is akt.BreakerState.HALF_OPEN
    assert b.call(lambda: 7) == 7
    assert b.state is akt.BreakerState.CLOSED


def test_breaker_decorator_sync_and_async() -> None:
    clock = akt.ManualClock()
    b = quick_breaker(clock, min_requests=1)

    @b
    def ok(x: int) -> int:
        return x * 2

    @b
    async def boom() -> None:
        raise RuntimeError("down")

    assert ok(4) == 8
    with pytest.raises(RuntimeError):
        asyncio.run(boom())
    m = b.metrics
    assert m.state is akt.BreakerState.OPEN and m.successes == 0 and m.failures == 0
    with pytest.raises(akt.BreakerOpen):
        ok(1)


def test_breaker_bad_options() -> None:
    with pytest.raises(akt.InvalidArgument):
        akt.CircuitBreaker(failure_rate=1.5)
    with pytest.raises(akt.InvalidArgument):
        akt.CircuitBreaker(window=1e-9, window_buckets=12)
    with pytest.raises(ValueError):
        akt.CircuitBreaker(min_requests=0)
    with pytest.raises(ValueError):
        akt.CircuitBreaker(open_timeout=0)
    with pytest.raises(TypeError):
        akt.CircuitBreaker(clock=time.monotonic)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        akt.CircuitBreaker(half_open_max_calls=1.5)  # type: ignore[arg-type]


def test_breaker_from_many_threads() -> None:
    b = akt.CircuitBreaker(min_requests=1000000, window=60.0)
    def work() -> None:
        for i in range(500):
            try:
                with b:
                    if i % 2:
                        raise ValueError
            except ValueError:
                pass
    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    m = b.metrics
    assert (m.successes, m.failures) == (1000, 1000)
    assert m.failure_rate == 0.5


class Echo(akt.Actor):
    def receive(self, ctx: akt.Context, msg: Any) -> None:
        ctx.respond(msg)


def test_passivation_idle_and_events(any_system: akt.ActorSystem) -> None:
    seen: list[tuple[akt.EventKind, str]] = []
    sub = any_system.subscribe(lambda ev: seen.append((ev.kind, ev.path)),
                               akt.EventKind.ACTOR_PASSIVATED)
    a = any_system.spawn("idle", Echo(), passivation=akt.Passivation.idle(0.03))
    keep = any_system.spawn("keep", Echo(), passivation=akt.Passivation.LONG_LIVED)
    assert a.ask_sync("hi") == "hi"
    assert wait_for(lambda: not a.is_alive)
    assert wait_for(lambda: len(seen) == 1)
    assert seen[0][0] == akt.EventKind.ACTOR_PASSIVATED and seen[0][1].endswith("/user/idle")
    assert keep.is_alive
    sub.close()


def test_passivation_after_messages(any_system: akt.ActorSystem) -> None:
    a = any_system.spawn("twice", Echo(), passivation=akt.Passivation.after_messages(2))
    assert a.ask_sync(1) == 1
    assert a.is_alive
    assert a.ask_sync(2) == 2
    assert wait_for(lambda: not a.is_alive)


def test_passivation_system_default(system: akt.ActorSystem) -> None:
    system.set_default_passivation(akt.Passivation.idle(0.02))
    a = system.spawn("a", Echo())
    b = system.spawn("b", Echo(), passivation=akt.Passivation.LONG_LIVED)
    assert wait_for(lambda: not a.is_alive)
    system.set_default_passivation(None)
    c = system.spawn("c", Echo())
    time.sleep(0.08)
    assert b.is_alive and c.is_alive


def test_passivation_bad_values(system: akt.ActorSystem) -> None:
    with pytest.raises(ValueError):
        akt.Passivation.idle(0)
    with pytest.raises(ValueError):
        akt.Passivation.after_messages(0)
    with pytest.raises(TypeError):
        akt.Passivation.idle("1")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        system.spawn("x", Echo(), passivation=5)  # type: ignore[arg-type]
    with pytest.raises(akt.ActorNotFound):
        system.lookup("/user/x")
    with pytest.raises(TypeError):
        system.set_default_passivation("idle")  # type: ignore[arg-type]


class Failing(akt.Actor):
    def receive(self, ctx: akt.Context, msg: Any) -> None:
        raise RuntimeError("boom")


def test_guardian_policy_shutdown() -> None:
    sup = akt.Supervisor(directive=akt.Directive.ESCALATE)
    with akt.ActorSystem("guardian", supervisor=sup) as system:
        with pytest.raises(ValueError):
            system.set_guardian_policy("explode")
        a = system.spawn("a", Failing())
        a.tell("x")
        assert wait_for(lambda: not a.is_alive)
        assert system.is_running  # the default: only the actor stops
        system.set_guardian_policy("shutdown")
        b = system.spawn("b", Failing())
        b.tell("x")
        assert wait_for(lambda: not system.is_running)
