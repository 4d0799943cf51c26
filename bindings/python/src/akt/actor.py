"""What a user subclasses (Actor) and how a parent handles failures (Supervisor)."""

from __future__ import annotations

import enum
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Generic, Mapping, Optional

from ._lib import lib
from ._typing import M
from .errors import AktError, error_for

if TYPE_CHECKING:
    from ._fast import Context


class Actor(Generic[M]):
    """Base class of Python actors.

    akt calls ``pre_start`` before the first message (and after a restart), ``receive`` for
    every message, one at a time, and ``post_stop`` when the actor stops (and before a
    restart). An exception raised by ``receive`` or ``pre_start`` is a failure that the
    parent's supervisor handles, exactly like a failing C actor.

    Typed: subclass ``akt.Actor[Cmd]`` and ``spawn`` returns a ``Pid[Cmd]``, to which a type
    checker lets only Cmd values be told or asked (a bare ``akt.Actor`` is
    ``Actor[Any]``). Typing only: akt still delivers whatever reaches the actor (signals
    such as akt.Terminated, messages from other languages), so ``receive`` should still
    answer the unexpected with ``ctx.unhandled()``.
    """

    def pre_start(self, ctx: "Context") -> None:
        """Runs before the first message and again after a restart."""

    def receive(self, ctx: "Context", msg: M) -> None:
        """Handles one message. Call ``ctx.unhandled()`` for messages it does not know."""
        ctx.unhandled()

    def post_stop(self, ctx: "Context") -> None:
        """Runs when the actor stops (after its children) and before a restart."""


class Directive(enum.IntEnum):
    """What a supervisor does with a failed child."""

    RESTART = lib.AKT_DIRECTIVE_RESTART
    """``post_stop``, then ``pre_start`` again (on a fresh instance when the actor was
    spawned from a factory); the mailbox is kept: the messages after the failed one are
    handled next."""
    RESUME = lib.AKT_DIRECTIVE_RESUME
    """Keep the child's state and go on with its next message (the failed one is not
    retried)."""
    STOP = lib.AKT_DIRECTIVE_STOP
    """Stop the child (and its children); what waits in its mailbox goes to dead letters."""
    ESCALATE = lib.AKT_DIRECTIVE_ESCALATE
    """Fail the parent with the child's error: the parent's own supervisor decides."""
    SUSPEND = lib.AKT_DIRECTIVE_SUSPEND
    """Keep the child's state and mailbox but handle none of its messages until
    ``pid.reinstate()``; tells and asks to it raise ActorSuspended meanwhile (replies and
    Terminated notices are kept for it), and a stop still works."""


class Strategy(enum.IntEnum):
    """Which children a directive applies to: the failed one, or all of its siblings too.
    For top-level actors ONE_FOR_ALL acts as ONE_FOR_ONE (unrelated actors are never
    restarted together): group actors under a parent for one-for-all."""

    ONE_FOR_ONE = lib.AKT_STRATEGY_ONE_FOR_ONE
    """The directive applies to the failed child only."""
    ONE_FOR_ALL = lib.AKT_STRATEGY_ONE_FOR_ALL
    """The directive applies to every child of the same parent: RESTART restarts each running
    sibling (keeping its mailbox), STOP stops them all; RESUME resumes only the failed one."""


Decider = Callable[[AktError, Optional[str]], Directive]

# The classes of recent Python failures by their reason text ("<type>: <message>", what a
# decider gets), so that a parent's class rules can match the exception a child raised.
# Bounded: a reason forgotten by then falls back to the decider.
_FAILURE_TYPES: "OrderedDict[str, type]" = OrderedDict()
_FAILURE_TYPES_MAX = 1024
_FAILURE_TYPES_LOCK = threading.Lock()


def _remember_failure(reason: str, cls: type) -> None:
    with _FAILURE_TYPES_LOCK:
        _FAILURE_TYPES[reason] = cls
        _FAILURE_TYPES.move_to_end(reason)
        while len(_FAILURE_TYPES) > _FAILURE_TYPES_MAX:
            _FAILURE_TYPES.popitem(last=False)


def _failure_type(reason: Optional[str]) -> Optional[type]:
    if reason is None:
        return None
    with _FAILURE_TYPES_LOCK:
        return _FAILURE_TYPES.get(reason)


