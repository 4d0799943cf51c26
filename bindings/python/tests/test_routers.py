"""Routers from Python: pools of Python actors, group routers over pids, each strategy,
broadcast, resize, routees, routee failures and the router's end."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

import akt


# Set once a scatter-gather race has its winner (see the "race" message).
RACE_WON = threading.Event()


class Worker(akt.Actor):
    """Answers "who" with its number (one per instance, counted by the factory)."""

    made = 0
    lock = threading.Lock()

    def __init__(self) -> None:
        with Worker.lock:
            self.idx = Worker.made
            Worker.made += 1

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        if msg == "who":
            ctx.respond(self.idx)
        elif isinstance(msg, tuple) and msg[0] == "key":
            ctx.respond(self.idx)
        elif isinstance(msg, tuple) and msg[0] == "slow":
            time.sleep(msg[1])
            ctx.respond(self.idx)
        elif isinstance(msg, tuple) and msg[0] == "race":
            if self.idx != msg[1]:  # the losers answer only once the winner's answer is in
                RACE_WON.wait(10)
            ctx.respond(self.idx)
        elif msg == "boom":
            raise RuntimeError("boom")
        else:
            ctx.unhandled()


@pytest.fixture(autouse=True)
def _reset() -> None:
    Worker.made = 0


def test_round_robin_pool_answers_in_order(any_system: akt.ActorSystem) -> None:
    r = any_system.spawn_router(Worker, 3, name="rr")
    assert [r.ask_sync("who") for _ in range(6)] == [0, 1, 2, 0, 1, 2]
    routees = r.routees()
    assert len(routees) == 3
    assert routees[1].path.endswith("/user/rr/routee-1")


def test_broadcast_reaches_every_routee(system: akt.ActorSystem) -> None:
    seen: list[int] = []
    done = threading.Event()

    class Recorder(akt.Actor):
        def __init__(self) -> None:
            self.idx = len(made)
            made.append(self)

        def receive(self, ctx: akt.Context, msg: Any) -> None:
            seen.append(self.idx)
            if len(seen) == 3:
                done.set()

    made: list[Recorder] = []
    r = system.spawn_router(Recorder, 3)
    r.broadcast("hello")
    assert done.wait(10)
    assert sorted(seen) == [0, 1, 2]


def test_consistent_hash_same_key_same_routee(system: akt.ActorSystem) -> None:
    r = system.spawn_router(Worker, 4, "consistent_hash", key=lambda m: m[1])
    first = {k: r.ask_sync(("key", k)) for k in ("alice", "bob", "carol", "dave", "erin")}
    again = {k: r.ask_sync(("key", k)) for k in first}
    assert first == again


def test_random_with_seed_is_spread(system: akt.ActorSystem) -> None:
    r = system.spawn_router(Worker, 4, "random", seed=3)
    got = [r.ask_sync("who") for _ in range(400)]
    for i in range(4):
        assert 40 < got.count(i) < 160


def test_scatter_gather_first_reply_wins() -> None:
    # Each routee needs a worker of its own: two slow routees must not hold every worker
    # while the fast one waits for a turn (the machine may have 2 cores).
    with akt.ActorSystem("race", workers=4) as system:
        _scatter_gather_first_reply_wins(system)


def _scatter_gather_first_reply_wins(system: akt.ActorSystem) -> None:
    pids = [system.spawn(None, Worker(), dispatcher="workers") for _ in range(3)]
    r = system.spawn_router(routees=pids, strategy="scatter_gather_first", within=5.0)
    # Routee 1 answers at once, the others wait until its answer is in: routee 1 wins.
    RACE_WON.clear()
    try:
        assert r.ask_sync(("race", 1)) == 1
    finally:
        RACE_WON.set()
    r2 = system.spawn_router(routees=pids[:1], strategy="scatter_gather_first", within=0.05)
    with pytest.raises(akt.AskTimeout):
        r2.ask_sync(("slow", 0.3), timeout=5)


def test_tail_chopping_gets_an_answer(system: akt.ActorSystem) -> None:
    pids = [system.spawn(None, Worker()) for _ in range(3)]
    r = system.spawn_router(routees=pids, strategy="tail_chopping", within=5.0, interval=0.05)
    assert r.ask_sync("who") in (0, 1, 2)


def test_resize_and_group_limits(system: akt.ActorSystem) -> None:
    r = system.spawn_router(Worker, 2)
    r.resize(4)
    assert len(r.routees()) == 4
    r.resize(1)
    assert len(r.routees()) == 1
    with pytest.raises(akt.InvalidArgument):
        r.resize(0)
    g = system.spawn_router(routees=[system.spawn(None, Worker())])
    with pytest.raises(akt.NotSupported):
        g.resize(3)


def test_group_router_stops_when_its_routees_are_gone(system: akt.ActorSystem) -> None:
    pids = [system.spawn(None, Worker()) for _ in range(2)]
    r = system.spawn_router(routees=pids)
    pids[0].stop_graceful_sync(5)
    deadline = time.monotonic() + 10
    while len(r.routees()) != 1:
        assert time.monotonic() < deadline
        time.sleep(0.005)
    pids[1].stop_graceful_sync(5)
    while r.is_alive:
        assert time.monotonic() < deadline
        time.sleep(0.005)


def test_restart_policy_keeps_the_routee(system: akt.ActorSystem) -> None:
    r = system.spawn_router(Worker, 1, on_failure="restart", max_retries=3, retry_within=60)
    before = r.routees()
    r.tell("boom")
    # A restart makes a fresh instance from the factory: its number is the next one.
    deadline = time.monotonic() + 10
    while r.ask_sync("who") != 1:
        assert time.monotonic() < deadline
    assert r.routees() == before


def test_bad_arguments(system: akt.ActorSystem) -> None:
    with pytest.raises(ValueError):
        system.spawn_router(Worker, 2, "sideways")
    with pytest.raises(ValueError):
        system.spawn_router(Worker, 0)
    with pytest.raises(TypeError):
        system.spawn_router(Worker(), 2)
    with pytest.raises(ValueError):
        system.spawn_router()
    with pytest.raises(ValueError):
        system.spawn_router(Worker, 2, "scatter_gather_first")  # no deadline
    with pytest.raises(ValueError):
        system.spawn_router(Worker, 2, on_failure="explode")
    plain = system.spawn(None, Worker())
    with pytest.raises(akt.InvalidArgument):
        akt.Router(plain).routees()
