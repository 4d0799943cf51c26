"""Grain options: a kind's bounded mailbox, dependencies and reentrancy, for each
activation."""

from __future__ import annotations

import threading
from typing import Any, Iterator, Optional

import pytest

import akt
from actors import wait_for


@pytest.fixture
def workers() -> Iterator[akt.ActorSystem]:
    s = akt.ActorSystem("grain_options", dispatcher="workers")
    yield s
    assert s.shutdown(timeout=10)


class Box(akt.Actor):
    """Blocks in "hold" until released; records the rest; "dep" answers a dependency;
    "go" requests ("inc", 1) from the server dependency."""

    held = threading.Event()
    release = threading.Event()
    seen: list[Any] = []
    deactivations = 0

    def __init__(self, name: str) -> None:
        self.name = name

    def post_stop(self, ctx: akt.Context) -> None:
        Box.deactivations += 1

    def then(self, ctx: akt.Context, reply: Any, error: Optional[BaseException]) -> None:
        Box.seen.append(("reply", reply))

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        if msg == "hold":
            Box.held.set()
            assert Box.release.wait(10)
        elif isinstance(msg, tuple) and msg[0] == "dep":
            try:
                ctx.respond(ctx.dependency(msg[1]))
            except KeyError:
                ctx.respond("none")
        elif msg == "go":
            ctx.request(ctx.dependency("server"), ("inc", 1), self.then)
            Box.seen.append("go")
        else:
            Box.seen.append(msg)


class Server(akt.Actor):
    gate = threading.Event()
    holding = threading.Event()

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        if msg == "hold":
            Server.holding.set()
            assert Server.gate.wait(10)
        else:
            ctx.respond(msg[1] + 1)


@pytest.fixture(autouse=True)
def _reset() -> None:
    Box.held.clear()
    Box.release.clear()
    Box.seen = []
    Box.deactivations = 0
    Server.gate.clear()
    Server.holding.clear()


def test_bounded_grain_refuses_when_full_and_still_deactivates(workers: akt.ActorSystem) -> None:
    workers.register_grain("box", Box, mailbox=akt.Bounded(3), deactivate_after=0.1)
    g = workers.grain("box", "b")
    g.tell("hold")
    assert Box.held.wait(10)
    refused = 0
    for i in range(8):
        try:
            g.tell(i)
        except akt.MailboxFullError:
            refused += 1
    assert refused == 5
    with pytest.raises(akt.MailboxFullError):
        g.ask_sync("get", timeout=5)
    Box.release.set()
    wait_for(lambda: Box.seen == [0, 1, 2])
    wait_for(lambda: Box.deactivations == 1)  # nothing refused stays counted


def test_dependencies_reach_every_activation(any_system: akt.ActorSystem) -> None:
    db = {"url": "postgres://"}
    any_system.register_grain("deps", Box, dependencies={"db": db}, deactivate_after=0.05)
    g = any_system.grain("deps", "d")
    assert g.ask_sync(("dep", "db"), timeout=5) is db
    assert g.ask_sync(("dep", "nope"), timeout=5) == "none"
    wait_for(lambda: Box.deactivations == 1)
    assert g.ask_sync(("dep", "db"), timeout=5) is db  # a fresh activation


@pytest.mark.parametrize("mode,want", [
    ("allow_all", ["go", "m1", "m2", ("reply", 2)]),
    ("stash", ["go", ("reply", 2), "m1", "m2"]),
])
def test_reentrancy(workers: akt.ActorSystem, mode: str, want: list[Any]) -> None:
    srv = workers.spawn(None, Server)
    srv.tell("hold")
    assert Server.holding.wait(10)
    workers.register_grain("re", Box, dependencies={"server": srv}, reentrancy=mode,
                           deactivate_after=None)
    g = workers.grain("re", "r")
    for m in ("go", "m1", "m2"):
        g.tell(m)
    wait_for(lambda: len(Box.seen) == (3 if mode == "allow_all" else 1))
    Server.gate.set()
    wait_for(lambda: len(Box.seen) == 4)
    assert Box.seen == want


def test_bad_options(system: akt.ActorSystem) -> None:
    with pytest.raises(ValueError):
        system.register_grain("k", Box, mailbox=akt.Bounded(2, when_full="drop"))
    with pytest.raises(ValueError):
        system.register_grain("k", Box, mailbox=akt.Fair())
    with pytest.raises(TypeError):
        system.register_grain("k", Box, mailbox=4)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        system.register_grain("k", Box, dependencies=[("a", 1)])  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        system.register_grain("k", Box, dependencies={"": 1})
    with pytest.raises(ValueError):
        system.register_grain("k", Box, reentrancy="sometimes")
    with pytest.raises(ValueError):
        system.register_grain("k", Box, max_in_flight=-1)
    with pytest.raises(akt.ActorNotFound):
        system.grain("k", "x").tell("m")  # nothing was registered
    system.register_grain("k", Box, mailbox=akt.Bounded(2, when_full="block", timeout=0.05))


# ---- options per activation (system.grain(kind, name, ...)) ----------------------------

