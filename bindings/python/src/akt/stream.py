"""akt.stream: reactive streams with backpressure, run as actors of a system.

    from akt.stream import Sink, Source

    with akt.ActorSystem("demo") as system:
        s = Source.range(1, 10).map(lambda x: x * 2).filter(lambda x: x > 4)
        print(s.run_with(Sink.collect(), system).result(timeout=5))   # [6, 8, ..., 18]

A ``Source`` is an immutable description: each method returns a new one, and it may be run
any number of times. ``run_with(sink, system)`` starts it and returns a ``Stream`` handle:
``result()`` (or ``await stream``) waits for the end and gives the sink's result,
``cancel()`` aborts, ``drain()`` stops the source and lets what is in flight finish, and
``metrics()`` has per-stage counts. A stream runs until it ends even if its handle is
dropped; ``close()`` (or leaving ``with``) cancels one still running. Backpressure is demand-based: a slow sink holds the
source back, and what is in flight stays bounded by about (actors x window).

Stage functions run on akt's worker threads, one call at a time per stage, holding the GIL
while they run. An exception fails the stream (the default), or, per stage,
``on_error("resume")`` drops the element and ``on_error("retry", n)`` calls again up to n
times. ``Source.from_async_iterator`` and ``Sink.async_iterator`` connect a stream to
asyncio: the stream's end of each blocks a worker while the event loop works, which is how
backpressure reaches the loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
import re
import sys
import threading
from time import monotonic as _monotonic
from dataclasses import dataclass
from typing import Any, AsyncIterator, Callable, Iterable, Iterator, Optional, Sequence

from . import _lib  # noqa: F401  (registers akt._stream)
from .errors import ActorStopped, error_for
from .messages import Bytes

_native = sys.modules["akt._stream"]

# Streams across nodes (``Source.actor_ref``, a remote ``Sink.actor``): the answers of an
# actor source, and the message that ends it.
ACK = Bytes("akt.stream.Ack", b"")
"""What a ``Source.actor_ref`` answers to an element it accepted into its buffer."""
END = Bytes("akt.stream.End", b"")
"""Ends a ``Source.actor_ref`` (tell or ask it to the source's pid; answered ``ACK``): what
came before goes on, then the stream completes. ``Sink.actor(pid, k, on_complete=END)``
feeds a remote source reference from another stream."""
CLOSED = Bytes("akt.stream.Closed", b"")
"""What a ``Source.actor_ref`` answers to an element that came after its end."""

_OVERFLOW = {"backpressure": 0, "drop_head": 1, "drop_tail": 2, "fail": 3}
_ON_ERROR = {"fail": 0, "resume": 1, "retry": 2}
_TIMEDOUT = -5


@dataclass(frozen=True)
class StageMetrics:
    """Counts of one stage: elements in and out, drops (resumed errors, buffer overflow),
    failed calls (each retry counts), and the index of the actor that runs it."""

    name: str
    """The stage's name: the one ``named()`` gave, else its kind (``"map"``, ``"range"``,
    ...)."""
    elements_in: int
    """Elements it received (0 for a source)."""
    elements_out: int
    """Elements it passed downstream (0 for a sink)."""
    drops: int
    """Elements it dropped: after an error it resumed from, or on a buffer overflow."""
    errors: int
    """Calls of its function that failed; each retry counts."""
    actor: int
    """The index of the actor that runs it; fused stages share one."""


class Sink:
    """Where a stream ends. Its result is what ``Stream.result()`` gives.

    A sink may start with flows (``Flow.to``); a fan-out sink (``broadcast``, ``balance``,
    ``partition``) sends the elements on to several sinks and its result is the list of
    theirs, in order."""

    __slots__ = ("_stages", "_finish", "_window", "_fusion", "_branches")

    def __init__(self, stage: tuple[Any, ...], finish: Callable[[list[Any]], Any],
                 flows: tuple[Any, ...] = (),
                 window: int = 16, fusion: bool = True,
                 branches: Optional[tuple[Any, ...]] = None) -> None:
        self._stages = flows + (stage,)
        self._finish = finish
        self._window = window
        self._fusion = fusion
        self._branches = branches

    def _result(self, results: list[Any], ranges: Optional[list[Any]]) -> Any:
        if self._branches is None:
            return self._finish(results)
        if not ranges:  # a fan-out inside a branch: its branches' results, flat
            return results
        return [b._result(results[f:f + n], None)
                for b, (f, n) in zip(self._branches, ranges)]

    @staticmethod
    def _fan_out(kind: str, sinks: Sequence["Sink"], fn: Any = None) -> "Sink":
        if not sinks:
            raise ValueError(f"Sink.{kind} needs at least one sink")
        for k in sinks:
            if not isinstance(k, Sink):
                raise TypeError(f"Sink.{kind} takes Sinks, not {type(k).__name__}")
        subs = [(_plan(k._stages), k._window, k._fusion) for k in sinks]
        return Sink((kind, subs, fn), lambda r: r, branches=tuple(sinks))

    @staticmethod
    def broadcast(*sinks: "Sink") -> "Sink":
        """Every element to every sink; the slowest one paces the stream. The result is the
        list of the sinks' results."""
        return Sink._fan_out("broadcast", sinks)

    @staticmethod
    def balance(*sinks: "Sink") -> "Sink":
        """Each element to one sink that has demand (taking them in turn)."""
        return Sink._fan_out("balance", sinks)

    @staticmethod
    def partition(fn: Callable[[Any], int], *sinks: "Sink") -> "Sink":
        """Each element ``x`` to ``sinks[fn(x)]`` (an index out of range fails the stream)."""
        return Sink._fan_out("partition", sinks, fn)

    @staticmethod
    def collect() -> "Sink":
        """Every element, in order, as a list."""
        return Sink(("collect", None, None), lambda r: r)

    @staticmethod
    def fold(seed: Any, fn: Callable[[Any, Any], Any]) -> "Sink":
        """``fn(acc, x)`` over the elements from ``seed``; the last accumulator."""
        return Sink(("fold", seed, fn), lambda r: r[0])

    @staticmethod
    def first() -> "Sink":
        """The first element (None for an empty stream); the stream ends once it arrives."""
        return Sink(("first", None, None), lambda r: r[0] if r else None)

    @staticmethod
    def for_each(fn: Callable[[Any], Any]) -> "Sink":
        """Calls ``fn(x)`` for each element; the result is None."""
        return Sink(("for_each", fn, None), lambda r: None)

    @staticmethod
    def ignore() -> "Sink":
        """Consumes the elements; the result is None."""
        return Sink(("ignore", None, None), lambda r: None)

    @staticmethod
    def actor(pid: Any, in_flight: int = 1, on_complete: Any = None) -> "Sink":
        """Tells each element to the actor ``pid``, which acknowledges it with
        ``ctx.respond(anything)``: each acknowledgement is the demand for one more, at most
        ``in_flight`` unacknowledged. At the end ``on_complete`` (if not None) is told to it,
        after the last element was acknowledged. If the actor stops, the stream fails
        (Stopped). The result is None.

        ``pid`` may be a remote actor (``system.remote_lookup(address)``): the elements and
        their acknowledgements cross the wire, in order, at most ``in_flight``
        unacknowledged, and the loss of its node fails the stream (Stopped). Elements that
        cross must be serializable (scalars, str, bytes, ``Bytes``); a Python object passed
        by reference cannot cross. To feed another stream's ``Source.actor_ref``, give its
        pid and ``on_complete=akt.stream.END``."""
        return Sink(("actor", pid, (in_flight, on_complete)), lambda r: None)

    @staticmethod
    def async_iterator(maxsize: int = 16,
                       loop: Optional[asyncio.AbstractEventLoop] = None) -> "_AsyncSink":
        """Hands the elements to an asyncio consumer: iterate the Stream with ``async for``.
        At most ``maxsize`` wait for the consumer; beyond that the stream waits (backpressure).
        Made inside a running event loop (or give ``loop``)."""
        return _AsyncSink(maxsize, loop or asyncio.get_running_loop())


