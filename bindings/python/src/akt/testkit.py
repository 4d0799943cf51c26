"""Testing actors with pytest: a probe actor and a throwaway system per test.

Load the fixtures once in a ``conftest.py``::

    pytest_plugins = ("akt.testkit",)

then ask for them::

    def test_counter(akt_system, probe):
        counter = akt_system.spawn("counter", Counter())
        counter.tell(("get", probe.pid))
        assert probe.expect_message(within=1.0) == 0
        probe.expect_no_message(for_=0.05)

Every expectation raises ``ProbeError`` (an AssertionError, so pytest shows it as a failed
assertion) saying what it expected and what came.
"""

from __future__ import annotations

import queue
from typing import Any, Callable, Iterator, Optional

import pytest

from .actor import Actor
from .messages import Terminated
from .pid import Pid
from .system import ActorSystem

__all__ = ["ProbeError", "TestProbe", "akt_system", "probe"]


class ProbeError(AssertionError):
    """An expectation of a TestProbe that did not hold."""


class _Watch:
    __slots__ = ("pid",)

    def __init__(self, pid: Pid) -> None:
        self.pid = pid


class _ProbeActor(Actor):
    def __init__(self, inbox: "queue.Queue[Any]") -> None:
        self._inbox = inbox

    def receive(self, ctx: Any, msg: Any) -> None:
        if isinstance(msg, _Watch):
            try:
                ctx.watch(msg.pid)
                return
            except Exception:  # gone already: its Terminated comes now, as a watch would
                msg = Terminated(msg.pid)
        self._inbox.put(msg)


def _what(msg: Any) -> str:
    return f"{type(msg).__name__} {msg!r}"


class TestProbe:
    """An actor that keeps what it receives for the test to expect. Tell it, or give its
    ``pid`` as the address an actor answers to."""

    __test__ = False  # not a test class, whatever pytest thinks of the name

    def __init__(self, system: ActorSystem, name: Optional[str] = None) -> None:
        self._inbox: "queue.Queue[Any]" = queue.Queue()
        self._system = system
        self.pid: Pid = system.spawn(name, _ProbeActor(self._inbox))
        """The probe actor's pid: tell it, or give it as the address an actor sends or answers to;
        what it receives the ``expect_*`` methods read."""

    def _next(self, within: float) -> Any:
        try:
            return self._inbox.get(timeout=max(within, 0.0))
        except queue.Empty:
            raise ProbeError(f"expected a message within {within:g} s, got none") from None

    def expect_message(self, within: float = 3.0) -> Any:
        """The next message, within ``within`` seconds."""
        return self._next(within)

    def expect_message_of(self, cls: type, within: float = 3.0) -> Any:
        """The next message, which must be an instance of ``cls``."""
        msg = self._next(within)
        if not isinstance(msg, cls):
            raise ProbeError(f"expected a {cls.__name__}, got {_what(msg)}")
        return msg

    def expect_match(self, predicate: Callable[[Any], bool], within: float = 3.0) -> Any:
        """The next message, for which ``predicate`` must be true."""
        msg = self._next(within)
        if not predicate(msg):
            raise ProbeError(f"expected a message matching {getattr(predicate, '__name__', predicate)}, "
                             f"got {_what(msg)}")
        return msg

    def expect_no_message(self, for_: float = 0.1) -> None:
        """No message for ``for_`` seconds."""
        try:
            msg = self._inbox.get(timeout=max(for_, 0.0))
        except queue.Empty:
            return
        raise ProbeError(f"expected no message for {for_:g} s, got {_what(msg)}")

    def expect_terminated(self, pid: Pid, within: float = 3.0) -> None:
        """Watches ``pid`` and expects its Terminated within ``within`` seconds."""
        self.pid.tell(_Watch(pid))
        msg = self._next(within)
        if not (isinstance(msg, Terminated) and msg.pid == pid):
            raise ProbeError(f"expected the Terminated of {pid}, got {_what(msg)}")

    def stop(self) -> None:
        """Stops the probe's actor."""
        self.pid.stop()


@pytest.fixture
def akt_system() -> Iterator[ActorSystem]:
    """A system for one test, shut down (and checked to be) after it."""
    system = ActorSystem("test")
    yield system
    assert system.shutdown(timeout=10), "the test's actor system did not shut down"


@pytest.fixture
def probe(akt_system: ActorSystem) -> TestProbe:
    """A TestProbe in the test's system."""
    return TestProbe(akt_system)
