"""What a new user runs into first: waiting inside receive, asking from receive (ctx.ask +
ctx.pipe_to), one system across two asyncio.run() calls (issue 17)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import subprocess
import sys
import textwrap
import time
from typing import Any

import pytest

import akt


class Silent(akt.Actor):
    """Never answers."""

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        pass


class Echo(akt.Actor):
    def receive(self, ctx: akt.Context, msg: Any) -> None:
        ctx.respond(("echo", msg))


class WaitsInReceive(akt.Actor):
    """Blocks on ask_future(...).result() inside receive and answers with what happened."""

    def __init__(self, target: akt.Pid) -> None:
        self.target = target

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        started = time.monotonic()
        try:
            outcome: Any = self.target.ask_future(msg, timeout=0.5).result()
        except Exception as e:  # noqa: BLE001 - the test looks at which one
            outcome = type(e).__name__
        ctx.respond((outcome, time.monotonic() - started))


@pytest.mark.parametrize("mode", ["python", "workers"])
def test_ask_future_result_inside_receive_times_out_and_shutdown_finishes(mode: str) -> None:
    s = akt.ActorSystem("users", dispatcher=mode)
    target = s.spawn("silent", Silent(), dispatcher="workers")
    waiter = s.spawn("waiter", WaitsInReceive(target))
    outcome, took = waiter.ask_sync("hello", timeout=5)
    assert outcome == "AskTimeout"
    assert 0.4 < took < 3
    assert s.shutdown(timeout=5)


def test_ask_future_result_on_an_actor_of_the_same_thread_fails_at_once() -> None:
    s = akt.ActorSystem("users", dispatcher="python")
    target = s.spawn("silent", Silent())  # runs on the waiter's own thread: can never answer
    waiter = s.spawn("waiter", WaitsInReceive(target))
    outcome, took = waiter.ask_sync("hello", timeout=5)
    assert outcome == "DeadlockError"
    assert took < 0.4
    assert s.shutdown(timeout=5)


def test_ask_future_result_with_its_own_timeout() -> None:
    with akt.ActorSystem("users") as s:
        target = s.spawn("silent", Silent(), dispatcher="workers")
        fut = target.ask_future("x", timeout=5)
        with pytest.raises(concurrent.futures.TimeoutError):
            fut.result(timeout=0.05)
        assert fut.cancel()
        with pytest.raises(akt.Cancelled):
            fut.result()


class Relay(akt.Actor):
    """Asks the target from receive (ctx.ask), pipes the answer back to itself, then answers
    the original asker with it."""

    def __init__(self, target: akt.Pid, timeout: float) -> None:
        self.target = target
        self.timeout = timeout
        self.waiting: list[akt.Pid] = []

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        if isinstance(msg, tuple) and msg[0] == "relay":
            sender = ctx.sender
            assert sender is not None
            self.waiting.append(sender)
            ctx.pipe_to(ctx.ask(self.target, msg[1], self.timeout))
        else:  # the piped answer, sent by this actor
            assert ctx.sender == ctx.self
            ctx.tell(self.waiting.pop(0), ("relayed", msg))


class Client(akt.Actor):
    def __init__(self, relay: akt.Pid, sink: "concurrent.futures.Future[Any]") -> None:
        self.relay = relay
        self.sink = sink

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        if msg == "start":
            ctx.tell(self.relay, ("relay", "ping"))
        else:
            self.sink.set_result(msg)


def test_ctx_ask_and_pipe_to_from_receive(any_system: akt.ActorSystem) -> None:
    target = any_system.spawn("target", Echo())  # same dispatcher as the relay
    relay = any_system.spawn("relay", Relay(target, 2.0))
    got: concurrent.futures.Future[Any] = concurrent.futures.Future()
    client = any_system.spawn("client", Client(relay, got))
    client.tell("start")
    assert got.result(timeout=5) == ("relayed", ("echo", "ping"))


def test_a_piped_ask_that_times_out_is_a_dead_letter(any_system: akt.ActorSystem) -> None:
    dead: concurrent.futures.Future[akt.Event] = concurrent.futures.Future()

    def on_dead(event: akt.Event) -> None:
        if event.reason and event.reason.startswith("pipe_to") and not dead.done():
            dead.set_result(event)

    subscription = any_system.subscribe(on_dead, akt.EventKind.DEAD_LETTER)
    target = any_system.spawn("target", Silent())
    relay = any_system.spawn("relay", Relay(target, 0.2))
    got: concurrent.futures.Future[Any] = concurrent.futures.Future()
    any_system.spawn("client", Client(relay, got)).tell("start")
    event = dead.result(timeout=5)
    subscription.close()
    assert event.reason == "pipe_to: task failed"
    assert event.code == akt.AskTimeout.code  # the ask's own error
    assert event.path == relay.path and event.sender == relay
    assert not got.done()  # nothing was delivered


def test_pipe_to_refuses_what_is_not_a_future(system: akt.ActorSystem) -> None:
    class Pipes(akt.Actor):
        def receive(self, ctx: akt.Context, msg: Any) -> None:
            ctx.pipe_to(42)

    with pytest.raises(akt.ActorFailed, match="TypeError"):
        system.spawn("pipes", Pipes()).ask_sync("go", timeout=5)


def test_a_system_used_from_a_second_asyncio_run() -> None:
    # Run in a child process: a hang must fail the test, not the suite.
    program = textwrap.dedent("""
        import asyncio, akt
        class Echo(akt.Actor):
            def receive(self, ctx, msg):
                ctx.respond(msg)
        async def first():
            system = akt.ActorSystem("twice")
            pid = system.spawn("echo", Echo())
            print(await pid.ask("one", timeout=1))
            return system, pid
        async def second(system, pid):
            print(await pid.ask("two", timeout=1))
            print(await system.shutdown_async(timeout=5))
        system, pid = asyncio.run(first())
        asyncio.run(second(system, pid))
    """)
    r = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                       timeout=20)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["one", "two", "True"]


def test_the_installed_package_has_the_library_version() -> None:
    from importlib.metadata import version

    assert version("akt") == akt.__version__


class Withdraw:
    __akt_type__ = "bank.Withdraw"

    def __init__(self, amount: int) -> None:
        self.amount = amount


def test_a_timed_out_ask_names_the_actor_and_the_message_type(any_system: akt.ActorSystem) -> None:
    silent = any_system.spawn("silent", Silent())
    want = "ask of akt://test/user/silent with bank.Withdraw: timed out (AKT_ETIMEDOUT)"
    with pytest.raises(akt.AskTimeout) as sync:
        silent.ask_sync(Withdraw(5), timeout=0.02)
    assert str(sync.value) == want
    with pytest.raises(akt.AskTimeout) as fut:
        silent.ask_future(Withdraw(5), timeout=0.02).result()
    assert str(fut.value) == want
    with pytest.raises(akt.AskTimeout) as typed:
        silent.ask_sync("x", timeout=0.02, type="bank.Raw")
    assert str(typed.value).startswith("ask of akt://test/user/silent with bank.Raw: ")
    [batch] = silent.ask_batch_sync([Withdraw(1)], timeout=0.02, return_exceptions=True)
    assert str(batch) == want

    async def asked() -> str:
        try:
            await silent.ask(Withdraw(5), timeout=0.02)
        except akt.AskTimeout as e:
            return str(e)
        return "answered"

    if any_system._loop is None:
        assert asyncio.run(asked()) == want


class Parent(akt.Actor):
    """Spawns its child in pre_start, slowly: a spawn that did not wait returns first."""

    def __init__(self) -> None:
        self.started = False

    def pre_start(self, ctx: akt.Context) -> None:
        time.sleep(0.05)
        ctx.spawn("child", Silent())
        self.started = True

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        ctx.respond(self.started)


def test_spawn_returns_after_pre_start(any_system: akt.ActorSystem) -> None:
    parent = Parent()
    pid = any_system.spawn("parent", parent)
    assert parent.started
    child = any_system.lookup("/user/parent/child")
    assert child.path == "akt://test/user/parent/child"
    assert pid.ask_sync("started?", timeout=5.0) is True


def test_spawn_returns_after_pre_start_on_the_loop() -> None:
    async def main() -> None:
        async with akt.ActorSystem("loop") as system:
            system.spawn("parent", Parent())
            assert system.lookup("/user/parent/child").path == "akt://loop/user/parent/child"

    asyncio.run(main())


class FailingStart(akt.Actor):
    def pre_start(self, ctx: akt.Context) -> None:
        raise RuntimeError("no start")

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        pass


def test_spawn_returns_when_pre_start_fails(any_system: akt.ActorSystem) -> None:
    any_system.spawn("failing", FailingStart())
    deadline = time.monotonic() + 5.0
    while True:
        try:
            any_system.lookup("/user/failing")
        except akt.ActorNotFound:
            break
        assert time.monotonic() < deadline, "the failed actor is still there"
        time.sleep(0.005)
