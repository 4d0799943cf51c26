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
