"""Small actors the tests share."""

from __future__ import annotations

import threading
from typing import Any

import akt


class Counter(akt.Actor):
    """"incr" adds one, ("add", k) adds k, "get" answers the count."""

    def pre_start(self, ctx: akt.Context) -> None:
        self.n = 0

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        if msg == "incr":
            self.n += 1
        elif isinstance(msg, tuple) and msg[0] == "add":
            self.n += msg[1]
        elif msg == "get":
            ctx.respond(self.n)
        elif msg == "boom":
            raise ValueError("boom")
        else:
            ctx.unhandled()


class Echo(akt.Actor):
    """Answers every message with itself."""

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        ctx.respond(msg)


class Recorder(akt.Actor):
    """Keeps every message; "dump" answers the list; sets `ready` when it has `want`."""

    def __init__(self, want: int = 0) -> None:
        self.got: list[Any] = []
        self.want = want
        self.ready = threading.Event()

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        if msg == "dump":
            ctx.respond(list(self.got))
            return
        self.got.append(msg)
        if self.want and len(self.got) >= self.want:
            self.ready.set()


def wait_for(cond: Any, timeout: float = 5.0) -> bool:
    """Polls cond() (tests only: waits for effects that have no future)."""
    import time

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.002)
    return bool(cond())
