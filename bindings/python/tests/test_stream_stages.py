"""akt.stream's tick source: paced by the system's timer, dropping (and counting) ticks a
slow consumer has no demand for, ended by drain, cancel or first."""

from __future__ import annotations

import time

import pytest

import akt
from akt.stream import Sink, Source


def test_tick_paces_and_drains(system: akt.ActorSystem) -> None:
    seen: list[str] = []
    t0 = time.monotonic()
    s = Source.tick(0, 0.01, "tick").run_with(Sink.for_each(seen.append), system)
    deadline = time.monotonic() + 10
    while len(seen) < 5:
        assert time.monotonic() < deadline
        time.sleep(0.001)
    took = time.monotonic() - t0
    s.drain()
    s.result(timeout=10)
    assert took >= 0.04 and set(seen) == {"tick"}
    assert s.metrics()[0].name == "tick" and s.metrics()[0].elements_out == len(seen)


def test_a_slow_consumer_gets_fewer_ticks(system: akt.ActorSystem) -> None:
    def slow(x: object) -> None:
        time.sleep(0.02)

    s = Source.tick(0.001, 0.002, 1).window(2).run_with(Sink.for_each(slow), system)
    deadline = time.monotonic() + 10
    while s.metrics()[0].drops < 10:
        assert time.monotonic() < deadline
        time.sleep(0.005)
    s.cancel()
    with pytest.raises(akt.Cancelled):
        s.result(timeout=10)
    src, sink = s.metrics()
    assert src.elements_out <= sink.elements_in + 2 and src.drops >= 10


def test_tick_with_flows_and_first(system: akt.ActorSystem) -> None:
    got = Source.tick(0, 0.001, 1).scan(0, lambda a, x: a + x).filter(lambda n: n >= 3).run_with(
        Sink.first(), system).result(timeout=10)
    assert got == 3


def test_tick_bad_arguments(system: akt.ActorSystem) -> None:
    with pytest.raises(akt.InvalidArgument):
        Source.tick(0, 0.0001, 1).run_with(Sink.ignore(), system)
    with pytest.raises(akt.InvalidArgument):
        Source.tick(-1, 0.01, 1).run_with(Sink.ignore(), system)


def test_batch_full_partial_and_max_wait(system: akt.ActorSystem) -> None:
    got = Source.range(0, 10).batch(4, 10).run_with(Sink.collect(), system).result(timeout=10)
    assert got == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    sums = Source.range(0, 10).batch(3, 10, fn=lambda *xs: sum(xs)).run_with(Sink.collect(), system)
    assert sums.result(timeout=10) == [3, 12, 21, 9]
    t0 = time.monotonic()
    first = Source.tick(0, 0.01, "t").batch(1000, 0.035).run_with(Sink.first(), system).result(10)
    assert 1 <= len(first) < 1000 and time.monotonic() - t0 >= 0.035


def test_batch_failure_and_bad_arguments(system: akt.ActorSystem) -> None:
    with pytest.raises(akt.ActorFailed) as e:
        Source.range(0, 10).batch(2, 1, fn=lambda a, b: a / (b - 5)).run_with(
            Sink.collect(), system).result(timeout=10)
    assert e.value.reason == "stage 1 (batch): actor failed"
    assert isinstance(e.value.__cause__, ZeroDivisionError)
    with pytest.raises(ValueError):
        Source.range(0, 1).batch(0, 1).run_with(Sink.collect(), system)
    with pytest.raises(akt.InvalidArgument):
        Source.range(0, 1).batch(2, 0).run_with(Sink.collect(), system)