class _AsyncSink(Sink):
    __slots__ = ("queue", "loop")

    _END = object()

    def __init__(self, maxsize: int, loop: asyncio.AbstractEventLoop) -> None:
        if maxsize <= 0:
            raise ValueError("maxsize must be positive")
        self.loop = loop
        self.queue: asyncio.Queue[Any] = asyncio.Queue(maxsize)

        def put(x: Any) -> None:
            fut = asyncio.run_coroutine_threadsafe(self.queue.put(x), loop)
            while True:  # the worker waits for room, but not for a loop that is gone
                try:
                    fut.result(0.05)
                    return
                except TimeoutError:
                    if loop.is_closed() or not loop.is_running():
                        fut.cancel()
                        raise RuntimeError("the consumer's event loop stopped") from None

        super().__init__(("for_each", put, None), lambda r: None)


def _plan(stages: tuple[Any, ...]) -> list[Any]:
    """Stage tuples as the native layer takes them: (kind, a, b, name, on_error, retries)."""
    out = []
    for st in stages:
        opts = st[3] if len(st) > 3 else {}
        out.append((st[0], st[1], st[2], opts.get("name"), opts.get("on_error", 0),
                    opts.get("retries", 0)))
    return out


class _Stages:
    """What a Source and a Flow share: a tuple of stages, the flows, and the options."""

    __slots__ = ("_stages", "_window", "_fusion")

    def __init__(self, stages: tuple[Any, ...] = (), window: int = 16,
                 fusion: bool = True) -> None:
        self._stages = stages
        self._window = window
        self._fusion = fusion

    # ---- flows
    def _then(self, kind: str, a: Any = None, b: Any = None) -> Any:
        return type(self)(self._stages + ((kind, a, b),), self._window, self._fusion)

    def map(self, fn: Callable[[Any], Any]) -> Any:
        """Sends ``fn(x)`` downstream for each element ``x``, in order."""
        return self._then("map", fn)

    def filter(self, fn: Callable[[Any], Any]) -> Any:
        """Keeps the elements ``x`` for which ``fn(x)`` is true, in order; drops the others."""
        return self._then("filter", fn)

    def flat_map(self, fn: Callable[[Any], Iterable[Any]]) -> Any:
        """``fn(x)`` gives an iterable; its items go downstream in order (concat)."""
        return self._then("flat_map", fn)

    def flat_map_merge(self, breadth: int, fn: Callable[[Any], "Source"]) -> Any:
        """``fn(x)`` gives a ``Source`` (an inner source); up to ``breadth`` (1..4096) of them
        run at once and their elements go downstream as they come: in order within one
        inner, interleaved between them. Backpressure holds the inners and upstream back;
        the stream completes once upstream and every inner did. An exception of ``fn`` (or
        a result that is not a Source) is the element's failure, under ``on_error``; a
        failing inner fails the stream, or with ``on_error("resume")`` is dropped."""
        if isinstance(breadth, bool) or not isinstance(breadth, int) or not 1 <= breadth <= 4096:
            raise ValueError("breadth must be an int in 1..4096")
        if not callable(fn):
            raise TypeError("flat_map_merge needs a callable")
        return self._then("flat_map_merge", _inner_planner(fn), breadth)

    def scan(self, seed: Any, fn: Callable[[Any, Any], Any]) -> Any:
        """Emits each new accumulator ``fn(acc, x)``, starting from ``seed`` (not emitted)."""
        return self._then("scan", seed, fn)

    def dedup(self) -> Any:
        """Drops an element equal to the one before it (same type and canonical bytes)."""
        return self._then("dedup")

    def buffer(self, size: int, overflow: str = "backpressure") -> Any:
        """An actor holding up to ``size`` elements; when full: ``"backpressure"`` (ask
        upstream for no more), ``"drop_head"``, ``"drop_tail"`` or ``"fail"``."""
        if overflow not in _OVERFLOW:
            raise ValueError(f"overflow must be one of {sorted(_OVERFLOW)}")
        return self._then("buffer", size, _OVERFLOW[overflow])

    def throttle(self, n: int, per: float) -> Any:
        """At most ``n`` elements per interval of ``per`` seconds (0.001 .. 3600); the rest
        wait, which slows upstream down: nothing is dropped."""
        return self._then("throttle", n, int(per * 1e9))

    def batch(self, n: int, max_wait: float,
              fn: Optional[Callable[..., Any]] = None) -> Any:
        """Up to ``n`` elements at a time as one: ``fn(*xs)`` (default: a list), sent when
        there are ``n``, when the first one waited ``max_wait`` seconds (0.001 .. 3600), or
        at the end (the last, partial batch)."""
        return self._then("batch", fn if fn is not None else _list_of, (n, int(max_wait * 1e9)))

    def map_async(self, fn: Callable[[Any], Any], parallelism: int, ordered: bool = True,
                  loop: Optional[asyncio.AbstractEventLoop] = None) -> Any:
        """Parallel map: ``fn(x)`` gives a coroutine (or any awaitable), a
        ``concurrent.futures.Future`` or a plain value; at most ``parallelism`` are pending
        at once. ``ordered`` keeps the input order, else results leave as they complete.
        Coroutines run on ``loop`` (the running one where this is called, else a background
        loop of akt's). An exception fails the element (the stage's error strategy)."""
        if parallelism <= 0:
            raise ValueError("parallelism must be positive")
        lp = loop
        if lp is None:
            try:
                lp = asyncio.get_running_loop()
            except RuntimeError:
                lp = None
        return self._then("map_async", _async_starter(fn, lp), (parallelism, bool(ordered)))

    # ---- options
    def named(self, name: str) -> Any:
        """Names the last stage (metrics, failure reasons)."""
        return self._option(name=name)

    def on_error(self, strategy: str, retries: int = 0) -> Any:
        """The last stage's error strategy: ``"fail"`` (default), ``"resume"``, or
        ``"retry"`` with a budget of ``retries`` calls."""
        if strategy not in _ON_ERROR:
            raise ValueError(f"strategy must be one of {sorted(_ON_ERROR)}")
        return self._option(on_error=_ON_ERROR[strategy], retries=retries)

    def window(self, n: int) -> Any:
        """The credit window of every actor (default 16)."""
        return type(self)(self._stages, n, self._fusion)

    def fusion(self, on: bool) -> Any:
        """Fuse stateless stages into the actor before them (default True)."""
        return type(self)(self._stages, self._window, bool(on))

    def _option(self, **kw: Any) -> Any:
        if not self._stages:
            raise ValueError("there is no stage to set an option on")
        *rest, last = self._stages
        opts = dict(last[3]) if len(last) > 3 else {}
        opts.update(kw)
        return type(self)(tuple(rest) + ((last[0], last[1], last[2], opts),), self._window,
                          self._fusion)


