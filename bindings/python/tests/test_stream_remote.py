"""Streams across nodes: two systems of this process over 127.0.0.1. A remote Sink.actor
delivers every element once, in order, at most in_flight unacknowledged (counted on the
target's node) and fails when its node goes; a Source.actor_ref answers each element once
it is buffered, so a SourceRef producer on the other node is paced by the stream; a stream
on one node feeds a stream on the other."""

from __future__ import annotations

import time
from typing import Any, Iterator

import pytest

import akt
from akt.stream import ACK, CLOSED, END, Sink, Source, SourceRef


def wait_for(cond: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.002)


@pytest.fixture
def nodes() -> Iterator[tuple[akt.ActorSystem, akt.ActorSystem]]:
    a, b = akt.ActorSystem("pysa"), akt.ActorSystem("pysb")
    a.remote_start()
    b.remote_start()
    try:
        yield a, b
    finally:
        a.shutdown(timeout=10)
        b.shutdown(timeout=10)


class Target(akt.Actor):
    """Records elements; acks at once when open, else owes the acks until "open"."""

    def __init__(self, open: bool = False) -> None:
        self.got: list = []
        self.owed: list = []
        self.open = open
        self.max_owed = 0
        self.done_at = -1

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        if msg == "open":
            self.open = True
            for sender in self.owed:
                sender.tell("ack")
            self.owed.clear()
            return
        if msg == "done":
            self.done_at = len(self.got)
            return
        self.got.append(msg)
        if self.open:
            ctx.respond("ack")
        else:
            self.owed.append(ctx.sender)
            self.max_owed = max(self.max_owed, len(self.owed))


def test_remote_sink_in_order_at_most_in_flight(nodes: Any) -> None:
    a, b = nodes
    t = Target()
    local = b.spawn("target", t)
    target = a.remote_lookup(b.remote_address() + "/user/target")
    s = Source.range(0, 1000).run_with(Sink.actor(target, 3, on_complete="done"), a)
    wait_for(lambda: len(t.got) == 3)
    time.sleep(0.1)
    assert len(t.got) == 3 and t.max_owed == 3  # nothing more crosses without an ack
    local.tell("open")
    assert s.result(timeout=20) is None
    wait_for(lambda: t.done_at >= 0)
    assert t.got == list(range(1000)) and t.done_at == 1000 and t.max_owed == 3


def test_remote_sink_node_lost_fails_the_stream(nodes: Any) -> None:
    a, b = nodes
    t = Target()
    b.spawn("target", t)
    target = a.remote_lookup(b.remote_address() + "/user/target")
    s = Source.range(0, 1_000_000).run_with(Sink.actor(target, 2), a)
    wait_for(lambda: len(t.got) == 2)
    b.shutdown(timeout=10)
    with pytest.raises(akt.ActorStopped, match="the target actor stopped"):
        s.result(timeout=20)


def test_source_ref_paced_by_the_stream(nodes: Any) -> None:
    a, b = nodes
    t = Target()
    tp = a.spawn("target", t)
    s = Source.actor_ref(4).window(4).run_with(Sink.actor(tp, 2, on_complete="done"), a)
    assert s.source_address.startswith(a.remote_address() + "/user/")
    src = b.remote_lookup(s.source_address)
    # The target acks nothing: 4 + 4 + 2 are answered, the next 3 asks wait unanswered.
    futs = [src.ask_future(i, 30) for i in range(13)]
    wait_for(lambda: sum(f.done() for f in futs) == 10)
    time.sleep(0.2)
    assert [f.done() for f in futs] == [True] * 10 + [False] * 3
    assert all(f.result() == ACK for f in futs[:10])
    tp.tell("open")
    assert all(f.result(10) == ACK for f in futs)
    ref = SourceRef(src, in_flight=3)
    for i in range(13, 300):
        ref.push(i)
    ref.complete()
    assert s.result(timeout=20) is None
    wait_for(lambda: t.done_at >= 0)
    assert t.got == list(range(300)) and t.done_at == 300
    with pytest.raises(akt.AktError):  # the source is gone (or answers CLOSED)
        if src.ask_sync(-1, timeout=5) == CLOSED:
            raise akt.ActorStopped("closed")


def test_stream_feeds_a_stream_on_another_node(nodes: Any) -> None:
    a, b = nodes
    sa = Source.actor_ref(2).map(lambda x: x * 10).run_with(Sink.collect(), a)
    src = b.remote_lookup(sa.source_address)
    sb = Source.range(0, 500).run_with(Sink.actor(src, 3, on_complete=END), b)
    assert sb.result(timeout=20) is None
    assert sa.result(timeout=20) == [x * 10 for x in range(500)]


def test_source_ref_producer_node_lost(nodes: Any) -> None:
    a, b = nodes
    t = Target()
    tp = a.spawn("target", t)
    sa = Source.actor_ref(4).run_with(Sink.actor(tp, 2), a)
    src = b.remote_lookup(sa.source_address)
    Source.range(0, 1_000_000).run_with(Sink.actor(src, 3, on_complete=END), b)
    wait_for(lambda: len(t.got) == 2)
    time.sleep(0.1)  # B's 3 in flight wait, unanswered, on A
    b.shutdown(timeout=10)
    with pytest.raises(akt.ActorStopped, match="the producer stopped before the end"):
        sa.result(timeout=20)


def test_source_ref_local_and_misuse() -> None:
    with akt.ActorSystem("pysl") as a:
        s = Source.actor_ref(8).run_with(Sink.collect(), a)
        for i in range(5):
            s.source_pid.tell(i)
        assert s.source_pid.ask_sync(5, timeout=10) == ACK
        with pytest.raises(akt.ActorNotFound):
            s.source_address  # no remoting on this system
        s.complete()
        assert s.result(timeout=10) == list(range(6))
        q = Source.queue(2).run_with(Sink.ignore(), a)
        with pytest.raises(akt.InvalidArgument):
            q.source_pid
        q.cancel()
        with pytest.raises(ValueError):  # checked when run
            Source.actor_ref(0).run_with(Sink.ignore(), a)
        with pytest.raises(ValueError):
            SourceRef(s.source_pid, in_flight=0)
