"""akt.stream: the fluent builder, sinks, the ways a stream ends, error strategies,
backpressure, and asyncio interop."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest

import akt
from akt.stream import Sink, Source


def test_range_map_filter_collect(any_system: akt.ActorSystem) -> None:
    s = Source.range(1, 10).map(lambda x: x * 2).filter(lambda x: x > 4)
    assert s.run_with(Sink.collect(), any_system).result(timeout=10) == [6, 8, 10, 12, 14, 16, 18]


def test_a_source_is_reusable_and_fusion_keeps_results(system: akt.ActorSystem) -> None:
    s = (Source.range(0, 500).map(lambda x: x + 1).filter(lambda x: x % 2 == 0)
         .flat_map(lambda x: [x, x]).dedup().scan(0, lambda a, x: a + x))
    fused = s.run_with(Sink.fold(0, lambda a, x: a + x), system)
    unfused = s.fusion(False).run_with(Sink.fold(0, lambda a, x: a + x), system)
    acc = total = 0
    for x in range(2, 501, 2):
        acc += x
        total += acc
    assert fused.result(timeout=10) == total
    assert unfused.result(timeout=10) == total
    assert fused.actors == 4 and unfused.actors == 7


def test_values_of_any_python_type_pass_through(system: akt.ActorSystem) -> None:
    marker = object()
    got = Source.of("a", 1, 2.5, None, {"k": [1]}, marker).run_with(Sink.collect(), system)
    values = got.result(timeout=10)
    assert values[:5] == ["a", 1, 2.5, None, {"k": [1]}]
    assert values[5] is marker  # the same object: nothing was copied


def test_first_ends_an_endless_stream(system: akt.ActorSystem) -> None:
    s = Source.unfold(7, lambda n: (n + 1, n)).run_with(Sink.first(), system)
    assert s.result(timeout=10) == 7
    assert Source.of().run_with(Sink.first(), system).result(timeout=10) is None


def test_for_each_and_from_iterable(system: akt.ActorSystem) -> None:
    seen: list[Any] = []
    s = Source.from_iterable(iter("abc")).map(str.upper).run_with(Sink.for_each(seen.append),
                                                                   system)
    assert s.result(timeout=10) is None
    assert seen == ["A", "B", "C"]


def test_an_exception_fails_the_stream_with_its_cause(system: akt.ActorSystem) -> None:
    def boom(x: int) -> int:
        if x == 5:
            raise ValueError("five")
        return x

    s = Source.range(0, 100).map(boom).named("boom").run_with(Sink.collect(), system)
    with pytest.raises(akt.ActorFailed) as info:
        s.result(timeout=10)
    assert info.value.reason == "stage 1 (boom): actor failed"
    assert isinstance(info.value.__cause__, ValueError)
    m = s.metrics()
    assert m[1].name == "boom" and m[1].errors == 1 and m[1].elements_out == 5


def test_resume_and_retry(system: akt.ActorSystem) -> None:
    def odd_fails(x: int) -> int:
        if x % 2:
            raise ValueError(x)
        return x

    s = Source.range(0, 10).map(odd_fails).on_error("resume").run_with(Sink.collect(), system)
    assert s.result(timeout=10) == [0, 2, 4, 6, 8]
    assert s.metrics()[1].drops == 5
    calls = [0]

    def flaky(x: int) -> int:
        calls[0] += 1
        if calls[0] % 3:
            raise RuntimeError("not yet")
        return x

    s = Source.range(0, 4).map(flaky).on_error("retry", 2).run_with(Sink.collect(), system)
    assert s.result(timeout=10) == [0, 1, 2, 3]
    with pytest.raises(ValueError):
        Source.range(0, 1).on_error("sometimes")


def test_cancel_and_drain(system: akt.ActorSystem) -> None:
    s = Source.unfold(0, lambda n: (n + 1, n)).run_with(Sink.ignore(), system)
    assert not s.wait(0.05)
    s.cancel()
    with pytest.raises(akt.Cancelled):
        s.result(timeout=10)
    s = Source.unfold(0, lambda n: (n + 1, n)).run_with(Sink.collect(), system)
    deadline = time.monotonic() + 10
    while s.metrics()[1].elements_in < 100:
        assert time.monotonic() < deadline
        time.sleep(0.001)
    s.drain()
    got = s.result(timeout=10)
    assert got == list(range(len(got)))  # in order, nothing lost
    assert len(got) == s.metrics()[0].elements_out


def test_slow_sink_bounds_what_is_in_flight(system: akt.ActorSystem) -> None:
    seen: list[int] = []

    def slow(x: int) -> None:
        seen.append(x)
        time.sleep(0.0005)

    s = Source.range(0, 600).map(lambda x: x).window(8).fusion(False).run_with(
        Sink.for_each(slow), system)
    worst = 0
    while not s.wait(0.002):
        m = s.metrics()
        worst = max(worst, m[0].elements_out - m[2].elements_in)
    s.result()
    assert seen == list(range(600))
    assert 0 < worst <= 2 * 8 + 2


def test_buffer_drop_tail_counts_what_it_drops(system: akt.ActorSystem) -> None:
    seen: list[int] = []

    def slow(x: int) -> None:
        seen.append(x)
        time.sleep(0.001)

    s = Source.range(0, 500).buffer(4, "drop_tail").run_with(Sink.for_each(slow), system)
    s.result(timeout=20)
    drops = s.metrics()[1].drops
    assert drops > 0 and len(seen) + drops == 500
    assert seen == sorted(seen)


def test_bad_arguments(system: akt.ActorSystem) -> None:
    with pytest.raises(ValueError):
        Source.range(0, 1, 0)
    with pytest.raises(ValueError):
        Source.range(0, 1).buffer(4, "sideways")
    with pytest.raises(TypeError):
        Source.range(0, 1).map(42).run_with(Sink.collect(), system)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Source.range(0, 1).run_with("collect", system)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Source.range(0, 1).window(0).run_with(Sink.collect(), system)
    with pytest.raises(ValueError):
        Source.range(0, 1).buffer(0).run_with(Sink.collect(), system)
    with pytest.raises(akt.InvalidArgument):  # the core's own check
        Source.range(0, 1).window(70000).run_with(Sink.collect(), system)


def test_a_filter_whose_truth_fails(system: akt.ActorSystem) -> None:
    class NoTruth:
        def __bool__(self) -> bool:
            raise TypeError("no truth")

    s = Source.range(0, 3).filter(lambda x: NoTruth()).run_with(Sink.collect(), system)
    with pytest.raises(akt.ActorFailed) as info:
        s.result(timeout=10)
    assert isinstance(info.value.__cause__, TypeError)


def test_async_iterators_in_and_out() -> None:
    async def numbers():  # type: ignore[no-untyped-def]
        for i in range(50):
            await asyncio.sleep(0)
            yield i

    async def main() -> list[int]:
        async with akt.ActorSystem("streams-async") as system:
            s = Source.from_async_iterator(numbers()).map(lambda x: x * x)
            stream = s.run_with(Sink.async_iterator(maxsize=4), system)
            out = [x async for x in stream]
            assert await Source.range(0, 3).run_with(Sink.collect(), system) == [0, 1, 2]
            return out

    assert asyncio.run(main()) == [i * i for i in range(50)]


def test_stream_handle_closes(system: akt.ActorSystem) -> None:
    with Source.unfold(0, lambda n: (n + 1, n)).run_with(Sink.ignore(), system) as s:
        pass
    with pytest.raises(RuntimeError):
        s.wait(0)
    assert threading.active_count() >= 1


def test_a_dropped_handle_does_not_stop_the_stream(system: akt.ActorSystem) -> None:
    seen: list[int] = []
    done = threading.Event()

    def each(x: int) -> None:
        seen.append(x)
        if x == 999:
            done.set()

    Source.range(0, 1000).run_with(Sink.for_each(each), system)  # handle dropped at once
    assert done.wait(10)
    assert seen == list(range(1000))


def test_throttle_paces(system: akt.ActorSystem) -> None:
    t0 = time.monotonic()
    got = Source.range(0, 20).throttle(5, 0.05).run_with(Sink.collect(), system).result(10)
    assert got == list(range(20))
    assert time.monotonic() - t0 >= 0.15
    with pytest.raises(ValueError):
        Source.range(0, 1).throttle(0, 0.05).run_with(Sink.collect(), system)
    with pytest.raises(akt.InvalidArgument):
        Source.range(0, 1).throttle(1, 0.0).run_with(Sink.collect(), system)
