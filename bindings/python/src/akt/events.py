"""The event stream: actor lifecycle, failures, unhandled messages and dead letters."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from ._lib import lib
from .errors import AktError, error_for

if TYPE_CHECKING:
    from .pid import Pid


class EventKind(enum.IntFlag):
    """Kinds of events; combine them with ``|`` to subscribe to several."""

    ACTOR_STARTED = lib.AKT_EVENT_ACTOR_STARTED
    """An actor started: its ``pre_start`` (if any) succeeded."""
    ACTOR_STOPPED = lib.AKT_EVENT_ACTOR_STOPPED
    """An actor stopped; its pid is stale from then on."""
    ACTOR_RESTARTED = lib.AKT_EVENT_ACTOR_RESTARTED
    """An actor restarted: ``pre_start`` after the restart succeeded."""
    DEAD_LETTER = lib.AKT_EVENT_DEAD_LETTER
    """A message nobody will handle (its receiver is gone, a full mailbox dropped it, a reply
    nobody waits for); ``sender``, ``message`` and ``reason`` say which and why."""
    UNHANDLED = lib.AKT_EVENT_UNHANDLED
    """A receive did not handle a message (``ctx.unhandled()``); ``sender`` and ``message``."""
    ACTOR_FAILED = lib.AKT_EVENT_ACTOR_FAILED
    """A callback of an actor failed (raised, or returned a failure code); ``code``,
    ``reason`` and, for a Python actor, ``traceback``."""
    ACTOR_SUSPENDED = lib.AKT_EVENT_ACTOR_SUSPENDED
    """Its supervisor suspended an actor (Directive.SUSPEND); ``code`` and ``reason`` are the
    failure's."""
    ACTOR_REINSTATED = lib.AKT_EVENT_ACTOR_REINSTATED
    """A suspended actor was resumed (``pid.reinstate()``)."""
    ACTOR_PASSIVATED = lib.AKT_EVENT_ACTOR_PASSIVATED
    """Passivation stopped an idle actor; an ACTOR_STOPPED event follows."""
    ALL = lib.AKT_EVENT_ALL
    """Every kind, including kinds a later version adds."""


@dataclass(frozen=True)
class Event:
    """One event. ``pid``/``path``: the actor concerned (the intended receiver of a dead
    letter); ``sender`` and ``message``: for dead letters and unhandled messages;
    ``code`` and ``reason``: for failures (a Python actor's reason is its exception's
    message, and ``traceback`` has the formatted traceback)."""

    kind: EventKind
    """Which event this is: one EventKind bit."""
    pid: Optional["Pid"]
    """The actor concerned (for a dead letter, its intended receiver); None when there is none."""
    path: Optional[str]
    """That actor's path (``"akt://<system>/user/..."``), or None when it is not known."""
    sender: Optional["Pid"]
    """For DEAD_LETTER and UNHANDLED: the message's sender, None when it had none; None for
    the other kinds."""
    message: Any
    """For DEAD_LETTER and UNHANDLED: the message, as a receive would get it (None when this
    process cannot read it: an object another binding made); None for the other kinds."""
    code: int
    """For ACTOR_FAILED and ACTOR_SUSPENDED: the failure's negative AKT_E* code (``error``
    gives it as an exception); 0 otherwise."""
    reason: Optional[str]
    """For ACTOR_FAILED and ACTOR_SUSPENDED: the reason the actor gave (a Python actor's
    ``"<type>: <message>"``), or None; for DEAD_LETTER: why it is one, or None."""
    traceback: Optional[str] = None
    """For ACTOR_FAILED of a Python actor of this process: the formatted traceback of its
    exception; None otherwise."""

    @property
    def error(self) -> Optional[AktError]:
        """The failure as an exception, for ACTOR_FAILED events."""
        return error_for(self.code, "actor failed") if self.code else None


def _make_event(kind: int, pid: Any, path: Any, sender: Any, message: Any, code: int,
                reason: Any) -> Event:
    tb = None
    if kind == EventKind.ACTOR_FAILED and pid is not None:
        tb = pid.system._tracebacks.pop(pid.id, None)
    return Event(EventKind(kind), pid, path, sender, message, code, reason, tb)
