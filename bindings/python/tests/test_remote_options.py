"""remote_start's size options reach the core: chunking and the message limit cross two
nodes; bad values (the binding's and the core's ranges) raise."""
from __future__ import annotations

import concurrent.futures

import pytest

import akt
from actors import Echo

WAIT_S = 30.0
LIMIT = "message larger than the remote message limit (max_message_bytes)"


def test_a_big_message_crosses_in_small_chunks() -> None:
    big = bytes(range(256)) * 4096  # 1 MiB, 4096 chunks of 256 bytes
    with akt.ActorSystem("pyalpha") as a, akt.ActorSystem("pybeta") as b:
        addr_b = b.remote_start(chunk_bytes=256)
        a.remote_start(chunk_bytes=256)
        b.spawn("echo", Echo())
        echo = a.remote_lookup(addr_b + "/user/echo")
        assert echo.ask_sync(big, timeout=WAIT_S) == big
        assert echo.ask_sync("small", timeout=WAIT_S) == "small"


def test_a_message_over_max_message_bytes_is_refused_with_the_core_reason() -> None:
    with akt.ActorSystem("pyalpha") as a, akt.ActorSystem("pybeta") as b:
        addr_b = b.remote_start()
        a.remote_start(max_frame_bytes=65536, max_message_bytes=65536)
        b.spawn("echo", Echo())
        echo = a.remote_lookup(addr_b + "/user/echo")
        got: concurrent.futures.Future[akt.Event] = concurrent.futures.Future()

        def on_dead(event: akt.Event) -> None:
            if event.reason == LIMIT and not got.done():
                got.set_result(event)

        with a.on_dead_letter(on_dead):
            echo.tell(b"x" * 100000)  # accepted; refused on the way out
            assert got.result(timeout=WAIT_S).reason == LIMIT
        with pytest.raises(akt.InvalidArgument):
            echo.ask_sync(b"x" * 100000, timeout=WAIT_S)
        assert echo.ask_sync(b"y" * 1000, timeout=WAIT_S) == b"y" * 1000  # under it: crosses


def test_bad_size_options_raise() -> None:
    with akt.ActorSystem("pyalpha") as a:
        for name in ("chunk_bytes", "max_message_bytes", "send_buffer_bytes",
                     "max_reverse_proxies"):
            with pytest.raises(akt.InvalidArgument):
                a.remote_start(**{name: -1})
            with pytest.raises(akt.InvalidArgument):
                a.remote_start(**{name: 1 << 70})
            with pytest.raises(TypeError):
                a.remote_start(**{name: "1024"})
            with pytest.raises(TypeError):
                a.remote_start(**{name: 1.5})
        with pytest.raises(akt.InvalidArgument):  # uint32: no wrap to a small value
            a.remote_start(chunk_bytes=(1 << 32) + 1024)
        # the core's own ranges
        with pytest.raises(akt.InvalidArgument):
            a.remote_start(chunk_bytes=100)  # below 256
        with pytest.raises(akt.InvalidArgument):
            a.remote_start(max_frame_bytes=65536, chunk_bytes=65537)  # above the frame
        with pytest.raises(akt.InvalidArgument):
            a.remote_start(max_frame_bytes=65536, max_message_bytes=1000)  # below the frame
        with pytest.raises(akt.InvalidArgument):
            a.remote_start(max_message_bytes=(1 << 30) + 1)
        with pytest.raises(akt.InvalidArgument):
            a.remote_start(send_buffer_bytes=1000)  # below 65536
        assert a.remote_start(chunk_bytes=None, send_buffer_bytes=1 << 20,
                              max_reverse_proxies=5).startswith("akt://pyalpha@")