class Flow(_Stages):
    """Flows without a source: ``Flow().map(f).to(Sink.collect())`` is a Sink, e.g. a branch
    of a fan-out."""

    __slots__ = ()

    def to(self, sink: Sink) -> Sink:
        """A sink that runs these flows first (with this Flow's window and fusion)."""
        if not isinstance(sink, Sink):
            raise TypeError(f"to needs a Sink, not {type(sink).__name__}")
        out = Sink(sink._stages[-1], sink._finish, self._stages + sink._stages[:-1],
                   self._window, self._fusion, sink._branches)
        return out

    def __repr__(self) -> str:
        return "Flow(" + " -> ".join(s[0] for s in self._stages) + ")"


class Source(_Stages):
    """A stream description: a source and the flows after it (immutable, reusable)."""

    __slots__ = ()

    # ---- sources
    @staticmethod
    def _fan_in(kind: str, sources: Sequence["Source"], fn: Any = None) -> "Source":
        if not sources:
            raise ValueError(f"Source.{kind} needs at least one source")
        for x in sources:
            if not isinstance(x, Source):
                raise TypeError(f"Source.{kind} takes Sources, not {type(x).__name__}")
        subs = [(_plan(x._stages), x._window, x._fusion) for x in sources]
        return Source(((kind, subs, fn),))

    @staticmethod
    def merge(*sources: "Source") -> "Source":
        """The elements of all the sources as they come (each one's order kept); ends when
        they all ended."""
        return Source._fan_in("merge", sources)

    @staticmethod
    def concat(*sources: "Source") -> "Source":
        """Every element of the first source, then of the second, ..."""
        return Source._fan_in("concat", sources)

    @staticmethod
    def zip(*sources: "Source", fn: Optional[Callable[..., Any]] = None) -> "Source":
        """One element of each source, combined by ``fn(*xs)`` (default: a tuple); ends with
        the shortest source."""
        return Source._fan_in("zip", sources, fn if fn is not None else _tuple_of)

    @staticmethod
    def range(start: int, end: int, step: int = 1) -> "Source":
        """``start, start+step, ...`` up to ``end`` excluded, as Python's range."""
        if step == 0:
            raise ValueError("range step must not be zero")
        return Source((("range", (start, end), step),))

    @staticmethod
    def tick(initial_delay: float, interval: float, tick: Any) -> "Source":
        """``tick`` every ``interval`` seconds (0.001 .. 3600), the first ``initial_delay``
        seconds after the start, on the system's timer. A tick that comes while downstream
        has no demand is dropped (counted in the source's drops). Endless: drain, cancel or
        ``Sink.first()`` ends it."""
        return Source((("tick", (int(initial_delay * 1e9), int(interval * 1e9)), tick),))

    @staticmethod
    def queue(capacity: int) -> "Source":
        """Elements pushed with ``Stream.offer(x)`` (from an actor, or any thread): at most
        ``capacity`` are accepted and not yet sent on; beyond that ``offer`` returns False
        (try again later). ``Stream.complete()`` closes it: what was accepted goes on, then
        the stream completes."""
        return Source((("queue", capacity, None),))

    @staticmethod
    def actor_ref(capacity: int = 16) -> "Source":
        """A source reference: elements sent to the stream's actor
        (``Stream.source_pid``; from another node, ``Stream.source_address`` with
        ``remote_lookup``), ideally as asks. Each is answered ``akt.stream.ACK`` once it is
        in the source's buffer of ``capacity`` (1..65536); one that finds it full waits,
        unanswered, until the stream's demand makes room, so a producer with at most k asks
        in flight (``SourceRef``) is paced by the stream. ``akt.stream.END`` (or
        ``Stream.complete()``) ends it; later elements are answered ``akt.stream.CLOSED``.
        The first actor that sends an element is watched: its stop (or its node's loss)
        before the end fails the stream (Stopped)."""
        return Source((("actor_ref", capacity, None),))

    @staticmethod
    def of(*values: Any) -> "Source":
        """The given values, in order."""
        return Source((("values", list(values), None),))

    @staticmethod
    def from_iterable(iterable: Iterable[Any]) -> "Source":
        """The items of an iterable, pulled on demand (one run: an iterator is consumed)."""
        it = iter(iterable)
        return Source((("unfold", lambda: next(it), None),))

    @staticmethod
    def unfold(seed: Any, fn: Callable[[Any], Optional[tuple[Any, Any]]]) -> "Source":
        """``fn(state)`` gives ``(next_state, element)``, or None to end."""
        state = [seed]

        def step() -> Any:
            r = fn(state[0])
            if r is None:
                raise StopIteration
            state[0], x = r
            return x

        return Source((("unfold", step, None),))

    @staticmethod
    def from_async_iterator(ait: AsyncIterator[Any],
                            loop: Optional[asyncio.AbstractEventLoop] = None) -> "Source":
        """The items of an async iterator, pulled on demand through its event loop (the
        running one where this is called, or ``loop``)."""
        lp = loop or asyncio.get_running_loop()
        aiter_ = ait.__aiter__()

        def step() -> Any:
            fut = asyncio.run_coroutine_threadsafe(_anext_or_end(aiter_), lp)
            ok, x = fut.result()
            if not ok:
                raise StopIteration
            return x

        return Source((("unfold", step, None),))

    # ---- running
    def run_with(self, sink: Sink, system: Any) -> "Stream":
        """Starts the stream on ``system`` with ``sink`` at its end."""
        if not isinstance(sink, Sink):
            raise TypeError(f"run_with needs a Sink, not {type(sink).__name__}")
        core = _native.run(system, _plan(self._stages + sink._stages), self._window,
                           self._fusion)
        return Stream(core, sink)

    def __repr__(self) -> str:
        return "Source(" + " -> ".join(s[0] for s in self._stages) + ")"


