"""Passivation (akt.h, "Passivation"): an idle actor stops itself. Off unless asked for:
per actor with ``system.spawn(..., passivation=...)``, or for every actor spawned afterwards
with ``system.set_default_passivation(...)``.

    system.spawn("cart", Cart(), passivation=akt.Passivation.idle(120.0))
    system.spawn("job", Job(), passivation=akt.Passivation.after_messages(1))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from ._lib import ffi, lib
from .errors import error_for

if TYPE_CHECKING:
    from .pid import Pid

_NS = 1_000_000_000
_MAX = (1 << 62) - 1


@dataclass(frozen=True)
class Passivation:
    """A strategy: ``idle(seconds)``, ``after_messages(n)`` or ``LONG_LIVED`` (never)."""

    LONG_LIVED: ClassVar["Passivation"]
    """Never passivate: the actor runs until it is stopped, as every actor does unless
    ``set_default_passivation`` set a default. Given to ``spawn`` it exempts that actor
    from the system's default."""
    strategy: int
    """Which strategy: akt's ``AKT_PASSIVATE_NEVER`` (0, LONG_LIVED), ``AKT_PASSIVATE_IDLE``
    (1, ``idle``) or ``AKT_PASSIVATE_MESSAGES`` (2, ``after_messages``)."""
    idle_ns: int = 0
    """For ``idle``: the idle time in nanoseconds (> 0); 0 for the other strategies."""
    messages: int = 0
    """For ``after_messages``: how many messages the actor handles before it passivates (>= 1);
    0 for the other strategies."""

    @classmethod
    def idle(cls, seconds: float) -> "Passivation":
        """Passivate after ``seconds`` without a message (checked between ``seconds`` and
        twice that after the last one)."""
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
            raise TypeError(f"seconds must be a number, not {type(seconds).__name__}")
        ns = round(seconds * _NS)
        if not 0 < ns <= _MAX:
            raise ValueError(f"the idle time must be > 0 seconds, not {seconds!r}")
        return cls(lib.AKT_PASSIVATE_IDLE, idle_ns=ns)

    @classmethod
    def after_messages(cls, n: int) -> "Passivation":
        """Passivate once ``n`` messages were handled and the mailbox is empty."""
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"n must be an int, not {type(n).__name__}")
        if not 1 <= n <= _MAX:
            raise ValueError(f"n must be >= 1, not {n}")
        return cls(lib.AKT_PASSIVATE_MESSAGES, messages=n)

    def _c(self) -> Any:
        p = ffi.new("akt_passivation *")
        p.size = ffi.sizeof("akt_passivation")
        p.strategy = self.strategy
        p.idle_ns = self.idle_ns
        p.messages = self.messages
        return p


Passivation.LONG_LIVED = Passivation(lib.AKT_PASSIVATE_NEVER)


def _check_strategy(p: Any) -> "Passivation":
    if not isinstance(p, Passivation):
        raise TypeError(f"passivation must be an akt.Passivation, not {type(p).__name__}")
    return p


def set_for(system: Any, pid: "Pid", p: Passivation) -> None:
    c_pid = ffi.new("akt_pid *")
    c_pid.id = pid.id
    rc = lib.akt_passivation_set(ffi.cast("akt_system *", system._address), c_pid[0],
                                 _check_strategy(p)._c())
    if rc:
        raise error_for(rc, f"passivation of {pid!r}")


def set_default(system: Any, p: "Passivation | None") -> None:
    rc = lib.akt_system_set_passivation(ffi.cast("akt_system *", system._address),
                                        ffi.NULL if p is None else _check_strategy(p)._c())
    if rc:
        raise error_for(rc, "set_default_passivation")


def set_guardian(system: Any, policy: str) -> None:
    codes = {"stop_actor": lib.AKT_GUARDIAN_STOP_ACTOR, "shutdown": lib.AKT_GUARDIAN_SHUTDOWN}
    if policy not in codes:
        raise ValueError(f"guardian policy must be 'stop_actor' or 'shutdown', not {policy!r}")
    system._set_guardian(codes[policy])
