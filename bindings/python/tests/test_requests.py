"""Reentrant requests: ctx.request(to, msg, then) runs then(ctx, reply, error) on the
requesting actor's own turn; reentrancy modes, timeouts, cancels, stops, the in-flight
limit."""

from __future__ import annotations

import threading
from typing import Any, Optional

import pytest

import akt
from actors import wait_for


class Server(akt.Actor):
    """("inc", n) -> n + 1; "hold" blocks on the gate (a worker-side wait); "bounce"
    forwards the message back to its sender, keeping the asker."""

    def __init__(self, gate: Optional[threading.Event] = None) -> None:
        self.gate = gate
        self.handled: list[Any] = []

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        if msg == "hold":
            assert self.gate is not None and self.gate.wait(10)
            return
        self.handled.append(msg)
        if isinstance(msg, tuple) and msg[0] == "inc":
            ctx.respond(msg[1] + 1)
        elif isinstance(msg, tuple) and msg[0] == "bounce":
            ctx.forward(ctx.sender)
        elif msg == "sync":
            ctx.respond("sync")


class Client(akt.Actor):
    def __init__(self, server: akt.Pid, n: int = 1, timeout: Optional[float] = None,
                 reentrancy: Optional[str] = None) -> None:
        self.server, self.n, self.timeout, self.reentrancy = server, n, timeout, reentrancy
        self.log: list[Any] = []
        self.inside = False
        self.overlaps = 0
        self.threads: set[int] = set()
        self.ids: list[int] = []
        self.cancelled: list[bool] = []

    def then(self, ctx: akt.Context, reply: Any, error: Optional[BaseException]) -> None:
        if self.inside:
            self.overlaps += 1
        assert ctx.self is not None  # a live context of the requester
        self.log.append(("reply", reply) if error is None else ("error", type(error).__name__))

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        self.inside = True
        try:
            if msg == "go":
                for i in range(self.n):
                    self.ids.append(ctx.request(self.server, ("inc", i), self.then,
                                                timeout=self.timeout,
                                                reentrancy=self.reentrancy))
                self.log.append("go")
            elif msg == "go-cancel":
                rid = ctx.request(self.server, ("inc", 1), self.then)
                self.cancelled += [ctx.cancel_request(rid), ctx.cancel_request(rid)]
                self.ids.append(rid)
            elif msg == "go-bounce":
                ctx.request(self.server, ("bounce", 0), self.then, timeout=self.timeout)
            elif isinstance(msg, tuple) and msg[0] == "bounce":
                ctx.respond("pong")  # my own request, come back to me
            elif msg == "check":
                self.cancelled.append(ctx.cancel_request(self.ids[-1]))
            elif msg == "sync":
                ctx.respond("sync")
            else:
                self.log.append(msg)
        finally:
            self.inside = False


def test_continuations_run_on_the_actors_turn(any_system: akt.ActorSystem) -> None:
    server = any_system.spawn(None, Server())
    client = Client(server, n=50)
    pid = any_system.spawn(None, client, reentrancy="allow_all")
    pid.tell("go")
    for i in range(100):
        pid.tell(i)
    assert wait_for(lambda: len(client.log) == 1 + 100 + 50)
    replies = sorted(r for r in client.log if isinstance(r, tuple))
    assert replies == [("reply", i + 1) for i in range(50)]
    assert client.overlaps == 0


def test_cycle_with_allow_all_completes(any_system: akt.ActorSystem) -> None:
    server = any_system.spawn(None, Server())
    client = Client(server)
    pid = any_system.spawn(None, client, reentrancy="allow_all")
    pid.tell("go-bounce")
    assert wait_for(lambda: client.log == [("reply", "pong")])


def test_cycle_with_stash_waits_for_the_timeout(any_system: akt.ActorSystem) -> None:
    dead: list[akt.Event] = []
    any_system.on_dead_letter(dead.append)
    server = any_system.spawn(None, Server())
    client = Client(server, timeout=0.2)
    pid = any_system.spawn(None, client, reentrancy="stash")
    pid.tell("go-bounce")
    assert wait_for(lambda: client.log == [("error", "AskTimeout")])
    # The bounced message was stashed; once released, its asker had given up.
    assert wait_for(lambda: any((e.reason or "").startswith("asker gave up") for e in dead))