_bg_loop: Optional[asyncio.AbstractEventLoop] = None
_bg_lock = threading.Lock()


def _background_loop() -> asyncio.AbstractEventLoop:
    """An event loop on a daemon thread of its own, for coroutines of map_async made where
    no loop was running."""
    global _bg_loop
    with _bg_lock:
        if _bg_loop is None:
            lp = asyncio.new_event_loop()
            threading.Thread(target=lp.run_forever, name="akt-stream-loop", daemon=True).start()
            _bg_loop = lp
        return _bg_loop


def _async_starter(fn: Callable[[Any], Any],
                   loop: Optional[asyncio.AbstractEventLoop]) -> Callable[[Any, Any], None]:
    """What the native stage calls: start(x, done); done._complete(v) or done._fail(exc)."""
    def settle(done: Any, f: Any) -> None:
        if f.cancelled():
            done._fail(asyncio.CancelledError("map_async element cancelled"))
            return
        exc = f.exception()
        if exc is not None:
            done._fail(exc)
        else:
            done._complete(f.result())

    def start(x: Any, done: Any) -> None:
        r = fn(x)
        if inspect.isawaitable(r):
            lp = loop if loop is not None and not loop.is_closed() else _background_loop()
            fut = asyncio.run_coroutine_threadsafe(_await_it(r), lp)
        elif isinstance(r, concurrent.futures.Future):
            fut = r
        else:
            done._complete(r)
            return
        fut.add_done_callback(lambda f: settle(done, f))

    return start


