"""akt.stream junctions: Source.merge/concat/zip and Sink.broadcast/balance/partition, with
Flow.to for a branch's flows: every element once, order where promised, backpressure
across the junction, failures and cancellation through it."""

from __future__ import annotations

import asyncio
import time

import pytest

import akt
from akt.stream import Flow, Sink, Source


def test_merge_takes_every_element_once(any_system: akt.ActorSystem) -> None:
    got = Source.merge(Source.range(0, 1000), Source.range(1000, 2000).map(lambda x: x),
                       Source.of(*range(2000, 2100))).run_with(Sink.collect(), any_system)
    values = got.result(timeout=20)
    assert sorted(values) == list(range(2100))
    for lo, hi in ((0, 1000), (1000, 2000), (2000, 2100)):
        part = [x for x in values if lo <= x < hi]
        assert part == sorted(part)  # each input's order is kept


def test_concat_and_zip(system: akt.ActorSystem) -> None:
    got = Source.concat(Source.range(0, 3), Source.of(), Source.of("a", None)).run_with(
        Sink.collect(), system).result(timeout=10)
    assert got == [0, 1, 2, "a", None]
    pairs = Source.zip(Source.range(0, 100), Source.of("x", "y")).run_with(
        Sink.collect(), system).result(timeout=10)
    assert pairs == [(0, "x"), (1, "y")]
    sums = Source.zip(Source.range(0, 5), Source.range(10, 15), Source.range(20, 25),
                      fn=lambda a, b, c: a + b + c).run_with(Sink.collect(), system)
    assert sums.result(timeout=10) == [30, 33, 36, 39, 42]


def test_broadcast_balance_partition(system: akt.ActorSystem) -> None:
    r = Source.range(0, 50).run_with(Sink.broadcast(
        Sink.collect(), Flow().filter(lambda x: x % 10 == 0).map(str).to(Sink.collect()),
        Sink.fold(0, lambda a, x: a + x)), system).result(timeout=10)
    assert r == [list(range(50)), ["0", "10", "20", "30", "40"], sum(range(50))]
    parts = Source.range(0, 300).run_with(Sink.balance(Sink.collect(), Sink.collect()),
                                          system).result(timeout=10)
    assert sorted(parts[0] + parts[1]) == list(range(300))
    evens, odds = Source.range(0, 9).run_with(
        Sink.partition(lambda x: x % 2, Sink.collect(), Sink.collect()), system).result(timeout=10)
    assert evens == [0, 2, 4, 6, 8] and odds == [1, 3, 5, 7]


def test_a_slow_branch_paces_a_broadcast(system: akt.ActorSystem) -> None:
    made = [0]
    slow_seen: list[int] = []
    worst = [0]

    def count(n: int):
        if n >= 300:
            return None
        made[0] = n + 1
        return n + 1, n

    def slow(x: int) -> None:
        worst[0] = max(worst[0], made[0] - len(slow_seen))
        slow_seen.append(x)
        time.sleep(0.0005)

    fast_seen: list[int] = []
    Source.unfold(0, count).window(4).run_with(Sink.broadcast(
        Flow().window(4).to(Sink.for_each(fast_seen.append)),
        Flow().window(4).to(Sink.for_each(slow))), system).result(timeout=20)
    assert fast_seen == list(range(300)) and slow_seen == list(range(300))
    assert 0 < worst[0] <= 16


def test_balance_favours_the_branch_with_demand(system: akt.ActorSystem) -> None:
    slow_seen: list[int] = []

    def slow(x: int) -> None:
        slow_seen.append(x)
        time.sleep(0.002)

    fast_seen: list[int] = []
    Source.range(0, 400).run_with(Sink.balance(
        Flow().window(2).to(Sink.for_each(fast_seen.append)),
        Flow().window(2).to(Sink.for_each(slow))), system).result(timeout=20)
    assert sorted(fast_seen + slow_seen) == list(range(400))
    assert len(fast_seen) > 2 * len(slow_seen)


def test_failures_through_junctions(system: akt.ActorSystem) -> None:
    def boom(x: int) -> int:
        if x == 7:
            raise KeyError("seven")
        return x

    with pytest.raises(akt.ActorFailed) as e:
        Source.range(0, 100).run_with(Sink.broadcast(
            Sink.ignore(), Flow().map(boom).to(Sink.ignore())), system).result(timeout=10)
    assert e.value.reason == "branch 1: stage 0 (map): actor failed"
    assert isinstance(e.value.__cause__, KeyError)  # the branch's own exception
    with pytest.raises(akt.ActorFailed) as e:
        Source.merge(Source.range(0, 10), Source.range(0, 10).map(boom)).run_with(
            Sink.ignore(), system).result(timeout=10)
    assert e.value.reason == "input 1: stage 1 (map): actor failed"
    assert isinstance(e.value.__cause__, KeyError)
    with pytest.raises(akt.ActorFailed) as e:  # nested: a branch of a branch
        Source.range(0, 20).run_with(Sink.broadcast(Sink.ignore(), Sink.partition(
            lambda x: x % 2, Sink.ignore(), Flow().map(boom).to(Sink.ignore()))), system).result(10)
    assert e.value.reason == "branch 1: branch 1: stage 0 (map): actor failed"
    assert isinstance(e.value.__cause__, KeyError)
    with pytest.raises(akt.InvalidArgument):
        Source.range(0, 10).run_with(Sink.partition(lambda x: -1, Sink.collect()),
                                     system).result(timeout=10)
    with pytest.raises(akt.ActorFailed):
        Source.range(0, 10).run_with(Sink.partition(lambda x: "no", Sink.collect()),
                                     system).result(timeout=10)
    with pytest.raises(akt.ActorFailed):
        Source.zip(Source.range(0, 3), Source.range(0, 3), fn=lambda a, b: a / 0).run_with(
            Sink.collect(), system).result(timeout=10)


def test_cancel_mid_stream_through_junctions(system: akt.ActorSystem) -> None:
    seen: list[int] = []

    def slow(x: int) -> None:
        seen.append(x)
        time.sleep(0.001)

    s = Source.merge(Source.unfold(0, lambda n: (n + 1, n)), Source.unfold(0, lambda n: (n + 1, n)))\
        .run_with(Sink.broadcast(Sink.ignore(), Sink.for_each(slow)), system)
    deadline = time.monotonic() + 10
    while len(seen) < 20:
        assert time.monotonic() < deadline
        time.sleep(0.001)
    s.cancel()
    with pytest.raises(akt.Cancelled):
        s.result(timeout=10)


def test_bad_junction_arguments(system: akt.ActorSystem) -> None:
    with pytest.raises(ValueError):
        Source.merge()
    with pytest.raises(ValueError):
        Sink.broadcast()
    with pytest.raises(TypeError):
        Source.concat(Source.range(0, 1), [1, 2])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        Sink.balance(Sink.collect(), Source.range(0, 1))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Flow().to("collect")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Source.merge(*[Source.range(0, 1)] * 65).run_with(Sink.collect(), system)
    with pytest.raises(ValueError):
        Flow().named("x")


def test_async_sources_merge() -> None:
    async def numbers(lo: int, hi: int):
        for i in range(lo, hi):
            await asyncio.sleep(0)
            yield i

    async def main() -> list:
        # async with: the sources run on this loop, so shutdown must not block it.
        async with akt.ActorSystem("fan-async") as system:
            s = Source.merge(Source.from_async_iterator(numbers(0, 20)),
                             Source.from_async_iterator(numbers(100, 120)))
            return await s.run_with(Sink.collect(), system)

    assert sorted(asyncio.run(main())) == list(range(20)) + list(range(100, 120))
