"""Topics: publish / subscribe (akt.Topic)."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

import akt
from actors import Recorder, wait_for


def test_publish_reaches_every_subscriber_in_order(any_system: akt.ActorSystem) -> None:
    a, b = Recorder(want=3), Recorder(want=3)
    pa, pb = any_system.spawn("a", a), any_system.spawn("b", b)
    news = any_system.topic("news")
    assert news.subscribe(pa).result(5) == 1
    assert news.subscribe(pb).result(5) == 2
    assert news.subscribe(pa).result(5) == 2  # twice is once
    for m in ("n0", {"k": 1}, 3):
        news.publish(m)
    assert a.ready.wait(5) and b.ready.wait(5)
    assert a.got == ["n0", {"k": 1}, 3]
    assert b.got == a.got
    assert a.got[1] is b.got[1]  # Python values pass by reference between Python actors


def test_unsubscribe_counts_and_publishing_to_nobody(system: akt.ActorSystem) -> None:
    r = Recorder()
    pid = system.spawn("r", r)
    t = system.topic("t")
    assert t.count_sync() == 0
    t.publish("nobody")  # no subscriber: not an error
    t.subscribe(pid)  # fire and forget: the count below is queued after it
    assert t.count_sync() == 1
    assert t.unsubscribe(pid).result(5) == 0
    assert t.unsubscribe(pid).result(5) == 0
    t.publish("gone")
    assert t.count_sync() == 0
    assert pid.ask_sync("dump", timeout=5) == []


def test_a_stopped_subscriber_leaves_its_topics(system: akt.ActorSystem) -> None:
    pid = system.spawn("r", Recorder())
    x, y = system.topic("x"), system.topic("y")
    x.subscribe(pid).result(5)
    y.subscribe(pid).result(5)
    pid.stop_graceful_sync(timeout=5)
    assert wait_for(lambda: x.count_sync() == 0 and y.count_sync() == 0)


def test_callback_subscription(system: akt.ActorSystem) -> None:
    got: list[Any] = []
    done = threading.Event()

    def on(msg: Any) -> None:
        got.append(msg)
        if len(got) == 2:
            done.set()

    t = system.topic("cb")
    with t.subscribe_callback(on) as sub:
        t.publish("one")
        t.publish("two")
        assert done.wait(5)
        assert t.count_sync() == 1
    assert wait_for(lambda: t.count_sync() == 0)
    assert got == ["one", "two"]
    assert not sub.pid.is_alive
    sub.close()  # idempotent


def test_subscribers_see_the_publisher_as_sender(system: akt.ActorSystem) -> None:
    senders: list[Any] = []
    done = threading.Event()

    class Sub(akt.Actor):
        def receive(self, ctx: akt.Context, msg: Any) -> None:
            senders.append(ctx.sender)
            done.set()

    class Pub(akt.Actor):
        def receive(self, ctx: akt.Context, msg: Any) -> None:
            ctx.system.topic("s").publish(msg)

    s = system.spawn("sub", Sub())
    system.topic("s").subscribe(s).result(5)
    p = system.spawn("pub", Pub())
    p.tell("hi")
    assert done.wait(5)
    assert senders == [p]


def test_async_count() -> None:
    async def main() -> int:
        async with akt.ActorSystem("t") as system:
            pid = system.spawn("r", Recorder())
            t = system.topic("a")
            await asyncio.wrap_future(t.subscribe(pid))
            return await t.count()

    assert asyncio.run(main()) == 1


def test_bad_arguments(system: akt.ActorSystem) -> None:
    with pytest.raises(TypeError):
        system.topic(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        system.topic("").publish("x")
    with pytest.raises(ValueError):
        system.topic("x" * 300).count_sync()
    with pytest.raises(TypeError):
        system.topic("t").subscribe("not a pid")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        system.topic("t").subscribe_callback(42)  # type: ignore[arg-type]
    other = akt.ActorSystem("other")
    try:
        foreign = other.spawn("f", Recorder())
        with pytest.raises((ValueError, TypeError)):
            system.topic("t").subscribe(foreign)
    finally:
        other.shutdown()


def test_after_shutdown() -> None:
    s = akt.ActorSystem("closed")
    pid = s.spawn("r", Recorder())
    assert s.shutdown(timeout=5)
    with pytest.raises(akt.SystemClosed):
        s.topic("t").publish("x")
    with pytest.raises(akt.SystemClosed):
        s.topic("t").subscribe(pid)