async def _await_it(aw: Any) -> Any:
    return await aw


def _inner_planner(fn: Callable[[Any], Any]) -> Callable[[Any], tuple[Any, ...]]:
    def plan(x: Any) -> tuple[Any, ...]:
        src = fn(x)
        if not isinstance(src, Source):
            raise TypeError(f"flat_map_merge: the function must give a Source, not "
                            f"{type(src).__name__}")
        return (_plan(src._stages), src._window, src._fusion)
    return plan


def _tuple_of(*xs: Any) -> tuple[Any, ...]:
    return xs


def _list_of(*xs: Any) -> list[Any]:
    return list(xs)


async def _anext_or_end(ait: AsyncIterator[Any]) -> tuple[bool, Any]:
    try:
        return True, await ait.__anext__()
    except StopAsyncIteration:
        return False, None


_STAGE = re.compile(r"^stage (\d+) ")
_PORT = re.compile(r"^(input|branch) (\d+): (.*)$", re.S)


def _cause_of(keep: list[Any], reason: str) -> Optional[BaseException]:
    """The exception behind reason ("stage i ...", or "input k: ..." / "branch k: ..." down
    a junction's sub-graph), from the stages' records."""
    m = _STAGE.match(reason)
    if m:
        i = int(m.group(1))
        return _native.exception_of(keep[i]) if i < len(keep) else None
    m = _PORT.match(reason)
    if not m or not keep:
        return None
    junction = keep[0] if m.group(1) == "input" else keep[-1]
    k = int(m.group(2))
    if not isinstance(junction, tuple) or k >= len(junction[1]):
        return None
    return _cause_of(junction[1][k], m.group(3))