@pytest.mark.parametrize("mode,want", [
    ("stash", ["go", ("reply", 1), ("reply", 2), "m1", "m2"]),
    ("allow_all", ["go", "m1", "m2", ("reply", 1), ("reply", 2)]),
])
def test_modes_and_order(system: akt.ActorSystem, mode: str, want: list[Any]) -> None:
    gate = threading.Event()
    server = system.spawn(None, Server(gate), dispatcher="workers")
    server.tell("hold")
    client = Client(server, n=2)
    pid = system.spawn(None, client, reentrancy=mode)
    pid.tell("go")
    pid.tell("m1")
    pid.tell("m2")
    assert wait_for(lambda: len(client.log) >= (3 if mode == "allow_all" else 1))
    gate.set()
    assert wait_for(lambda: len(client.log) == 5)
    assert client.log == want


def test_per_call_stash(system: akt.ActorSystem) -> None:
    gate = threading.Event()
    server = system.spawn(None, Server(gate), dispatcher="workers")
    server.tell("hold")
    client = Client(server, reentrancy="stash")
    pid = system.spawn(None, client, reentrancy="allow_all")
    pid.tell("go")
    pid.tell("m1")
    with pytest.raises(akt.AskTimeout):
        pid.ask_sync("sync", timeout=0.1)  # stashed behind the request
    gate.set()
    assert wait_for(lambda: client.log == ["go", ("reply", 1), "m1"])


def test_timeout_and_cancel(system: akt.ActorSystem) -> None:
    gate = threading.Event()
    srv = Server(gate)
    server = system.spawn(None, srv, dispatcher="workers")
    server.tell("hold")
    client = Client(server, timeout=0.05)
    pid = system.spawn(None, client)
    pid.tell("go")
    assert wait_for(lambda: client.log == ["go", ("error", "AskTimeout")])
    pid.tell("go-cancel")
    assert wait_for(lambda: len(client.log) == 3)
    assert client.log[2] == ("error", "Cancelled")
    assert client.cancelled == [True, True]
    pid.tell("check")
    assert pid.ask_sync("sync") == "sync"
    assert client.cancelled == [True, True, False]  # over: names nothing any more
    gate.set()
    assert server.ask_sync("sync") == "sync"
    assert srv.handled == ["sync"]  # both requests were skipped: their askers gave up


@pytest.mark.parametrize("how", ["stop", "restart"])
def test_stop_and_restart_cancel(system: akt.ActorSystem, how: str) -> None:
    gate = threading.Event()
    srv = Server(gate)
    server = system.spawn(None, srv, dispatcher="workers")
    server.tell("hold")

    class Boom(Client):
        def receive(self, ctx: akt.Context, msg: Any) -> None:
            if msg == "boom":
                raise RuntimeError("boom")
            super().receive(ctx, msg)

    client = Boom(server, n=3)
    pid = system.spawn(None, client)
    pid.tell("go")
    assert wait_for(lambda: client.log == ["go"])
    if how == "stop":
        pid.stop()
        assert wait_for(lambda: not pid.is_alive)
    else:
        pid.tell("boom")
        assert pid.ask_sync("sync") == "sync"
    gate.set()
    assert server.ask_sync("sync") == "sync"
    if how == "restart":
        assert pid.ask_sync("sync") == "sync"
    assert client.log == ["go"]  # no continuation ran
    assert srv.handled == ["sync"]


def test_max_in_flight(system: akt.ActorSystem) -> None:
    gate = threading.Event()
    server = system.spawn(None, Server(gate), dispatcher="workers")
    server.tell("hold")

    class Greedy(Client):
        def receive(self, ctx: akt.Context, msg: Any) -> None:
            for i in range(3):
                try:
                    ctx.request(self.server, ("inc", i), self.then)
                except akt.Busy:
                    self.log.append("busy")

    client = Greedy(server)
    pid = system.spawn(None, client, max_in_flight=2)
    pid.tell("go")
    assert wait_for(lambda: client.log == ["busy"])
    gate.set()
    assert wait_for(lambda: len(client.log) == 3)


