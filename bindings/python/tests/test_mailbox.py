"""Mailboxes as a spawn option: bounded (fail, drop, block) and fair."""

from __future__ import annotations

import threading
from typing import Any, Iterator

import pytest

import akt
from actors import wait_for


@pytest.fixture
def workers() -> Iterator[akt.ActorSystem]:
    s = akt.ActorSystem("mb", dispatcher="workers")
    yield s
    assert s.shutdown(timeout=10)


class Slow(akt.Actor):
    """Blocks in "hold" until released; records everything else."""

    def __init__(self) -> None:
        self.held = threading.Event()
        self.release = threading.Event()
        self.seen: list[Any] = []

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        if msg == "hold":
            self.held.set()
            assert self.release.wait(10)
        else:
            self.seen.append(msg)


def held_full(system: akt.ActorSystem, mailbox: akt.Mailbox, n: int) -> tuple[Slow, akt.Pid]:
    a = Slow()
    pid = system.spawn(None, a, mailbox=mailbox)
    pid.tell("hold")
    assert a.held.wait(10)
    for i in range(n):
        pid.tell(i)
    return a, pid


def test_bounded_fail_raises_and_keeps_nothing(workers: akt.ActorSystem) -> None:
    a, pid = held_full(workers, akt.Bounded(4, when_full="fail"), 4)
    with pytest.raises(akt.MailboxFullError) as e:
        pid.tell("refused")
    assert e.value.name == "AKT_EFULL"
    a.release.set()
    wait_for(lambda: len(a.seen) == 4)
    pid.tell("later")  # room again
    wait_for(lambda: a.seen == [0, 1, 2, 3, "later"])


def test_bounded_drop_goes_to_dead_letters(workers: akt.ActorSystem) -> None:
    reasons: list[str] = []
    with workers.on_dead_letter(lambda ev: reasons.append(ev.reason)):
        a, pid = held_full(workers, akt.Bounded(2, when_full="drop"), 2)
        pid.tell("dropped")  # accepted: no exception
        wait_for(lambda: reasons == ["mailbox full"])
        a.release.set()
        wait_for(lambda: a.seen == [0, 1])


def test_bounded_block_times_out(workers: akt.ActorSystem) -> None:
    a, pid = held_full(workers, akt.Bounded(1, when_full="block", timeout=0.05), 1)
    with pytest.raises(akt.AskTimeout):
        pid.tell("late")
    a.release.set()
    wait_for(lambda: a.seen == [0])


class Sender(akt.Actor):
    def __init__(self, target: akt.Pid, tag: str) -> None:
        self.target, self.tag = target, tag

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        for i in range(1, 4):
            ctx.tell(self.target, f"{self.tag}{i}")
        ctx.respond("done")


def test_fair_serves_senders_round_robin(workers: akt.ActorSystem) -> None:
    a = Slow()
    pid = workers.spawn(None, a, mailbox=akt.Fair())
    pid.tell("hold")
    assert a.held.wait(10)
    for tag in "ABC":
        assert workers.spawn(None, Sender(pid, tag)).ask_sync("go", timeout=5) == "done"
    a.release.set()
    wait_for(lambda: len(a.seen) == 9)
    assert a.seen == ["A1", "B1", "C1", "A2", "B2", "C2", "A3", "B3", "C3"]


def test_priority_lowest_key_first_stable(workers: akt.ActorSystem) -> None:
    a = Slow()
    pid = workers.spawn(None, a, mailbox=akt.Priority(key=lambda m: m[0] if isinstance(m, tuple) else 0))
    pid.tell("hold")
    assert a.held.wait(10)
    for m in [(3, "a"), (1, "b"), (3, "c"), (0, "d"), (1, "e")]:
        pid.tell(m)
    a.release.set()
    wait_for(lambda: len(a.seen) == 5)
    assert [m[1] for m in a.seen] == ["d", "b", "e", "a", "c"]


def test_bad_mailboxes(workers: akt.ActorSystem) -> None:
    with pytest.raises(ValueError):
        akt.Bounded(0)
    with pytest.raises(ValueError):
        akt.Bounded(4, when_full="sometimes")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        akt.Bounded(4, when_full="block")  # no timeout
    with pytest.raises(TypeError):
        workers.spawn(None, Slow(), mailbox=64)
    with pytest.raises(TypeError):
        akt.Priority(key=None)  # type: ignore[arg-type]