def _match_rule(rules: tuple[Any, ...], cls: type) -> Optional[int]:
    """The directive of the most specific rule whose class cls is (a subclass of), or None."""
    best, rank = None, None
    mro = cls.__mro__
    for key, directive in rules:
        if key in mro and (rank is None or mro.index(key) < rank):
            best, rank = directive, mro.index(key)
    return best


def _seconds_ns(name: str, v: Optional[float], zero_ok: bool) -> int:
    if v is None:
        return 0
    if not isinstance(v, (int, float)) or isinstance(v, bool):
        raise TypeError(f"{name} must be a number of seconds")
    if not (v >= 0 if zero_ok else v > 0) or v * 1e9 >= 2**63:
        raise ValueError(f"{name} must be a {'non-negative' if zero_ok else 'positive'} "
                         "number of seconds")
    return max(1, int(v * 1e9)) if v else 0


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff for restarts: the n-th consecutive restart of a child waits
    ``min(initial * multiplier**(n-1), maximum)`` seconds, less up to ``jitter`` (0..1) of
    it at random, on akt's timer; messages sent meanwhile wait and are handled after the
    restart, a stop meanwhile stops the child. The count starts again after
    ``reset_after`` seconds without a failure (None = never)."""

    initial: float
    """The delay before the first restart, in seconds (> 0)."""
    maximum: Optional[float] = None
    """The longest delay, in seconds (>= ``initial``); None: no cap."""
    multiplier: float = 2.0
    """What each further consecutive restart multiplies the delay by (>= 1)."""
    jitter: float = 0.0
    """The fraction of each delay (0..1) that may be taken off it at random, so that children
    failing together do not restart together; 0: exact delays."""
    reset_after: Optional[float] = None
    """Seconds without a failure after which the next restart waits ``initial`` again; None:
    the count never starts again."""
    _ns: tuple[Any, ...] = field(default=(0, 0, 0), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lo = _seconds_ns("initial", self.initial, False)
        hi = _seconds_ns("maximum", self.maximum, False)
        if hi and hi < lo:
            raise ValueError("maximum must not be below initial")
        for name in ("multiplier", "jitter"):
            v = getattr(self, name)
            if not isinstance(v, (int, float)) or isinstance(v, bool):
                raise TypeError(f"{name} must be a number")
        if not self.multiplier >= 1:
            raise ValueError("multiplier must be >= 1")
        if not 0 <= self.jitter <= 1:
            raise ValueError("jitter must be between 0 and 1")
        object.__setattr__(self, "_ns", (lo, hi, _seconds_ns("reset_after", self.reset_after,
                                                              False)))


@dataclass(frozen=True)
class Supervisor:
    """Supervision of an actor's children (or of top-level actors, given to the
    ActorSystem). ``decide(error, reason)`` picks a directive per failure; it gets the
    failure's code as an AktError and the reason (a Python traceback for Python actors).
    Without ``decide`` (or when it raises) every failure gets ``directive``.
    ``strategy``: Strategy.ONE_FOR_ONE or ONE_FOR_ALL. ``max_retries``/``within``: a child
    failing more than ``max_retries`` times within ``within`` seconds is stopped, or
    suspended with ``on_retries_exhausted=Directive.SUSPEND`` (0 = no budget). ``backoff``: restarts wait on akt's timer (see Backoff). ``rules``: exception
    classes to directives, e.g. ``{ValueError: Directive.RESUME}``: a child that raised an
    instance gets the directive of the most specific matching class without ``decide``
    being called; akt error classes (e.g. AskTimeout) also match a non-Python child
    failing with their code. Bad values raise ValueError (TypeError for wrong types)."""

    directive: Directive = Directive.RESTART
    """The directive of every failure that no ``rules`` entry matches, when there is no
    ``decide`` (or it raised)."""
    decide: Optional[Decider] = None
    """``decide(error, reason) -> Directive``, called on the parent's dispatcher thread for a
    failure no rule matched: ``error`` is the failure's code as an AktError, ``reason`` the
    text the child gave (a Python actor's ``"<type>: <message>"``) or None. None (or a
    ``decide`` that raises): ``directive``."""
    strategy: Strategy = Strategy.ONE_FOR_ONE
    """Which children the chosen directive applies to (see Strategy)."""
    max_retries: int = 0
    """How many failures of one child within ``within`` seconds are handled as decided: a
    child failing more often is stopped (or suspended, see ``on_retries_exhausted``) instead.
    0: no budget (``within`` then not needed)."""
    within: Optional[float] = None
    """The window of ``max_retries`` in seconds (> 0), counted from the child's first failure
    in it; required when ``max_retries`` is set."""
    backoff: Optional["Backoff"] = None
    """Delays restarts on akt's timer (see Backoff); None: a child restarts at once. Restarts
    of one-for-all siblings are never delayed."""
    rules: Optional[Mapping[type, Directive]] = field(default=None, compare=False)
    """Exception classes to directives, checked before ``decide``: the most specific class the
    child's exception is an instance of wins. An akt error class also matches a child of
    another language failing with its code (at most 64 such classes). None: no rules."""
    on_retries_exhausted: Directive = Directive.STOP
    """What a child gets once it failed more than ``max_retries`` times within ``within``:
    Directive.STOP (the default) or Directive.SUSPEND, which suspends it as that directive
    does (tells and asks raise ActorSuspended until ``pid.reinstate()``) and clears its
    failure count, so that once reinstated it has a fresh budget. With ONE_FOR_ALL only that
    child is stopped or suspended. Another directive raises ValueError."""
    _decide: Optional[Callable[[int, Optional[str]], int]] = field(
        default=None, init=False, repr=False, compare=False
    )
    _within_ns: int = field(default=0, init=False, repr=False, compare=False)
    _exhausted: int = field(default=0, init=False, repr=False, compare=False)
    _code_rules: tuple[Any, ...] = field(default=(), init=False, repr=False, compare=False)

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
        exhausted = self.on_retries_exhausted
        if not isinstance(exhausted, int) or isinstance(exhausted, bool):
            raise TypeError("on_retries_exhausted must be an akt.Directive")
        if exhausted == Directive.SUSPEND:
            object.__setattr__(self, "_exhausted", lib.AKT_EXHAUSTED_SUSPEND)
        elif exhausted != Directive.STOP:
            raise ValueError("on_retries_exhausted must be Directive.STOP or Directive.SUSPEND,"
                             f" not {exhausted!r}")
        object.__setattr__(self, "on_retries_exhausted", Directive(exhausted))
        if self.backoff is not None and not isinstance(self.backoff, Backoff):
            raise TypeError("backoff must be an akt.Backoff")
        rules = self._read_rules()
        if self.decide is not None or rules:
            user, default = self.decide, int(self.directive)

            def c_decide(code: int, reason: Optional[str]) -> int:
                cls = _failure_type(reason) if rules else None
                matched = _match_rule(rules, cls) if cls is not None else None
                if matched is not None:
                    return matched
                if user is None:
                    return default
                return int(user(error_for(code, "failure"), reason))

            object.__setattr__(self, "_decide", c_decide)

    def _read_rules(self) -> tuple[Any, ...]:
        """Checks ``rules``; returns them as ((class, directive), ...) and keeps the akt
        error classes among them (their failures carry the code) for akt's code table."""
        if self.rules is None:
            return ()
        if not isinstance(self.rules, Mapping):
            raise TypeError("rules must be a mapping of exception classes to directives")
        out, codes = [], []
        for key, directive in self.rules.items():
            if not isinstance(key, type) or not issubclass(key, BaseException):
                raise TypeError(f"a rule's key must be an exception class, not {key!r}")
            if not isinstance(directive, int) or isinstance(directive, bool):
                raise TypeError("a rule's value must be an akt.Directive")
            if directive not in set(Directive):
                raise ValueError(f"unknown supervisor directive {directive!r}")
            out.append((key, int(directive)))
            code = getattr(key, "code", 0) if issubclass(key, AktError) else 0
            if isinstance(code, int) and code < 0:
                codes.append((code, int(directive)))
        if len(codes) > 64:
            raise ValueError("at most 64 rules for akt error classes")
        object.__setattr__(self, "_code_rules", tuple(codes))
        return tuple(out)
