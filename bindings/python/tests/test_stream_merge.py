"""akt.stream's flat_map_merge (up to breadth inner sources at once, their elements as they
come, per inner in order, failures under on_error) and the queue's room signal
(offer_wait, offer_async: woken when the queue has room, not polling)."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

import akt
from akt.stream import Sink, Source


def inner(x: int) -> Source:
    return Source.range(x * 100, x * 100 + x % 5 + 1).window(2)


def check_per_key(got: list, keys: range) -> None:
    by_key: dict = {}
    for v in got:
        by_key.setdefault(v // 100, []).append(v % 100)
    assert sorted(by_key) == list(keys)
    for k, items in by_key.items():
        assert items == list(range(k % 5 + 1))  # in order within an inner, none twice


def test_flat_map_merge_every_element_once(any_system: akt.ActorSystem) -> None:
    got = Source.range(0, 60).flat_map_merge(4, inner).run_with(
        Sink.collect(), any_system).result(timeout=10)
    check_per_key(got, range(60))


def test_flat_map_merge_breadth_one_is_concat(system: akt.ActorSystem) -> None:
    got = Source.range(0, 20).flat_map_merge(1, inner).run_with(
        Sink.collect(), system).result(timeout=10)
    assert got == sorted(got)
    check_per_key(got, range(20))


def test_flat_map_merge_inners_with_their_own_stages(system: akt.ActorSystem) -> None:
    src = Source.of("a", "b", "c").flat_map_merge(
        2, lambda s: Source.of(1, 2, 3).map(lambda i, s=s: f"{s}{i}"))
    got = src.run_with(Sink.collect(), system).result(timeout=10)
    assert sorted(got) == ["a1", "a2", "a3", "b1", "b2", "b3", "c1", "c2", "c3"]
    for s in "abc":
        assert [x for x in got if x[0] == s] == [f"{s}1", f"{s}2", f"{s}3"]


def test_flat_map_merge_slow_sink_holds_inners_back(system: akt.ActorSystem) -> None:
    made = [0]
    lock = threading.Lock()

    def endless(_: int) -> Source:
        def step() -> int:
            with lock:
                made[0] += 1
            return 1
        return Source.unfold(0, lambda s: (s, step())).window(4)

    seen = [0]

    def slow(_: object) -> None:
        time.sleep(0.001)
        seen[0] += 1

    st = Source.range(0, 10**6).flat_map_merge(3, endless).window(4).run_with(
        Sink.for_each(slow), system)
    deadline = time.monotonic() + 10
    worst = 0
    while seen[0] < 300:
        assert time.monotonic() < deadline
        with lock:
            worst = max(worst, made[0] - seen[0])
        time.sleep(0.005)
    st.cancel()
    assert worst <= 3 * 2 * 4 + 2 * 4 + 4
    m = st.metrics()
    assert m[1].name == "flat_map_merge" and m[1].elements_in <= 3 + 4


def test_flat_map_merge_failures(system: akt.ActorSystem) -> None:
    def bad(x: int) -> Source:
        if x == 3:
            raise ValueError("no inner for 3")
        return inner(x)

    with pytest.raises(akt.ActorFailed, match=r"stage 1 \(flat_map_merge\)") as ei:
        Source.range(0, 10).flat_map_merge(2, bad).run_with(
            Sink.collect(), system).result(timeout=10)
    assert isinstance(ei.value.__cause__, ValueError)
    assert "no inner for 3" in str(ei.value.__cause__)
    got = Source.range(0, 10).flat_map_merge(2, bad).on_error("resume").run_with(
        Sink.collect(), system).result(timeout=10)
    assert len(got) == sum(x % 5 + 1 for x in range(10) if x != 3)

    def failing_inner(x: int) -> Source:
        return Source.of(x, 0).map(lambda v: 10 // v)

    with pytest.raises(akt.ActorFailed, match=r"flat_map_merge\): inner: stage 1 \(map\)"):
        Source.range(1, 5).flat_map_merge(2, failing_inner).run_with(
            Sink.collect(), system).result(timeout=10)
    st = Source.range(1, 5).flat_map_merge(2, failing_inner).on_error("resume").run_with(
        Sink.collect(), system)
    assert sorted(st.result(timeout=10)) == sorted(10 // x for x in range(1, 5))
    assert st.metrics()[1].errors == 4

    with pytest.raises(akt.ActorFailed) as ei:
        Source.range(0, 3).flat_map_merge(2, lambda x: [x]).run_with(
            Sink.collect(), system).result(timeout=10)
    assert "must give a Source" in str(ei.value.__cause__)
    for b in (0, 4097, True, 1.5):
        with pytest.raises(ValueError):
            Source.range(0, 3).flat_map_merge(b, inner)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Source.range(0, 3).flat_map_merge(2, 5)  # type: ignore[arg-type]


def gated_queue(system: akt.ActorSystem, capacity: int):
    gate = threading.Event()
    entered = threading.Event()
    got: list = []

    def each(x: object) -> None:
        entered.set()
        gate.wait(10)
        got.append(x)

    st = Source.queue(capacity).window(2).run_with(Sink.for_each(each), system)
    return st, gate, got, entered


def fill(st, entered: threading.Event) -> int:
    """Offers 0, 1, ... until the queue is full with the sink stuck on its first element."""
    n = 0
    deadline = time.monotonic() + 5
    while True:
        assert time.monotonic() < deadline
        if st.offer(n):
            n += 1
        elif entered.is_set():
            time.sleep(0.02)  # what the sink asked for has reached it
            if not st.offer(n):
                return n
            n += 1
        else:
            time.sleep(0.001)


def test_offer_wait_waits_for_room_then_times_out(system: akt.ActorSystem) -> None:
    st, gate, got, entered = gated_queue(system, 2)
    n = fill(st, entered)
    t0 = time.monotonic()
    assert st.offer_wait(n, timeout=0.2) is False  # still full: it waited, then gave up
    assert time.monotonic() - t0 >= 0.19
    threading.Timer(0.1, gate.set).start()
    assert st.offer_wait(n, timeout=10) is True  # woken by the room, not the timeout
    for i in range(n + 1, n + 50):
        assert st.offer_wait(i, timeout=10)
    st.complete()
    with pytest.raises(akt.ActorStopped):
        st.offer_wait(-1)
    st.result(timeout=10)
    assert got == list(range(n + 50))


def test_offer_async_resumes_producers(system: akt.ActorSystem) -> None:
    got: list = []

    def each(x: object) -> None:
        if len(got) % 16 == 0:
            time.sleep(0.002)
        got.append(x)

    st = Source.queue(4).window(2).run_with(Sink.for_each(each), system)

    async def produce(base: int) -> None:
        for i in range(200):
            await st.offer_async(base + i)

    async def main() -> None:
        await asyncio.gather(produce(0), produce(1000), produce(2000))
        st.complete()
        with pytest.raises(akt.ActorStopped):
            await st.offer_async(-1)

    asyncio.run(main())
    st.result(timeout=10)
    assert len(got) == 600
    for base in (0, 1000, 2000):
        assert [x for x in got if base <= x < base + 1000] == list(range(base, base + 200))


def test_offer_async_raises_when_the_stream_ends_while_waiting(system: akt.ActorSystem) -> None:
    st, gate, _, entered = gated_queue(system, 2)
    fill(st, entered)

    async def main() -> None:
        waiter = asyncio.ensure_future(st.offer_async(1))
        await asyncio.sleep(0.05)
        assert not waiter.done()
        st.cancel()
        with pytest.raises(akt.ActorStopped):
            await asyncio.wait_for(waiter, 10)

    asyncio.run(main())
    gate.set()