def test_bad_arguments(system: akt.ActorSystem) -> None:
    with pytest.raises(ValueError):
        system.spawn(None, Server(), reentrancy="sometimes")
    with pytest.raises(ValueError):
        system.spawn(None, Server(), max_in_flight=-1)
    errors: list[BaseException] = []

    class Bad(akt.Actor):
        def receive(self, ctx: akt.Context, msg: Any) -> None:
            for call in (lambda: ctx.request(ctx.self, 1, then=5),
                         lambda: ctx.request(ctx.self, 1, timeout=-1),
                         lambda: ctx.request(ctx.self, 1, reentrancy="x"),
                         lambda: ctx.cancel_request("x")):
                try:
                    call()
                except (TypeError, ValueError) as e:
                    errors.append(e)
            ctx.respond(len(errors))

    assert system.spawn(None, Bad()).ask_sync("go") == 4


class ByName(akt.Actor):
    """("go", target): requests ("inc", 1) from target (a name) and logs what came back, or
    the exception the request raised; ("await", target): the same, awaited."""

    def __init__(self) -> None:
        self.log: list[Any] = []

    def then(self, ctx: akt.Context, reply: Any, error: Optional[BaseException]) -> None:
        self.log.append(("reply", reply) if error is None else ("error", type(error).__name__))

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        try:
            ctx.request(msg, ("inc", 1), self.then)
        except Exception as e:  # noqa: BLE001 -- the test asserts the type
            self.log.append(("raised", type(e).__name__))


def test_request_by_name(any_system: akt.ActorSystem) -> None:
    server = any_system.spawn("srv", Server())
    client = ByName()
    pid = any_system.spawn(None, client)
    for target in ("srv", "/user/srv", "akt://test/user/srv"):
        pid.tell(target)
    assert wait_for(lambda: len(client.log) == 3)
    assert client.log == [("reply", 2)] * 3
    server.stop()
    assert wait_for(lambda: not server.is_alive)
    # The name went with its actor; a new actor under it gets the next request.
    pid.tell("srv")
    assert wait_for(lambda: len(client.log) == 4)
    assert client.log[3] == ("raised", "ActorNotFound")
    any_system.spawn("srv", Server())
    pid.tell("srv")
    assert wait_for(lambda: len(client.log) == 5)
    assert client.log[4] == ("reply", 2)


def test_request_by_unknown_or_bad_name(system: akt.ActorSystem) -> None:
    errors: list[BaseException] = []

    class Bad(akt.Actor):
        def receive(self, ctx: akt.Context, msg: Any) -> None:
            for call in (lambda: ctx.request("nobody", 1, lambda c, r, e: None),
                         lambda: ctx.request("akt://other/user/x", 1),
                         lambda: ctx.request("", 1),
                         lambda: ctx.request("a\0b", 1),
                         lambda: ctx.request(42, 1)):
                try:
                    call()
                except Exception as e:  # noqa: BLE001 -- the test asserts the type
                    errors.append(e)
            ctx.respond(len(errors))

    assert system.spawn(None, Bad()).ask_sync("go") == 5
    assert [type(e) for e in errors[:3]] == [akt.ActorNotFound, akt.ActorNotFound,
                                             akt.InvalidArgument]
    assert "'nobody'" in str(errors[0])
    assert isinstance(errors[3], ValueError)
    assert isinstance(errors[4], TypeError)


def test_await_request_by_name(system: akt.ActorSystem) -> None:
    system.spawn("srv", Server())

    class Awaiting(akt.Actor):
        async def receive(self, ctx: akt.Context, msg: Any) -> None:  # type: ignore[override]
            try:
                ctx.respond(await ctx.request(msg, ("inc", 41)))
            except akt.ActorNotFound:
                ctx.respond("not found")

    pid = system.spawn(None, Awaiting())
    assert pid.ask_sync("srv") == 42
    assert pid.ask_sync("nobody") == "not found"
