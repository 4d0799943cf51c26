"""Remote watch, stop, poison, spawn by kind name and flow control: two systems of this
process over 127.0.0.1."""
from __future__ import annotations

import threading
import time
from typing import Any

import pytest

import akt


class Noter(akt.Actor):
    def __init__(self, seen: list[Any], gate: threading.Event | None = None) -> None:
        self.seen = seen
        self.gate = gate

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        if self.gate is not None and not self.seen:
            assert self.gate.wait(10)
        self.seen.append(msg)
        ctx.respond(msg)


class Watcher(akt.Actor):
    def __init__(self) -> None:
        self.gone: list[akt.Pid] = []
        self.event = threading.Event()

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        if isinstance(msg, akt.Terminated):
            self.gone.append(msg.pid)
            self.event.set()
        elif isinstance(msg, tuple) and msg[0] == "watch":
            ctx.watch(msg[1])
            ctx.respond("ok")
        elif isinstance(msg, tuple) and msg[0] == "unwatch":
            ctx.unwatch(msg[1])
            ctx.respond("ok")


def wait_for(cond: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_watch_stop_and_poison_a_remote_actor() -> None:
    with akt.ActorSystem("pyalpha") as a, akt.ActorSystem("pybeta") as b:
        addr_b = b.remote_start()
        a.remote_start()
        seen: list[Any] = []
        b.spawn("target", Noter([]))
        b.spawn("sink", Noter(seen))
        target = a.remote_lookup(addr_b + "/user/target")
        sink = a.remote_lookup(addr_b + "/user/sink")
        w = Watcher()
        wp = a.spawn("watcher", w)
        assert wp.ask_sync(("watch", target), timeout=10) == "ok"
        assert wp.ask_sync(("watch", sink), timeout=10) == "ok"
        target.stop()
        assert w.event.wait(10)
        assert w.gone == [target]
        wait_for(lambda: _gone(b, "/user/target"))
        for i in range(100):
            sink.tell(i)
        sink.poison()
        wait_for(lambda: len(w.gone) == 2)
        assert w.gone[1] == sink
        assert seen == list(range(100))  # every tell before the pill


# ack begin:
def test_graceful_stop_of_a_remote_actor() -> None:
    """stop_graceful on a remote pid: the actor stops after the tells sent before it, the
    future completes once it stopped on its node, and watchers get Terminated."""
    with akt.ActorSystem("pyalpha") as a, akt.ActorSystem("pybeta") as b:
        addr_b = b.remote_start()
        a.remote_start()
        seen: list[Any] = []
        b.spawn("sink", Noter(seen))
        sink = a.remote_lookup(addr_b + "/user/sink")
        w = Watcher()
        wp = a.spawn("watcher", w)
        assert wp.ask_sync(("watch", sink), timeout=10) == "ok"
        for i in range(200):
            sink.tell(i)
        sink.stop_graceful_sync(30)
        assert seen == list(range(200))  # every tell before the stop, then the answer
        wait_for(lambda: _gone(b, "/user/sink"))
        assert w.event.wait(10)
        assert w.gone == [sink]


# ack end


def _gone(system: akt.ActorSystem, path: str) -> bool:
    try:
        system.lookup(path)
    except akt.ActorNotFound:
        return True
    return False


def test_node_loss_terminates_watched_pids() -> None:
    with akt.ActorSystem("pyalpha") as a:
        b = akt.ActorSystem("pybeta")
        addr_b = b.remote_start()
        a.remote_start()
        b.spawn("x", Noter([]))
        x = a.remote_lookup(addr_b + "/user/x")
        w = Watcher()
        wp = a.spawn("watcher", w)
        assert wp.ask_sync(("watch", x), timeout=10) == "ok"
        assert x.ask_sync("hi", timeout=10) == "hi"
        assert b.shutdown(timeout=10)
        assert w.event.wait(10)
        assert w.gone == [x]


class Counter(akt.Actor):
    def __init__(self, name: str) -> None:
        self.name = name
        self.n = 0

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        if msg == "get":
            ctx.respond(f"{self.name}:{self.n}")
        self.n += msg


def test_remote_spawn_by_kind_name() -> None:
    with akt.ActorSystem("pyalpha") as a, akt.ActorSystem("pybeta") as b:
        addr_b = b.remote_start()
        a.remote_start()
        b.register_grain("counter", Counter, deactivate_after=None)
        c = a.remote_spawn(addr_b, "counter", "c1")
        assert c.path == addr_b + "/user/c1"
        c.tell(5)
        assert c.ask_sync("get", timeout=10) == "c1:5"
        with pytest.raises(akt.NameTaken):
            a.remote_spawn(addr_b, "counter", "c1")
        with pytest.raises(akt.ActorNotFound):
            a.remote_spawn(addr_b, "nosuch", "c2")
        with pytest.raises(akt.InvalidArgument):
            a.remote_spawn(addr_b, "counter", "a/b")
        with pytest.raises(akt.InvalidArgument):
            a.remote_spawn("not an address", "counter", "c3")
        with pytest.raises(ValueError):
            a.remote_spawn(addr_b, "counter", "c3", timeout=0)
        with pytest.raises(TypeError):
            a.remote_spawn(addr_b, 7, "c3")  # type: ignore[arg-type]


def test_flow_control_refuses_beyond_the_window() -> None:
    with akt.ActorSystem("pyalpha") as a, akt.ActorSystem("pybeta") as b:
        addr_b = b.remote_start()
        a.remote_start(send_window=32)
        gate = threading.Event()
        seen: list[Any] = []
        b.spawn("slow", Noter(seen, gate), dispatcher="workers")
        slow = a.remote_lookup(addr_b + "/user/slow")
        accepted = 0
        with pytest.raises(akt.MailboxFull):
            for i in range(1000):
                slow.tell(i)
                accepted += 1
        assert accepted == 32
        gate.set()
        total = accepted
        deadline = time.monotonic() + 30
        while total < 500:
            assert time.monotonic() < deadline
            try:
                slow.tell(total)
                total += 1
            except akt.MailboxFull:
                time.sleep(0.001)
        wait_for(lambda: len(seen) == 500)
        assert seen == list(range(500))
        with pytest.raises(ValueError):
            akt.ActorSystem("pygamma").remote_start(send_window=1 << 30)
