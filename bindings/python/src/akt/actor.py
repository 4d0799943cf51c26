"""What a user subclasses (Actor) and how a parent handles failures (Supervisor)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Optional

from ._lib import lib
from .errors import AktError, error_for

if TYPE_CHECKING:
    from ._fast import Context


class Actor:
    """Base class of Python actors.

    akt calls ``pre_start`` before the first message (and after a restart), ``receive`` for
    every message, one at a time, and ``post_stop`` when the actor stops (and before a
    restart). An exception raised by ``receive`` or ``pre_start`` is a failure that the
    parent's supervisor handles, exactly like a failing C actor.
    """

    def pre_start(self, ctx: "Context") -> None:
        """Runs before the first message and again after a restart."""

    def receive(self, ctx: "Context", msg: Any) -> None:
        """Handles one message. Call ``ctx.unhandled()`` for messages it does not know."""
        ctx.unhandled()

    def post_stop(self, ctx: "Context") -> None:
        """Runs when the actor stops (after its children) and before a restart."""


class Directive(enum.IntEnum):
    """What a supervisor does with a failed child."""

    RESTART = lib.AKT_DIRECTIVE_RESTART
    RESUME = lib.AKT_DIRECTIVE_RESUME
    STOP = lib.AKT_DIRECTIVE_STOP
    ESCALATE = lib.AKT_DIRECTIVE_ESCALATE


Decider = Callable[[AktError, Optional[str]], Directive]


@dataclass(frozen=True)
class Supervisor:
    """One-for-one supervision of an actor's children (or of top-level actors, given to
    the ActorSystem). ``decide(error, reason)`` picks a directive per failure; it gets the
    failure's code as an AktError and the reason (a Python traceback for Python actors).
    Without ``decide`` (or when it raises) every failure gets ``directive``."""

    directive: Directive = Directive.RESTART
    decide: Optional[Decider] = None
    _decide: Optional[Callable[[int, Optional[str]], int]] = field(
        default=None, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if self.decide is not None:
            user = self.decide

            def c_decide(code: int, reason: Optional[str]) -> int:
                return int(user(error_for(code, "failure"), reason))

            object.__setattr__(self, "_decide", c_decide)
