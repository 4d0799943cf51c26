"""Remoting: two systems of this process over 127.0.0.1, a Python actor on each side."""
from __future__ import annotations

import threading
import time
from typing import Any

import pytest

import akt
from actors import Echo


def test_tell_and_ask_cross_nodes() -> None:
    with akt.ActorSystem("pyalpha") as a, akt.ActorSystem("pybeta") as b:
        addr_b = b.remote_start()
        assert addr_b.startswith("akt://pybeta@127.0.0.1:")
        assert a.remote_start("127.0.0.1", 0).startswith("akt://pyalpha@127.0.0.1:")
        assert b.remote_address() == addr_b
        b.spawn("echo", Echo())
        echo = a.remote_lookup(addr_b + "/user/echo")
        assert a.remote_lookup(addr_b + "/user/echo") == echo  # one pid per address
        assert echo.ask_sync("hello", timeout=10) == "hello"
        assert echo.ask_sync(42, timeout=10) == 42
        assert echo.ask_sync(b"\x00raw", timeout=10) == b"\x00raw"


def test_unknown_path_and_unreachable_node_fail_fast() -> None:
    with akt.ActorSystem("pyalpha") as a, akt.ActorSystem("pybeta") as b:
        addr_b = b.remote_start()
        a.remote_start()
        nobody = a.remote_lookup(addr_b + "/user/nobody")
        t0 = time.monotonic()
        with pytest.raises(akt.ActorNotFound):
            nobody.ask_sync("x", timeout=30)
        assert time.monotonic() - t0 < 5
        b.shutdown(timeout=10)
        gone = a.remote_lookup(addr_b + "/user/echo")
        with pytest.raises(akt.Unreachable):
            gone.ask_sync("x", timeout=30)
        assert time.monotonic() - t0 < 10


def test_remote_misuse_raises() -> None:
    with akt.ActorSystem("pyalpha") as a:
        with pytest.raises(akt.ActorNotFound):
            a.remote_address()
        with pytest.raises(akt.ActorNotFound):
            a.remote_lookup("akt://x@127.0.0.1:1/user/y")
        a.remote_start()
        with pytest.raises(akt.NameTaken):
            a.remote_start()
        with pytest.raises(akt.InvalidArgument):
            a.remote_lookup("not an address")
        with pytest.raises(TypeError):
            a.remote_lookup(7)  # type: ignore[arg-type]
        with pytest.raises(ValueError):
            a.remote_start(port=70000)


class Replier(akt.Actor):
    """Notes the sender's path and answers it with a plain respond (no asker)."""

    def __init__(self) -> None:
        self.senders: list[str] = []

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        self.senders.append(ctx.sender.path)
        ctx.respond("pong:" + msg)


class Pinger(akt.Actor):
    """("go", pid) tells pid "ping" as itself; keeps every answer with its sender's path."""

    def __init__(self) -> None:
        self.got: list[tuple[Any, str]] = []
        self.done = threading.Event()

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        if isinstance(msg, tuple):
            ctx.tell(msg[1], "ping")
        else:
            self.got.append((msg, ctx.sender.path))
            self.done.set()


def test_the_sender_of_a_remote_tell_is_the_remote_actor() -> None:
    with akt.ActorSystem("pyalpha") as a, akt.ActorSystem("pybeta") as b:
        addr_a, addr_b = a.remote_start(), b.remote_start()
        replier = Replier()
        b.spawn("replier", replier)
        pinger = Pinger()
        a.spawn("pinger", pinger).tell(("go", a.remote_lookup(addr_b + "/user/replier")))
        assert pinger.done.wait(10)
        assert replier.senders == [addr_a + "/user/pinger"]
        assert pinger.got == [("pong:ping", addr_b + "/user/replier")]


def test_heartbeat_options() -> None:
    with akt.ActorSystem("pyalpha") as a, akt.ActorSystem("pybeta") as b:
        with pytest.raises(ValueError):
            a.remote_start(heartbeat_interval=3601)
        with pytest.raises(ValueError):
            a.remote_start(heartbeat_misses=1001)
        with pytest.raises(TypeError):
            a.remote_start(heartbeat_interval="fast")  # type: ignore[arg-type]
        addr_b = b.remote_start(heartbeat_interval=0.05, heartbeat_misses=4)
        a.remote_start(heartbeat_interval=0.05, heartbeat_misses=4)
        b.spawn("echo", Echo())
        echo = a.remote_lookup(addr_b + "/user/echo")
        assert echo.ask_sync("first", timeout=10) == "first"
        # Idle for 12 intervals, three times the silence allowed: the pings keep it open.
        time.sleep(0.6)
        assert echo.ask_sync("later", timeout=10) == "later"


def test_heartbeats_can_be_off() -> None:
    with akt.ActorSystem("pyalpha") as a, akt.ActorSystem("pybeta") as b:
        addr_b = b.remote_start(heartbeat_interval=0)
        a.remote_start(heartbeat_interval=0)
        b.spawn("echo", Echo())
        assert a.remote_lookup(addr_b + "/user/echo").ask_sync("x", timeout=10) == "x"
