"""Mailboxes: the spawn option ``mailbox=`` (the default is an unbounded FIFO).

``Bounded(64, when_full="fail")`` keeps at most 64 waiting messages; a tell to a full one
raises ``MailboxFullError`` (``"fail"``, the message is not sent), sends the message to dead
letters with the reason ``"mailbox full"`` (``"drop"``), or waits up to ``timeout`` seconds
for room (``"block"``; a tell from inside an actor never waits: it raises at once, and a
wait that runs out raises ``AskTimeout``). ``Fair()`` serves its senders round-robin, one
message each in turn. ``Priority(key=lambda msg: ...)`` hands out the waiting message with
the lowest key first (as ``sorted`` and ``heapq`` do), equal keys in arrival order; the key
runs on the actor's thread with the GIL, a few times per message (log n comparisons), and a
key that raises counts as equal."""
from __future__ import annotations

from typing import Any, Callable, Literal, Optional

from ._lib import lib

WhenFull = Literal["fail", "drop", "block"]
_WHEN_FULL = {"fail": lib.AKT_MAILBOX_FAIL, "drop": lib.AKT_MAILBOX_DROP,
              "block": lib.AKT_MAILBOX_BLOCK}


class Mailbox:
    """A mailbox kind with an optional bound; make one with Bounded() or Fair()."""

    __slots__ = ("kind", "capacity", "when_full", "timeout", "key")

    def __init__(self, kind: int, capacity: int = 0, when_full: WhenFull = "fail",
                 timeout: Optional[float] = None,
                 key: Optional[Callable[[Any], Any]] = None) -> None:
        if not isinstance(capacity, int) or isinstance(capacity, bool) or not (
                0 <= capacity <= 2**31 - 1):
            raise ValueError(f"capacity must be an int in [0, 2**31 - 1], not {capacity!r}")
        if when_full not in _WHEN_FULL:
            raise ValueError(f"when_full must be 'fail', 'drop' or 'block', not {when_full!r}")
        if when_full == "block" and capacity and (timeout is None or timeout <= 0):
            raise ValueError("when_full='block' needs a timeout > 0 (seconds)")
        if kind == lib.AKT_MAILBOX_PRIORITY and not callable(key):
            raise TypeError("Priority needs a callable key")
        self.key = key
        """Priority's key: ``key(msg)`` orders the waiting messages, lowest first; None for the
        other kinds."""
        self.kind = kind
        """Which kind of mailbox, as akt's int: ``AKT_MAILBOX_FIFO`` (Bounded),
        ``AKT_MAILBOX_FAIR`` (Fair) or ``AKT_MAILBOX_PRIORITY`` (Priority)."""
        self.capacity = capacity
        """The most messages that may wait in it; 0: unbounded (``when_full`` then never
        applies)."""
        self.when_full = when_full
        """What a send to a full mailbox does: ``"fail"`` (raise MailboxFullError, not sent),
        ``"drop"`` (a dead letter with the reason ``"mailbox full"``) or ``"block"`` (wait up to
        ``timeout`` for room)."""
        self.timeout = timeout
        """For ``when_full="block"``: how long a send waits for room, in seconds (then
        AskTimeout); only ``"block"`` uses it. None when not given."""

    def _spec(self) -> tuple[int, int, int, int]:
        ns = int(self.timeout * 1e9) if self.timeout else 0
        return (self.kind, self.capacity, _WHEN_FULL[self.when_full], ns)

    def __repr__(self) -> str:
        kind = {lib.AKT_MAILBOX_FIFO: "fifo", lib.AKT_MAILBOX_FAIR: "fair",
                lib.AKT_MAILBOX_PRIORITY: "priority"}.get(self.kind, "?")
        return (f"Mailbox({kind}, capacity={self.capacity}, when_full={self.when_full!r}, "
                f"timeout={self.timeout!r})")


def Bounded(capacity: int, when_full: WhenFull = "fail",
            timeout: Optional[float] = None) -> Mailbox:
    """A FIFO mailbox of at most ``capacity`` (> 0) waiting messages."""
    if not isinstance(capacity, int) or capacity <= 0:
        raise ValueError(f"a bounded mailbox needs a capacity > 0, not {capacity!r}")
    return Mailbox(lib.AKT_MAILBOX_FIFO, capacity, when_full, timeout)


def Fair(capacity: int = 0, when_full: WhenFull = "fail",
         timeout: Optional[float] = None) -> Mailbox:
    """Per-sender sub-queues served round-robin; optionally bounded as Bounded is."""
    return Mailbox(lib.AKT_MAILBOX_FAIR, capacity, when_full, timeout)


def Priority(key: Callable[[Any], Any], capacity: int = 0, when_full: WhenFull = "fail",
             timeout: Optional[float] = None) -> Mailbox:
    """The waiting message with the lowest ``key(msg)`` first, ties in arrival order;
    optionally bounded as Bounded is."""
    return Mailbox(lib.AKT_MAILBOX_PRIORITY, capacity, when_full, timeout, key)
