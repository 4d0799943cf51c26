"""The circuit breaker (akt.h, "Circuit breaker"): closed / open / half-open over a sliding
window of outcomes, usable as a context manager, a decorator or through ``call``.

    breaker = akt.CircuitBreaker(failure_rate=0.5, min_requests=10, open_timeout=30.0)
    with breaker:                 # raises akt.BreakerOpen (nothing runs) when open
        fetch()                   # an exception here counts as a failure (and propagates)

    @breaker                      # sync or async functions
    async def fetch(): ...
"""

from __future__ import annotations

import enum
import functools
import inspect
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Awaitable, Callable, Optional, TypeVar

from ._lib import ffi, lib
from .errors import Busy, error_for

T = TypeVar("T")
_NS = 1_000_000_000


class BreakerOpen(Busy):
    """The breaker is open (or half-open with every trial call taken): the call was not
    started."""


class BreakerState(str, enum.Enum):
    """A breaker's state (``CircuitBreaker.state``); a str enum whose value is the lowercase
    name: ``"closed"``, ``"open"``, ``"half_open"``."""

    CLOSED = "closed"
    """Calls go through; their outcomes fill the sliding window."""
    OPEN = "open"
    """Every call is refused with BreakerOpen, without running, until ``open_timeout`` seconds
    passed since it opened."""
    HALF_OPEN = "half_open"
    """Up to ``half_open_max_calls`` trial calls are let in: all of them succeeding closes the
    breaker (with an empty window), one failure opens it again; calls beyond them are refused."""


_STATES = {lib.AKT_BREAKER_CLOSED: BreakerState.CLOSED, lib.AKT_BREAKER_OPEN: BreakerState.OPEN,
           lib.AKT_BREAKER_HALF_OPEN: BreakerState.HALF_OPEN}


@dataclass(frozen=True)
class BreakerMetrics:
    """A snapshot: outcomes in the window, their failure rate, refused calls since creation."""

    state: BreakerState
    """The breaker's state when the snapshot was taken."""
    successes: int
    """Successful outcomes in the window."""
    failures: int
    """Failed outcomes in the window."""
    failure_rate: float
    """``failures / (successes + failures)``, 0.0 when the window is empty."""
    rejected: int
    """Calls refused (open, or half-open with every trial call taken) since the breaker was made."""


class ManualClock:
    """A fake clock for breakers (tests, transcripts): time moves only with ``advance``.
    Starts at ``start`` seconds."""

    def __init__(self, start: float = 0.0) -> None:
        self._ns = ffi.new("int64_t *", _to_ns(start, "start", allow_zero=True))

    @property
    def now(self) -> float:
        """The clock's time, in seconds: ``start`` plus every ``advance`` so far."""
        return int(lib.akt_breaker_manual_clock(self._ns)) / _NS

    def advance(self, seconds: float) -> None:
        """Moves the clock forward by ``seconds`` (>= 0; ValueError if negative, TypeError if not a
        number). Breakers read it at their next call: an open one whose ``open_timeout`` has
        passed lets its trial calls in then."""
        step = _to_ns(seconds, "seconds", allow_zero=True)
        # A plain store: the breakers read it under their lock, on the threads that call them.
        self._ns[0] = int(self._ns[0]) + step


def _to_ns(seconds: float, what: str, allow_zero: bool = False) -> int:
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise TypeError(f"{what} must be a number of seconds, not {type(seconds).__name__}")
    ns = round(seconds * _NS)
    if ns < 0 or (ns == 0 and not allow_zero):
        raise ValueError(f"{what} must be {'>= 0' if allow_zero else '> 0'}, not {seconds!r}")
    return ns


