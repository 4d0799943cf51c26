"""Grains: virtual actors addressed by kind and name (akt.Grain)."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

import akt


class Counter(akt.Actor):
    """Counts "inc"; answers "get" with its count and "who" with name#count."""

    lock = threading.Lock()
    activations = 0
    deactivations = 0
    stopped = threading.Condition()

    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0

    def pre_start(self, ctx: akt.Context) -> None:
        with Counter.lock:
            Counter.activations += 1

    def post_stop(self, ctx: akt.Context) -> None:
        with Counter.stopped:
            Counter.deactivations += 1
            Counter.stopped.notify_all()

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        if msg == "inc":
            self.count += 1
        elif msg == "get":
            ctx.respond(self.count)
        elif msg == "who":
            ctx.respond(f"{self.name}#{self.count}")
        else:
            ctx.unhandled()


@pytest.fixture(autouse=True)
def _reset() -> None:
    Counter.activations = 0
    Counter.deactivations = 0


def wait_deactivations(n: int) -> bool:
    with Counter.stopped:
        return Counter.stopped.wait_for(lambda: Counter.deactivations >= n, timeout=5)


def test_first_message_activates_once_under_contention(any_system: akt.ActorSystem) -> None:
    any_system.register_grain("counter", Counter)
    g = any_system.grain("counter", "hot")

    def send() -> None:
        for _ in range(250):
            g.tell("inc")

    threads = [threading.Thread(target=send) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert g.ask_sync("get", timeout=10) == 2000
    assert Counter.activations == 1


def test_identities_and_ask_by_identity(any_system: akt.ActorSystem) -> None:
    any_system.register_grain("counter", Counter)
    alice = any_system.grain("counter", "alice")
    alice.tell("inc")
    alice.tell("inc")
    assert alice.ask_sync("who", timeout=5) == "alice#2"
    assert any_system.grain("counter", "bob").ask_sync("who", timeout=5) == "bob#0"
    assert alice.identity == "counter/alice"
    assert alice == any_system.grain("counter", "alice")
    assert Counter.activations == 2


def test_deactivation_and_reactivation_resets_state(any_system: akt.ActorSystem) -> None:
    any_system.register_grain("idle", Counter, deactivate_after=0.05)
    g = any_system.grain("idle", "x")
    g.tell("inc")
    assert g.ask_sync("get", timeout=5) == 1
    assert wait_deactivations(1)
    assert g.ask_sync("get", timeout=5) == 0  # a fresh activation
    assert Counter.activations == 2


def test_async_ask(system: akt.ActorSystem) -> None:
    system.register_grain("counter", Counter)

    async def main() -> Any:
        g = system.grain("counter", "a")
        g.tell("inc")
        return await g.ask("who", timeout=5)

    assert asyncio.run(main()) == "a#1"


def test_grains_talk_to_grains(any_system: akt.ActorSystem) -> None:
    class Relay(akt.Actor):
        def __init__(self, name: str) -> None:
            self.name = name

        def receive(self, ctx: akt.Context, msg: Any) -> None:
            any_system.grain("counter", self.name).tell("inc")
            ctx.respond("relayed")

    any_system.register_grain("counter", Counter)
    any_system.register_grain("relay", Relay)
    assert any_system.grain("relay", "z").ask_sync("go", timeout=5) == "relayed"
    assert any_system.grain("counter", "z").ask_sync("get", timeout=5) == 1


@pytest.mark.parametrize("dispatcher", ["python", "workers"])
def test_activations_run_on_the_kinds_dispatcher(system: akt.ActorSystem, dispatcher: str) -> None:
    class Where(akt.Actor):
        def __init__(self, name: str = "") -> None:
            pass

        def receive(self, ctx: akt.Context, msg: Any) -> None:
            ctx.respond(threading.get_ident())

    plain = system.spawn(None, Where(), dispatcher=dispatcher)
    system.register_grain("where", Where, dispatcher=dispatcher)
    got = system.grain("where", "w").ask_sync("?", timeout=5)
    on_python = system.spawn(None, Where(), dispatcher="python").ask_sync("?", timeout=5)
    if dispatcher == "python":  # the system's Python thread, as for a plain actor
        assert got == plain.ask_sync("?", timeout=5) == on_python
    else:  # an akt worker, or this thread: a waiting asker runs an idle target's turn
        assert got != on_python


def test_bad_input(system: akt.ActorSystem) -> None:
    with pytest.raises(akt.ActorNotFound):
        system.grain("nokind", "x").tell("inc")
    system.register_grain("counter", Counter)
    with pytest.raises(akt.NameTaken):
        system.register_grain("counter", Counter)
    with pytest.raises(ValueError):
        system.register_grain("a/b", Counter)
    with pytest.raises(ValueError):
        system.register_grain("neg", Counter, deactivate_after=-1)
    with pytest.raises(TypeError):
        system.register_grain("nocall", 42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        system.grain("counter", 3)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        system.grain("counter", "").tell("inc")
    with pytest.raises(ValueError):
        system.grain("counter", "x").ask_sync("get", timeout=-1)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_failing_factory_reactivates_later(system: akt.ActorSystem) -> None:
    calls = []

    def factory(name: str) -> akt.Actor:
        calls.append(name)
        if len(calls) == 1:
            raise RuntimeError("not yet")
        return Counter(name)

    system.register_grain("flaky", factory)
    with pytest.raises(akt.AktError):
        system.grain("flaky", "f").ask_sync("get", timeout=5)
    assert system.grain("flaky", "f").ask_sync("who", timeout=5) == "f#0"
    assert calls == ["f", "f"]


def test_shutdown_with_active_grains() -> None:
    s = akt.ActorSystem("grains")
    s.register_grain("counter", Counter)
    for i in range(50):
        s.grain("counter", f"g{i}").tell("inc")
    # Every grain answers first: an activation stopped before its first turn never starts,
    # so it has no post_stop to run.
    for i in range(50):
        assert s.grain("counter", f"g{i}").ask_sync("get", timeout=5) == 1
    assert Counter.activations == 50
    assert s.shutdown(timeout=10)
    assert Counter.deactivations == 50
    with pytest.raises(akt.SystemClosed):
        s.grain("counter", "g0").tell("inc")
