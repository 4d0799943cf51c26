"""Frame compression: each method between two nodes, mixed nodes, bad options."""
from __future__ import annotations

import pytest

import akt
from actors import Echo

BIG = b"compress me, again and again; " * 40000  # about 1.2 MB


@pytest.mark.parametrize("method", ["zstd", "gzip", "brotli"])
def test_tell_and_ask_with_each_method(method: str) -> None:
    with akt.ActorSystem("pyalpha") as a, akt.ActorSystem("pybeta") as b:
        addr_b = b.remote_start(compression=method)
        a.remote_start(compression=method, compress_min_bytes=64)
        b.spawn("echo", Echo())
        echo = a.remote_lookup(addr_b + "/user/echo")
        assert echo.ask_sync("small", timeout=10) == "small"
        assert echo.ask_sync(BIG, timeout=30) == BIG


def test_mixed_nodes_interoperate() -> None:
    with akt.ActorSystem("pyalpha") as a, akt.ActorSystem("pybeta") as b:
        addr_b = b.remote_start()  # none
        addr_a = a.remote_start(compression="zstd")
        b.spawn("echo", Echo())
        a.spawn("echo", Echo())
        assert a.remote_lookup(addr_b + "/user/echo").ask_sync(BIG, timeout=30) == BIG
        assert b.remote_lookup(addr_a + "/user/echo").ask_sync(BIG, timeout=30) == BIG


def test_bad_compression_options_raise() -> None:
    with akt.ActorSystem("pyalpha") as a:
        with pytest.raises(ValueError):
            a.remote_start(compression="lz4")
        with pytest.raises(ValueError):
            a.remote_start(compression="zstd", compress_min_bytes=1 << 40)
        with pytest.raises(TypeError):
            a.remote_start(compression=3)  # type: ignore[arg-type]
        assert a.remote_start(compression="none").startswith("akt://pyalpha@")
