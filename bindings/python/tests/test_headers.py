"""Message headers (akt.Message, tell(headers=...), ctx.headers, kept by forward, copied to
replies by hand) and system extensions (extensions={...}, ctx.extension)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

import akt


class Echo(akt.Actor):
    """Answers with the headers it got; the reply carries them back."""

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        ctx.respond((msg, ctx.headers), headers=ctx.headers)


class Relay(akt.Actor):
    def __init__(self, to: akt.Pid) -> None:
        self.to = to

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        ctx.forward(self.to)


def test_message_headers_reach_receive(any_system: akt.ActorSystem) -> None:
    echo = any_system.spawn("echo", Echo())
    value, headers = echo.ask_sync(akt.Message("order", {"tenant": "acme", "bin": b"\xff\x00"}))
    assert value == "order"
    assert headers == {"tenant": "acme", "bin": b"\xff\x00"}
    assert echo.ask_sync("plain") == ("plain", {})


def test_tell_headers_and_forward_keeps_them(any_system: akt.ActorSystem) -> None:
    got: list[dict[str, Any]] = []

    class Sink(akt.Actor):
        def receive(self, ctx: akt.Context, msg: Any) -> None:
            if msg == "get":
                ctx.respond(got[0])
            else:
                got.append(ctx.headers)

    sink = any_system.spawn("sink", Sink())
    relay = any_system.spawn("relay", Relay(sink))
    relay.tell("hello", headers={"traceparent": "00-abc-01"})
    # Both pass the relay, which forwards them in order, the ask keeping its asker.
    assert relay.ask_sync("get") == {"traceparent": "00-abc-01"}


def test_ctx_tell_with_headers(any_system: akt.ActorSystem) -> None:
    echo = any_system.spawn("echo", Echo())
    answered = threading.Event()
    answers: list[Any] = []

    class Caller(akt.Actor):
        def receive(self, ctx: akt.Context, msg: Any) -> None:
            if msg == "go":
                ctx.tell(echo, "ping", headers={"k": "v"})
            else:  # Echo's answer, with the headers it was told
                answers.append((msg, ctx.headers))
                answered.set()

    any_system.spawn("caller", Caller()).tell("go")
    assert answered.wait(10)
    assert answers == [(("ping", {"k": "v"}), {"k": "v"})]


@pytest.mark.parametrize("headers, error", [
    ({"": "v"}, akt.InvalidArgument),
    ({"a key": "v"}, akt.InvalidArgument),
    ({"k": "x" * 8193}, akt.InvalidArgument),
    ({f"k{i}": "v" for i in range(65)}, akt.InvalidArgument),
    ({"k": 1}, TypeError),
    ({1: "v"}, TypeError),
])
def test_bad_headers_raise(system: akt.ActorSystem, headers: Any, error: type) -> None:
    echo = system.spawn("echo", Echo())
    with pytest.raises(error):
        echo.tell("x", headers=headers)
    with pytest.raises(error):
        echo.tell(akt.Message("x", headers))
    assert echo.ask_sync("still") == ("still", {})


def test_extensions(any_system: akt.ActorSystem) -> None:
    metrics: dict[str, int] = {"calls": 0}
    with akt.ActorSystem("ext", extensions={"metrics": metrics, "clock_1": 7}) as s:
        assert s.extension("metrics") is metrics
        with pytest.raises(KeyError):
            s.extension("nope")

        class Counter(akt.Actor):
            def receive(self, ctx: akt.Context, msg: Any) -> None:
                m = ctx.extension("metrics")
                m["calls"] += 1
                with pytest.raises(KeyError):
                    ctx.extension("nope")
                ctx.respond((m["calls"], ctx.extension("clock_1")))

        c = s.spawn("counter", Counter())
        assert c.ask_sync("x") == (1, 7)
        assert c.ask_sync("x") == (2, 7)
    with pytest.raises(KeyError):
        any_system.extension("metrics")


@pytest.mark.parametrize("name", ["x", "-lead", "has.dot", "a" * 256])
def test_bad_extension_names(name: str) -> None:
    with pytest.raises(akt.InvalidArgument):
        akt.ActorSystem("bad", extensions={name: 1})
    with pytest.raises(TypeError):
        akt.ActorSystem("bad", extensions=[("metrics", 1)])  # type: ignore[arg-type]
