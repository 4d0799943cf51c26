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


class Strategy(enum.IntEnum):
    """Which children a directive applies to: the failed one, or all of its siblings too.
    For top-level actors ONE_FOR_ALL acts as ONE_FOR_ONE (unrelated actors are never
    restarted together): group actors under a parent for one-for-all."""

    ONE_FOR_ONE = lib.AKT_STRATEGY_ONE_FOR_ONE
    ONE_FOR_ALL = lib.AKT_STRATEGY_ONE_FOR_ALL


Decider = Callable[[AktError, Optional[str]], Directive]


@dataclass(frozen=True)
class Supervisor:
    """Supervision of an actor's children (or of top-level actors, given to the
    ActorSystem). ``decide(error, reason)`` picks a directive per failure; it gets the
    failure's code as an AktError and the reason (a Python traceback for Python actors).
    Without ``decide`` (or when it raises) every failure gets ``directive``.
    ``strategy``: Strategy.ONE_FOR_ONE or ONE_FOR_ALL. ``max_retries``/``within``: a child
    failing more than ``max_retries`` times within ``within`` seconds is stopped (0 = no
    budget). Bad values raise ValueError (TypeError for wrong types)."""

    directive: Directive = Directive.RESTART
    decide: Optional[Decider] = None
    strategy: Strategy = Strategy.ONE_FOR_ONE
    max_retries: int = 0
    within: Optional[float] = None
    _decide: Optional[Callable[[int, Optional[str]], int]] = field(
        default=None, init=False, repr=False, compare=False
    )
    _within_ns: int = field(default=0, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.strategy, int) or isinstance(self.strategy, bool):
            raise TypeError("strategy must be an akt.Strategy")
        if self.strategy not in (Strategy.ONE_FOR_ONE, Strategy.ONE_FOR_ALL):
            raise ValueError(f"unknown supervisor strategy {self.strategy!r}")
        object.__setattr__(self, "strategy", Strategy(self.strategy))
        if not isinstance(self.max_retries, int) or isinstance(self.max_retries, bool):
            raise TypeError("max_retries must be an int")
        if not 0 <= self.max_retries <= 0xFFFFFFFF:
            raise ValueError("max_retries must be between 0 and 2**32-1")
        if self.within is not None:
            if not isinstance(self.within, (int, float)) or isinstance(self.within, bool):
                raise TypeError("within must be a number of seconds")
            if not self.within > 0 or self.within * 1e9 >= 2**63:
                raise ValueError("within must be a positive number of seconds")
            object.__setattr__(self, "_within_ns", max(1, int(self.within * 1e9)))
        if self.max_retries and self.within is None:
            raise ValueError("max_retries needs a window: within=<seconds>")
        if self.decide is not None:
            user = self.decide

            def c_decide(code: int, reason: Optional[str]) -> int:
                return int(user(error_for(code, "failure"), reason))

            object.__setattr__(self, "_decide", c_decide)
