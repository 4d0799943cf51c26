"""akt.stream's actor source and sink and parallel map: a queue refuses offers past its
capacity and loses nothing, an actor sink sends only against acks, map_async keeps its
parallelism bound and its order (or completion order), failures and cancels mid-stream."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time

import pytest

import akt
from akt.stream import Sink, Source


class Target(akt.Actor):
    """Records elements; acks at once when open, else owes the acks until "open"."""

    def __init__(self) -> None:
        self.got: list = []
        self.owed: list = []
        self.open = False
        self.max_owed = 0
        self.done = threading.Event()
        self.done_at = -1

    def receive(self, ctx: akt.Context, msg: object) -> None:
        if msg == "open":
            self.open = True
            for sender in self.owed:
                sender.tell("ack")
            self.owed.clear()
            return
        if msg == "done":
            self.done_at = len(self.got)
            self.done.set()
            return
        self.got.append(msg)
        if self.open:
            ctx.respond("ack")
        else:
            self.owed.append(ctx.sender)
            self.max_owed = max(self.max_owed, len(self.owed))


def wait_for(cond, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)


def test_queue_to_actor_backpressure_no_loss(system: akt.ActorSystem) -> None:
    t = Target()
    pid = system.spawn("target", t)
    s = Source.queue(8).window(4).run_with(Sink.actor(pid, 3, "done"), system)
    accepted = 0
    while True:  # nobody acks: the offers are refused once the pipeline is full
        if s.offer(accepted):
            accepted += 1
            assert accepted <= 8 + 4 + 3
        elif s.queued == 8:
            break
    wait_for(lambda: len(t.got) == 3)
    assert t.max_owed == 3
    pid.tell("open")
    n = 1000
    i = accepted
    deadline = time.monotonic() + 10
    while i < n:
        if s.offer(i):
            i += 1
        else:
            assert time.monotonic() < deadline
            time.sleep(0)
    s.complete()
    with pytest.raises(akt.ActorStopped):
        s.offer(-1)
    assert s.result(timeout=10) is None
    assert t.done.wait(10)
    assert t.got == list(range(n)) and t.done_at == n and t.max_owed == 3
    m = s.metrics()
    assert (m[0].name, m[0].elements_out, m[1].name, m[1].elements_out) == ("queue", n, "actor", n)


class Producer(akt.Actor):
    """Offers 0..n-1 from its receive; on a full queue it tells itself to try again."""

    def __init__(self, stream, n: int) -> None:
        self.stream, self.n, self.next, self.refusals = stream, n, 0, 0

    def receive(self, ctx: akt.Context, msg: object) -> None:
        while self.next < self.n:
            if not self.stream.offer(self.next):
                self.refusals += 1
                ctx.self.tell("again")
                return
            self.next += 1
        self.stream.complete()


def test_an_actor_pushes_into_a_queue(system: akt.ActorSystem) -> None:
    s = Source.queue(2).window(2).map(lambda x: x + 1).run_with(Sink.collect(), system)
    p = Producer(s, 300)
    system.spawn("producer", p).tell("go")
    assert s.result(timeout=10) == list(range(1, 301))


def test_actor_sink_target_stops_mid_stream(system: akt.ActorSystem) -> None:
    t = Target()
    pid = system.spawn("target2", t)
    s = Source.range(0, 1_000_000).run_with(Sink.actor(pid, 2), system)
    wait_for(lambda: len(t.got) == 2)
    pid.stop_graceful_sync(timeout=5)
    with pytest.raises(akt.ActorStopped, match="the target actor stopped"):
        s.result(timeout=10)
    assert s.metrics()[0].elements_out <= 2 + 16 + 16


def test_map_async_coroutines_ordered_and_unordered(system: akt.ActorSystem) -> None:
    live = [0, 0]  # in flight, most in flight
    lock = threading.Lock()

    async def slow(x: int) -> int:
        with lock:
            live[0] += 1
            live[1] = max(live[1], live[0])
        await asyncio.sleep(0.001 * (x % 5))  # later elements may finish first
        with lock:
            live[0] -= 1
        return x * 10

    out = Source.range(0, 200).map_async(slow, 4).run_with(Sink.collect(), system).result(10)
    assert out == [x * 10 for x in range(200)] and 2 <= live[1] <= 4
    live[1] = 0
    out = Source.range(0, 200).map_async(slow, 4, ordered=False).run_with(
        Sink.collect(), system).result(10)
    assert sorted(out) == [x * 10 for x in range(200)] and out != sorted(out)
    assert live[1] <= 4


def test_map_async_on_the_running_loop(system: akt.ActorSystem) -> None:
    seen = []

    async def main() -> list:
        loop = asyncio.get_running_loop()

        async def on_loop(x: int) -> int:
            seen.append(asyncio.get_running_loop() is loop)
            return -x

        return await Source.range(0, 20).map_async(on_loop, 3).run_with(Sink.collect(), system)

    assert asyncio.run(main()) == [-x for x in range(20)] and len(seen) == 20 and all(seen)


def test_map_async_futures_and_values(system: akt.ActorSystem) -> None:
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        out = Source.range(0, 50).map_async(lambda x: pool.submit(pow, x, 2), 2).run_with(
            Sink.collect(), system).result(10)
    assert out == [x * x for x in range(50)]
    assert Source.of(1, 2).map_async(str, 1).run_with(Sink.collect(), system).result(5) == [
        "1", "2"]


def test_map_async_failure_resume_and_cancel(system: akt.ActorSystem) -> None:
    async def boom(x: int) -> int:
        if x == 7:
            raise ValueError("seven")
        return x

    with pytest.raises(akt.ActorFailed, match=r"stage 1 \(map_async\)") as e:
        Source.range(0, 20).map_async(boom, 3).run_with(Sink.collect(), system).result(10)
    assert isinstance(e.value.__cause__, ValueError)
    out = Source.range(0, 20).map_async(boom, 3).on_error("resume").run_with(
        Sink.collect(), system).result(10)
    assert out == [x for x in range(20) if x != 7]
    # Cancelled while every call hangs: nothing is left running, the late results dropped.
    gate = threading.Event()
    s = Source.range(0, 1000).map_async(
        lambda x: concurrent.futures.ThreadPoolExecutor(1).submit(gate.wait), 5).run_with(
        Sink.ignore(), system)
    wait_for(lambda: s.metrics()[1].elements_in >= 5)
    s.cancel()
    with pytest.raises(akt.Cancelled):
        s.result(timeout=10)
    gate.set()


def test_bad_input(system: akt.ActorSystem) -> None:
    with pytest.raises(ValueError):
        Source.queue(0).run_with(Sink.ignore(), system)
    with pytest.raises(ValueError):
        Source.range(0, 1).map_async(str, 0)
    with pytest.raises(TypeError):
        Source.range(0, 1).run_with(Sink.actor("not a pid"), system)
    s = Source.range(0, 3).run_with(Sink.collect(), system)
    with pytest.raises(akt.AktError):
        s.offer(1)  # not a queue source
    s.result(5)