def test_activation_options_override_the_kinds(workers: akt.ActorSystem) -> None:
    srv = workers.spawn(None, Server)
    workers.register_grain("box", Box, dependencies={"server": srv}, deactivate_after=None)
    # A bounded mailbox for this activation only: the kind's is unbounded.
    small = workers.grain("box", "small", mailbox=akt.Bounded(2))
    small.tell("hold")
    assert Box.held.wait(10)
    refused = 0
    for i in range(5):
        try:
            small.tell(i)
        except akt.MailboxFullError:
            refused += 1
    assert refused == 3
    with pytest.raises(akt.MailboxFullError):  # active already: its own options stay
        workers.grain("box", "small", mailbox=akt.Bounded(10)).tell("more")
    big = workers.grain("box", "big")
    for i in range(5):
        big.tell(10 + i)
    wait_for(lambda: len(Box.seen) == 5)
    Box.release.set()
    wait_for(lambda: len(Box.seen) == 7)
    # deactivate_after for this activation on a long-lived kind; the others stay.
    workers.grain("box", "brief", deactivate_after=0.05).tell("x")
    wait_for(lambda: Box.deactivations == 1)
    assert big.ask_sync(("dep", "server"), timeout=5) == srv
    assert Box.deactivations == 1


def test_activation_reentrancy(workers: akt.ActorSystem) -> None:
    srv = workers.spawn(None, Server)
    srv.tell("hold")
    assert Server.holding.wait(10)
    workers.register_grain("re", Box, dependencies={"server": srv}, deactivate_after=None)
    g = workers.grain("re", "r", reentrancy="allow_all")
    for m in ("go", "m1", "m2"):
        g.tell(m)
    wait_for(lambda: len(Box.seen) == 3)  # handled while the request waits
    Server.gate.set()
    wait_for(lambda: len(Box.seen) == 4)
    assert Box.seen == ["go", "m1", "m2", ("reply", 2)]


def test_bad_activation_options(system: akt.ActorSystem) -> None:
    system.register_grain("k", Box)
    for bad in ({"mailbox": akt.Bounded(2, when_full="drop")}, {"max_in_flight": -1},
                {"reentrancy": "sometimes"}, {"deactivate_after": -1}):
        with pytest.raises(ValueError):
            system.grain("k", "x", **bad).tell("m")
    for bad in ({"mailbox": 4}, {"max_in_flight": 1.5}, {"reentrancy": 3}):
        with pytest.raises(TypeError):
            system.grain("k", "x", **bad).tell("m")  # type: ignore[arg-type]
    assert Box.seen == []


def test_activation_dependencies(any_system: akt.ActorSystem) -> None:
    db, cache = object(), object()
    any_system.register_grain("deps", Box, dependencies={"db": db, "greeting": "hello"},
                              deactivate_after=None)
    own = any_system.grain("deps", "own", dependencies={"greeting": "hi", "cache": cache})
    assert own.ask_sync(("dep", "greeting"), timeout=5) == "hi"
    assert own.ask_sync(("dep", "cache"), timeout=5) is cache
    assert own.ask_sync(("dep", "db"), timeout=5) == "none"  # replaced, not merged
    # a later send with other dependencies reaches the live activation: it keeps its own
    again = any_system.grain("deps", "own", dependencies={"greeting": "hey"})
    assert again.ask_sync(("dep", "greeting"), timeout=5) == "hi"
    # another grain of the kind, without options (or with {}), has the kind's
    plain = any_system.grain("deps", "plain")
    assert plain.ask_sync(("dep", "greeting"), timeout=5) == "hello"
    assert plain.ask_sync(("dep", "cache"), timeout=5) == "none"
    empty = any_system.grain("deps", "empty", dependencies={})
    assert empty.ask_sync(("dep", "db"), timeout=5) is db


def test_activation_dependencies_of_a_fresh_activation(system: akt.ActorSystem) -> None:
    system.register_grain("brief", Box, dependencies={"greeting": "hello"},
                          deactivate_after=0.05)
    g = system.grain("brief", "b", dependencies={"greeting": "hi"})
    assert g.ask_sync(("dep", "greeting"), timeout=5) == "hi"
    # Gone from the directory, not only past post_stop: a send between the two reaches the
    # same activation, which then starts again in place with its own options.
    wait_for(lambda: Box.deactivations == 1 and system.metrics().grains == 0)
    # the next activation is made by a send without options: the kind's again
    assert system.grain("brief", "b").ask_sync(("dep", "greeting"), timeout=5) == "hello"
    wait_for(lambda: Box.deactivations == 2 and system.metrics().grains == 0)
    assert g.ask_sync(("dep", "greeting"), timeout=5) == "hi"  # this handle's, again


def test_bad_activation_dependencies(system: akt.ActorSystem) -> None:
    system.register_grain("k", Box)
    with pytest.raises(TypeError):
        system.grain("k", "x", dependencies=[("a", 1)])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        system.grain("k", "x", dependencies={1: "a"})  # type: ignore[dict-item]
    for name in ("", "x" * 256, "a\0b"):
        with pytest.raises(ValueError):
            system.grain("k", "x", dependencies={name: 1})
    # the C half checks as well, whatever reaches it
    with pytest.raises(TypeError):
        system._grain_send("k", "x", "m", None, False, None, None, (-1, None, None, -1, [1]))
    with pytest.raises(ValueError):
        system._grain_send("k", "x", "m", None, False, None, None, (-1, None, None, -1, {"": 1}))
    assert Box.seen == []
