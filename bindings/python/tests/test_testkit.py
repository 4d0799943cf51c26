"""akt.testkit: each expectation holds when it should and fails when it should."""

from __future__ import annotations

import time
from typing import Any

import pytest

import akt
from akt.testkit import ProbeError, TestProbe


class Echo(akt.Actor):
    """Tells what it gets to the probe it names: (probe pid, value)."""

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        to, value = msg
        to.tell(value)


def test_expect_message_gets_what_an_actor_told(akt_system: akt.ActorSystem,
                                               probe: TestProbe) -> None:
    echo = akt_system.spawn("echo", Echo())
    echo.tell((probe.pid, "hello"))
    assert probe.expect_message(within=2.0) == "hello"


def test_expect_message_fails_after_its_deadline(probe: TestProbe) -> None:
    t0 = time.monotonic()
    with pytest.raises(ProbeError, match="expected a message within 0.05 s, got none"):
        probe.expect_message(within=0.05)
    assert time.monotonic() - t0 >= 0.05


def test_expect_message_of_checks_the_class(probe: TestProbe) -> None:
    probe.pid.tell("text")
    with pytest.raises(ProbeError, match="expected a int, got str 'text'"):
        probe.expect_message_of(int, within=2.0)
    probe.pid.tell(7)
    assert probe.expect_message_of(int, within=2.0) == 7


def test_expect_match_uses_the_predicate(probe: TestProbe) -> None:
    probe.pid.tell(1)
    probe.pid.tell(2)

    def even(n: Any) -> bool:
        return n % 2 == 0

    with pytest.raises(ProbeError, match="matching even, got int 1"):
        probe.expect_match(even, within=2.0)
    assert probe.expect_match(even, within=2.0) == 2


def test_expect_no_message(probe: TestProbe) -> None:
    probe.expect_no_message(for_=0.02)
    probe.pid.tell("late")
    with pytest.raises(ProbeError, match="expected no message for 2 s, got str 'late'"):
        probe.expect_no_message(for_=2.0)


class Quiet(akt.Actor):
    def receive(self, ctx: akt.Context, msg: Any) -> None:
        pass


def test_expect_terminated(akt_system: akt.ActorSystem, probe: TestProbe) -> None:
    pid = akt_system.spawn(None, Quiet())
    with pytest.raises(ProbeError, match="got none"):
        probe.expect_terminated(pid, within=0.05)  # still running
    pid.stop()
    probe.expect_terminated(pid, within=2.0)
    probe.expect_terminated(pid, within=2.0)  # gone already: at once
    other = akt_system.spawn(None, Quiet())
    probe.pid.tell("first")
    with pytest.raises(ProbeError, match="expected the Terminated of .*, got str 'first'"):
        probe.expect_terminated(other, within=2.0)


def test_two_probes_in_one_system(akt_system: akt.ActorSystem) -> None:
    a, b = TestProbe(akt_system), TestProbe(akt_system, name="b")
    a.pid.tell(1)
    b.expect_no_message(for_=0.02)
    assert a.expect_message(within=2.0) == 1
    assert b.pid.path.endswith("/user/b")
