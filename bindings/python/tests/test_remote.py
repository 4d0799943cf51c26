"""Remoting: two systems of this process over 127.0.0.1, a Python actor on each side."""
from __future__ import annotations

import time

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