class Stream:
    """A running stream (``Source.run_with``)."""

    __slots__ = ("_core", "_sink")

    def __init__(self, core: Any, sink: Sink) -> None:
        self._core = core
        self._sink = sink

    def wait(self, timeout: Optional[float] = None) -> bool:
        """Waits up to ``timeout`` seconds (None: no limit); True once it ended."""
        rc: int = self._core._wait(timeout)
        return rc != _TIMEDOUT

    def result(self, timeout: Optional[float] = None) -> Any:
        """Waits for the end and gives the sink's result; raises how it failed: the stage's
        exception as ``__cause__`` of an AktError (ActorFailed for an exception, Cancelled
        after cancel(), ...). TimeoutError if it is still running after ``timeout``."""
        rc = self._core._wait(timeout)
        if rc == _TIMEDOUT:
            raise TimeoutError("the stream is still running")
        if rc != 0:
            reason = self._core._reason()
            err = error_for(rc, "stream")
            err.args = (f"stream failed: {reason}" if reason else f"stream failed: {err}",)
            err.reason = reason
            raise err from _cause_of(self._core._keep(), reason)
        sink = self._sink
        ranges = self._core._branches() if sink._branches is not None else None
        return sink._result(self._core._results(), ranges)

    def __await__(self) -> Any:
        return asyncio.get_running_loop().run_in_executor(None, self.result).__await__()

    def __aiter__(self) -> AsyncIterator[Any]:
        if not isinstance(self._sink, _AsyncSink):
            raise TypeError("only a stream run with Sink.async_iterator() is async-iterable")
        return self._items()

    async def _items(self) -> AsyncIterator[Any]:
        sink = self._sink
        assert isinstance(sink, _AsyncSink)
        done = asyncio.get_running_loop().run_in_executor(None, self._core._wait, None)
        while True:
            get = asyncio.ensure_future(sink.queue.get())
            await asyncio.wait({get, done}, return_when=asyncio.FIRST_COMPLETED)
            if get.done():
                yield get.result()
                continue
            get.cancel()
            while not sink.queue.empty():
                yield sink.queue.get_nowait()
            self.result(0)  # raises how it failed, if it did
            return

    def cancel(self) -> None:
        """Aborts: the stream ends now (result() raises Cancelled)."""
        self._core._cancel()

    def drain(self) -> None:
        """Stops the source; what is in flight reaches the sink, then the stream completes."""
        self._core._drain()

    def offer(self, x: Any) -> bool:
        """Pushes x into the stream's ``Source.queue``: True if accepted, False if the queue
        is full (offer it again later). Never blocks; callable from an actor. Raises Stopped
        once the queue was completed or the stream ended."""
        rc: int = self._core._offer(x)
        return rc == 0

    def offer_wait(self, x: Any, timeout: Optional[float] = None) -> bool:
        """Pushes x into the ``Source.queue``, waiting (this thread) for room while it is
        full: True once accepted, False if timeout (seconds) passed first. Raises Stopped
        once the queue was completed or the stream ended. Woken by the queue itself
        (``offer`` refused, then told when room frees), never by polling."""
        deadline = None if timeout is None else _monotonic() + timeout
        while True:
            if self._core._offer(x) == 0:
                return True
            ev = threading.Event()
            self._core._on_room(lambda rc: ev.set())
            left = None if deadline is None else deadline - _monotonic()
            if left is not None and (left <= 0 or not ev.wait(left)):
                return False
            if left is None:
                ev.wait()

    async def offer_async(self, x: Any) -> None:
        """Pushes x into the ``Source.queue``, awaiting room while it is full (the way
        Akka's ``SourceQueue.offer`` gives a future): returns once accepted; raises Stopped
        once the queue was completed or the stream ended. Never blocks the event loop."""
        loop = asyncio.get_running_loop()
        while True:
            if self._core._offer(x) == 0:
                return
            fut = loop.create_future()

            def wake(rc: int, fut: asyncio.Future[Any] = fut) -> None:
                def settle() -> None:
                    if not fut.done():
                        fut.set_result(rc)
                try:
                    loop.call_soon_threadsafe(settle)
                except RuntimeError:  # the loop closed meanwhile: nobody waits
                    pass
            self._core._on_room(wake)
            await fut

    def complete(self) -> None:
        """Closes a ``Source.queue``: what it accepted goes on, then the stream completes."""
        self._core._drain()

    @property
    def source_pid(self) -> Any:
        """The pid of the stream's ``Source.actor_ref`` (InvalidArgument for
        another source)."""
        return self._core._source_pid()

    @property
    def source_address(self) -> str:
        """The remote address of the stream's ``Source.actor_ref``, for ``remote_lookup`` on
        another node (ActorNotFound if this system has no remoting)."""
        return str(self._core._source_address())

    @property
    def queued(self) -> int:
        """How many elements the ``Source.queue`` holds (accepted, not yet sent on)."""
        return int(self._core._queued())

    def metrics(self) -> list[StageMetrics]:
        """Per-stage counts, the source first."""
        return [StageMetrics(*t) for t in self._core._metrics()]

    @property
    def actors(self) -> int:
        """How many actors run the stages (fusion shares them)."""
        return int(self._core._actors())

    def close(self) -> None:
        """Releases the handle; a running stream is cancelled."""
        self._core._release()

    def __enter__(self) -> "Stream":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SourceRef:
    """A producer's end of a ``Source.actor_ref``, on any node: ``push(x)`` asks the source
    to take x with at most ``in_flight`` asks unanswered, waiting (this thread) for the
    oldest answer when that many are out, so the producer goes at the stream's pace.

        ref = SourceRef(system.remote_lookup(address), in_flight=4)
        for x in data:
            ref.push(x)
        ref.complete()   # END; waits for every answer

    Raises ActorStopped if the source took no more (its answer is ``CLOSED``), an AktError if an
    ask failed (the stream or its node gone), TimeoutError after ``timeout`` seconds."""

    pid: Any
    """The source's pid: ``stream.source_pid`` here, or ``remote_lookup`` of its address."""
    in_flight: int
    """The most asks unanswered at once (the producer's share of the stream's demand)."""
    timeout: Optional[float]
    """Seconds each ask may wait for its answer (None: no limit)."""

    def __init__(self, pid: Any, in_flight: int = 4, timeout: Optional[float] = 30.0) -> None:
        if not isinstance(in_flight, int) or in_flight <= 0:
            raise ValueError("in_flight must be a positive int")
        self.pid = pid
        self.in_flight = in_flight
        self.timeout = timeout
        self._out: list[Any] = []

    def _settle(self) -> None:
        fut = self._out.pop(0)
        answer = fut.result(self.timeout)
        if answer == CLOSED:
            raise ActorStopped("the source reference is closed")

    def push(self, x: Any) -> None:
        """Sends x; returns once fewer than in_flight asks are unanswered."""
        while len(self._out) >= self.in_flight:
            self._settle()
        self._out.append(self.pid.ask_future(x, self.timeout))

    def flush(self) -> None:
        """Waits for every answer."""
        while self._out:
            self._settle()

    def complete(self) -> None:
        """Waits for every answer, then ends the source (END)."""
        self.flush()
        self.pid.ask_sync(END, self.timeout)


__all__ = ["ACK", "CLOSED", "END", "Flow", "Sink", "Source", "SourceRef", "StageMetrics",
           "Stream"]
