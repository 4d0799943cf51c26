"""A user propagator (GoAkt's ContextPropagator): inject(headers) adds headers to each
outgoing message from the headers of the message being handled; ctx.headers extracts."""

from __future__ import annotations

import threading
from typing import Any

import pytest

import akt
from actors import wait_for


class Relay(akt.Actor):
    """Tells "hop" to the next actor; the last one records the headers it got."""

    def __init__(self, to: Any, seen: list[Any]) -> None:
        self.to, self.seen = to, seen

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        if self.to is None:
            self.seen.append(dict(ctx.headers))
        elif msg == "own":
            ctx.tell(self.to, msg, headers={"tenant": "mine"})
        else:
            ctx.tell(self.to, msg)


class Tenant:
    """Carries "tenant" along; counts its calls."""

    def __init__(self) -> None:
        self.calls = 0
        self.lock = threading.Lock()

    def inject(self, headers: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            self.calls += 1
        return {"tenant": headers.get("tenant", "none")}


@pytest.mark.parametrize("dispatcher", ["python", "workers"])
def test_propagator_carries_headers_across_hops(dispatcher: str) -> None:
    p = Tenant()
    s = akt.ActorSystem("prop", dispatcher=dispatcher, propagator=p)
    try:
        seen: list[Any] = []
        last = s.spawn(None, Relay(None, seen))
        mid = s.spawn(None, Relay(last, seen))
        first = s.spawn(None, Relay(mid, seen))
        first.tell("a", headers={"tenant": "acme"})  # two hops on: still acme
        wait_for(lambda: len(seen) == 1)
        first.tell("b")  # from outside without one: the propagator's default
        wait_for(lambda: len(seen) == 2)
        mid.tell("own", headers={"tenant": "acme"})  # the sender's own header wins
        wait_for(lambda: len(seen) == 3)
        assert [h["tenant"] for h in seen] == ["acme", "none", "mine"]
        assert p.calls >= 5
    finally:
        assert s.shutdown(timeout=10)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_failing_propagator_adds_nothing_and_loses_nothing() -> None:
    def boom(headers: dict[str, Any]) -> dict[str, Any]:
        raise RuntimeError("no")

    s = akt.ActorSystem("prop", propagator=boom)
    try:
        seen: list[Any] = []
        last = s.spawn(None, Relay(None, seen))
        last.tell("x")
        wait_for(lambda: seen == [{}])
    finally:
        assert s.shutdown(timeout=10)
    with pytest.raises(TypeError):
        akt.ActorSystem("prop", propagator=42)