class CircuitBreaker:
    """A breaker with GoAkt's defaults: opens when at least ``min_requests`` outcomes are in
    the ``window`` (seconds, cut into ``window_buckets``) and the failure rate reaches
    ``failure_rate``; after ``open_timeout`` seconds it lets ``half_open_max_calls`` trial
    calls in: all succeed -> closed, one fails -> open again. ``clock``: a ManualClock."""

    def __init__(self, *, failure_rate: float = 0.5, min_requests: int = 10,
                 open_timeout: float = 30.0, window: float = 60.0, window_buckets: int = 12,
                 half_open_max_calls: int = 1, clock: Optional[ManualClock] = None) -> None:
        o = ffi.new("akt_breaker_options *")
        lib.akt_breaker_options_init(o)
        if isinstance(failure_rate, bool) or not isinstance(failure_rate, (int, float)):
            raise TypeError("failure_rate must be a number in (0, 1]")
        o.failure_rate = float(failure_rate)
        o.min_requests = _count(min_requests, "min_requests")
        o.open_timeout_ns = _to_ns(open_timeout, "open_timeout")
        o.window_ns = _to_ns(window, "window")
        o.window_buckets = _count(window_buckets, "window_buckets")
        o.half_open_max_calls = _count(half_open_max_calls, "half_open_max_calls")
        if clock is not None:
            if not isinstance(clock, ManualClock):
                raise TypeError("clock must be an akt.ManualClock")
            o.clock = lib.akt_breaker_manual_clock
            o.clock_data = clock._ns
        self._clock = clock  # keeps its memory alive as long as the breaker
        out = ffi.new("akt_breaker **")
        rc = lib.akt_breaker_create(o, out)
        if rc:
            raise error_for(rc, "CircuitBreaker")
        self._b = ffi.gc(out[0], lib.akt_breaker_release)

    # ------------------------------------------------------------------ the calls

    def allow(self) -> None:
        """Asks to start one call; raises BreakerOpen if it may not. An allowed call must be
        reported once with ``record``."""
        rc = lib.akt_breaker_allow(self._b)
        if rc == lib.AKT_EBUSY:
            raise BreakerOpen("circuit breaker is open: the call was not started", rc)
        if rc:
            raise error_for(rc, "CircuitBreaker.allow")

    def record(self, success: bool) -> None:
        """The outcome of a call ``allow`` let through."""
        lib.akt_breaker_record(self._b, 1 if success else 0)

    def __enter__(self) -> "CircuitBreaker":
        self.allow()
        return self

    def __exit__(self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException],
                 tb: Optional[TracebackType]) -> None:
        self.record(exc_type is None)

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Runs ``fn(*args, **kwargs)`` through the breaker (BreakerOpen when open)."""
        with self:
            return fn(*args, **kwargs)

    async def call_async(self, fn: Callable[..., Awaitable[T]], *args: Any, **kwargs: Any) -> T:
        """Awaits ``fn(*args, **kwargs)`` through the breaker; a cancellation counts as a
        failure, as any exception."""
        with self:
            return await fn(*args, **kwargs)

    def __call__(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """A decorator: every call of ``fn`` (sync or async) goes through the breaker."""
        if inspect.iscoroutinefunction(fn):
            @functools.wraps(fn)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                return await self.call_async(fn, *args, **kwargs)
            return run_async

        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            return self.call(fn, *args, **kwargs)
        return run

    # ------------------------------------------------------------------ reading it

    @property
    def state(self) -> BreakerState:
        """The state now. An open breaker whose ``open_timeout`` has passed reads as HALF_OPEN."""
        st = ffi.new("int *")
        lib.akt_breaker_state(self._b, st)
        return _STATES[st[0]]

    @property
    def metrics(self) -> BreakerMetrics:
        """A snapshot of the state and the window's counts (BreakerMetrics)."""
        m = ffi.new("akt_breaker_metrics *")
        m.size = ffi.sizeof("akt_breaker_metrics")
        lib.akt_breaker_metrics_get(self._b, m)
        return BreakerMetrics(_STATES[m.state], int(m.successes), int(m.failures),
                              float(m.failure_rate), int(m.rejected))

    def __repr__(self) -> str:
        return f"<akt.CircuitBreaker {self.state.value}>"


def _count(v: int, what: str) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise TypeError(f"{what} must be an int, not {type(v).__name__}")
    if not 1 <= v <= 0xFFFFFFFF:
        raise ValueError(f"{what} must be >= 1, not {v}")
    return v
