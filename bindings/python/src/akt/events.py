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
    ACTOR_STOPPED = lib.AKT_EVENT_ACTOR_STOPPED
    ACTOR_RESTARTED = lib.AKT_EVENT_ACTOR_RESTARTED
    DEAD_LETTER = lib.AKT_EVENT_DEAD_LETTER
    UNHANDLED = lib.AKT_EVENT_UNHANDLED
    ACTOR_FAILED = lib.AKT_EVENT_ACTOR_FAILED
    ACTOR_SUSPENDED = lib.AKT_EVENT_ACTOR_SUSPENDED
    ACTOR_REINSTATED = lib.AKT_EVENT_ACTOR_REINSTATED
    ACTOR_PASSIVATED = lib.AKT_EVENT_ACTOR_PASSIVATED
    ALL = lib.AKT_EVENT_ALL


@dataclass(frozen=True)
class Event:
    """One event. ``pid``/``path``: the actor concerned (the intended receiver of a dead
    letter); ``sender`` and ``message``: for dead letters and unhandled messages;
    ``code`` and ``reason``: for failures (a Python actor's reason is its exception's
    message, and ``traceback`` has the formatted traceback)."""

    kind: EventKind
    pid: Optional["Pid"]
    path: Optional[str]
    sender: Optional["Pid"]
    message: Any
    code: int
    reason: Optional[str]
    traceback: Optional[str] = None

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
