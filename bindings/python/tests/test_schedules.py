"""Schedules: schedule_once / schedule_every, pause / resume / cancel, the listing, the end
of an actor's schedules and dead letters for a gone target."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

import akt
from actors import wait_for


class Ticks(akt.Actor):
    """Counts "tick"s and remembers their senders; "get" answers the count. With
    cancel_ref set, it cancels that schedule at its first tick."""

    def __init__(self, cancel_ref: str = "") -> None:
        self.n = 0
        self.senders: list[Any] = []
        self.cancel_ref = cancel_ref
        self.cancel_error: Any = None

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        if msg == "get":
            ctx.respond(self.n)
            return
        self.n += 1
        self.senders.append(ctx.sender)
        if self.cancel_ref and self.n == 1:
            ctx.system.cancel_schedule(self.cancel_ref)


def count(pid: akt.Pid) -> int:
    return pid.ask_sync("get", timeout=5)


def test_once_fires_once_with_a_generated_reference(any_system: akt.ActorSystem) -> None:
    pid = any_system.spawn(None, Ticks())
    ref = any_system.schedule_once(pid, "tick", delay=0.01)
    assert len(ref) == 36 and ref[14] == "4"
    assert wait_for(lambda: count(pid) == 1)
    assert wait_for(lambda: any_system.schedules() == [])
    time.sleep(0.03)
    assert count(pid) == 1
    with pytest.raises(akt.ActorNotFound):
        any_system.cancel_schedule(ref)


def test_every_with_sender_until_cancelled(any_system: akt.ActorSystem) -> None:
    actor = Ticks()
    pid = any_system.spawn(None, actor)
    other = any_system.spawn(None, Ticks())
    ref = any_system.schedule_every(pid, "tick", 0.005, initial_delay=0, reference="every",
                                    sender=other)
    assert ref == "every"
    info = any_system.schedules()
    assert [(i.reference, i.target, i.sender, i.kind, i.paused) for i in info] == [
        ("every", pid, other, "every", False)]
    assert info[0].interval == pytest.approx(0.005)
    assert wait_for(lambda: count(pid) >= 3)
    any_system.cancel_schedule("every")
    n = count(pid)
    time.sleep(0.04)
    assert count(pid) == n
    assert actor.senders[0] == other
    assert any_system.schedules() == []


def test_errors(system: akt.ActorSystem) -> None:
    pid = system.spawn(None, Ticks())
    system.schedule_once(pid, "tick", 3600, reference="dup")
    with pytest.raises(akt.ScheduleExists) as e:
        system.schedule_once(pid, "tick", 1, reference="dup")
    assert "'dup'" in str(e.value)
    assert isinstance(e.value, akt.NameTaken) and e.value.reference == "dup"
    assert e.value.name == "AKT_EEXIST"
    with pytest.raises(ValueError):
        system.schedule_once(pid, "tick", -1)
    with pytest.raises(ValueError):
        system.schedule_every(pid, "tick", 0)
    with pytest.raises(ValueError):
        system.schedule_once(pid, "tick", 1, reference="")
    with pytest.raises(TypeError):
        system.schedule_once(pid, "tick", "soon")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        system.schedule_once("pid", "tick", 1)  # type: ignore[arg-type]
    for op in (system.pause_schedule, system.resume_schedule, system.cancel_schedule):
        with pytest.raises(akt.ScheduleNotFound) as nf:
            op("nope")
        assert isinstance(nf.value, akt.ActorNotFound) and isinstance(nf.value, LookupError)
        assert nf.value.reference == "nope" and "'nope'" in str(nf.value)
        assert nf.value.code == akt.ActorNotFound.code
    system.cancel_schedule("dup")
    system.schedule_once(pid, "tick", 0, reference="dup")  # free again
    assert wait_for(lambda: count(pid) == 1)


def test_pause_and_resume_without_a_burst(any_system: akt.ActorSystem) -> None:
    pid = any_system.spawn(None, Ticks())
    any_system.schedule_every(pid, "tick", 0.005, initial_delay=0, reference="p")
    assert wait_for(lambda: count(pid) >= 2)
    any_system.pause_schedule("p")
    n = count(pid)
    assert [i.paused for i in any_system.schedules()] == [True]
    time.sleep(0.1)
    assert count(pid) == n
    any_system.resume_schedule("p")
    assert wait_for(lambda: count(pid) >= n + 1)
    assert count(pid) <= n + 6  # the twenty missed ticks do not come as a burst
    any_system.cancel_schedule("p")


def test_cancel_inside_receive(system: akt.ActorSystem) -> None:
    pid = system.spawn(None, Ticks(cancel_ref="mine"))
    system.schedule_every(pid, "tick", 0.02, initial_delay=0, reference="mine")
    assert wait_for(lambda: count(pid) == 1)
    time.sleep(0.06)
    assert count(pid) == 1
    assert system.schedules() == []


def test_cancel_from_threads_racing_the_fire(system: akt.ActorSystem) -> None:
    pid = system.spawn(None, Ticks())
    fired = []

    def run() -> None:
        k = 0
        for i in range(100):
            ref = system.schedule_once(pid, "tick", (i % 3) * 0.00002)
            try:
                system.cancel_schedule(ref)
            except akt.ActorNotFound:
                k += 1
        fired.append(k)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wait_for(lambda: count(pid) == sum(fired))
    time.sleep(0.02)
    assert count(pid) == sum(fired)


def test_a_stopped_actor_loses_its_schedules_and_a_gone_target_is_a_dead_letter(
        system: akt.ActorSystem) -> None:
    dead: list[akt.Event] = []
    with system.on_dead_letter(dead.append):
        pid = system.spawn(None, Ticks())
        system.schedule_every(pid, "tick", 3600, reference="a")
        system.schedule_once(pid, "tick", 3600, reference="b")
        system.pause_schedule("b")
        assert len(system.schedules()) == 2
        pid.stop_graceful_sync(timeout=5)
        assert wait_for(lambda: system.schedules() == [])
        system.schedule_once(pid, "late", 0.001, reference="to-the-dead")
        assert wait_for(lambda: len(dead) == 1)
        assert dead[0].pid == pid and dead[0].message == "late"
        assert system.schedules() == []


def test_shutdown_ends_every_schedule() -> None:
    system = akt.ActorSystem("sched")
    pid = system.spawn(None, Ticks())
    for i in range(100):
        system.schedule_once(pid, ("big", i), 3600)
    system.schedule_every(pid, "tick", 10, reference="e")
    assert len(system.schedules()) == 101
    assert system.shutdown(timeout=10)
    with pytest.raises(akt.SystemClosed):
        system.schedule_once(pid, "tick", 1)


def test_cron_every_second_pause_resume_cancel(system: akt.ActorSystem) -> None:
    actor = Ticks()
    pid = system.spawn(None, actor)
    other = system.spawn(None, Ticks())
    ref = system.schedule_cron(pid, "tick", "* * * * * ?", utc=True, reference="cron",
                               sender=other)
    assert ref == "cron"
    [info] = system.schedules()
    assert (info.kind, info.expression, info.utc, info.paused, info.interval) == (
        "cron", "* * * * * ?", True, False, None)
    assert wait_for(lambda: count(pid) >= 2, timeout=5)
    assert actor.senders[0] == other
    system.pause_schedule("cron")
    n = count(pid)
    assert system.schedules()[0].paused
    time.sleep(1.5)  # a tick missed
    assert count(pid) == n
    system.resume_schedule("cron")
    assert wait_for(lambda: count(pid) >= n + 1, timeout=5)
    system.cancel_schedule("cron")
    n = count(pid)
    time.sleep(1.2)
    assert count(pid) == n
    assert system.schedules() == []


def test_cron_errors(system: akt.ActorSystem) -> None:
    pid = system.spawn(None, Ticks())
    with pytest.raises(akt.CronSyntaxError) as e:
        system.schedule_cron(pid, "tick", "0 0 25 * * ?")
    assert e.value.column == 5
    assert isinstance(e.value, akt.InvalidArgument)
    with pytest.raises(TypeError):
        system.schedule_cron(pid, "tick", 5)  # type: ignore[arg-type]
    with pytest.raises(akt.ActorNotFound):
        system.schedule_cron(pid, "tick", "0 0 0 1 1 ? 1999")
    ref = system.schedule_cron(pid, "tick", "0 0 0 1 1 ?")  # local time, far away
    assert len(ref) == 36
    [info] = system.schedules()
    assert (info.kind, info.utc) == ("cron", False)
    with pytest.raises(akt.NameTaken):
        system.schedule_cron(pid, "tick", "* * * * * ?", reference=ref)
    system.cancel_schedule(ref)
