"""akt.ScheduleInfo and the conversions of ActorSystem's schedule methods."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional

from ._lib import lib
from .errors import ActorNotFound, NameTaken

if TYPE_CHECKING:
    from .pid import Pid

ONCE = lib.AKT_SCHEDULE_ONCE
EVERY = lib.AKT_SCHEDULE_EVERY
CRON = lib.AKT_SCHEDULE_CRON
KINDS = {ONCE: "once", EVERY: "every", CRON: "cron"}


class ScheduleNotFound(ActorNotFound):
    """No schedule has this reference (pause_schedule, resume_schedule, cancel_schedule: it
    never existed, was cancelled, or its one fire went). ``reference``: the one asked for.
    An ActorNotFound (a LookupError), code AKT_ENOTFOUND."""

    def __init__(self, message: str, reference: str) -> None:
        super().__init__(message, lib.AKT_ENOTFOUND)
        self.reference = reference
        """The reference that was asked for and matches no schedule."""


class ScheduleExists(NameTaken):
    """Another schedule has the reference given to schedule_once / schedule_every /
    schedule_cron. ``reference``: that reference. A NameTaken, code AKT_EEXIST."""

    def __init__(self, message: str, reference: str) -> None:
        super().__init__(message, lib.AKT_EEXIST)
        self.reference = reference
        """The reference given for the new schedule, which another schedule has."""


@dataclass(frozen=True)
class ScheduleInfo:
    """One schedule that has not ended, as ``ActorSystem.schedules()`` lists it."""

    reference: str
    """The schedule's reference: the one given when it was made, or the generated UUID; what
    ``pause_schedule``, ``resume_schedule`` and ``cancel_schedule`` take."""
    target: "Pid"
    """The actor each fire tells the message to."""
    sender: "Optional[Pid]"
    """The sender the message is told with; None for none."""
    kind: str  # "once", "every" or "cron"
    """``"once"`` (``schedule_once``), ``"every"`` (``schedule_every``) or ``"cron"``
    (``schedule_cron``)."""
    paused: bool
    """True while paused (``pause_schedule``, until ``resume_schedule``)."""
    interval: Optional[float]  # seconds, for "every"; else None
    """For ``"every"``: the interval between fires, in seconds; None for the other kinds."""
    expression: Optional[str] = None  # for "cron"; else None
    """For ``"cron"``: its cron expression; None for the other kinds."""
    utc: bool = False  # for "cron": fires in UTC rather than local time
    """For ``"cron"``: True if the expression is read in UTC, False for local time (and for
    the other kinds)."""


def seconds_to_ns(value: float, what: str, *, positive: bool = False) -> int:
    """A delay or interval in seconds as akt's nanoseconds (ValueError if out of range)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{what} must be a number of seconds, not {type(value).__name__}")
    v = float(value)
    if not math.isfinite(v) or v < 0 or (positive and v <= 0) or v > 9e9:
        raise ValueError(f"{what} must be {'>' if positive else '>='} 0 seconds, got {value!r}")
    ns = int(v * 1e9)
    return max(ns, 1) if positive else ns
