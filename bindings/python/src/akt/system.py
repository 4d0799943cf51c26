"""akt.ActorSystem: creates the C system, runs its Python side and shuts it down.

Python actors run, by default, on the system's Python thread: the asyncio loop that was
running when the system was created, or else a service thread of its own. akt wakes that
thread through an eventfd when they have mail, and it runs them in batches while holding
the GIL once. ``dispatcher="workers"`` runs them on akt's worker threads instead (a worker
takes the GIL once per run of an actor's messages); README: "Where Python actors run"
measures both.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import inspect
import logging
import os
import threading
import time
import traceback
from types import TracebackType
from typing import TYPE_CHECKING, Any, Callable, Optional, Sequence

from . import _async
from ._lib import _fast, ffi, lib
from .actor import Actor, Supervisor, _remember_failure
from . import passivation as _passivation
from .breaker import BreakerOpen, CircuitBreaker
from .errors import ActorNotFound, AktError, DeadlockError, NameTaken, error_for
from .events import Event, EventKind, _make_event
from .mailbox import Mailbox
from .passivation import Passivation
from .messages import Bytes, Message, Terminated
from ._typing import T
from .pid import Pid
from .router import FAILURE_POLICIES, STRATEGIES, Router, _ns
from .schedule import EVERY, KINDS, ScheduleExists, ScheduleInfo, ScheduleNotFound, seconds_to_ns

if TYPE_CHECKING:
    from .metrics import ActorMetrics, MetricPoint, SystemMetrics
    from .grains import Grain
    from .topics import Topic

_log = logging.getLogger("akt")

# Messages a service run handles before it lets the loop (or other threads) have a turn.
SERVICE_BUDGET = 1024

_MODES = {"python": _fast.MODE_PYTHON, "workers": _fast.MODE_WORKERS}

# Systems whose shutdown has not completed. Holding them here keeps a running system alive
# (its C side must not be freed under akt) and lets the interpreter's exit stop them.
_live: set["ActorSystem"] = set()
_live_lock = threading.Lock()


class ActorSystem(_fast.SystemCore):
    """A set of actors with its own workers, timers and event stream.

    Use it as a context manager (``with`` or ``async with``), which shuts it down at the
    end, or call ``shutdown()`` / ``await shutdown_async()``.

    ``dispatcher`` says where Python actors run unless spawn() says otherwise: "python"
    (the default, or $AKT_PY_DISPATCHER) on this system's Python thread, "workers" on
    akt's worker threads. ``workers``/``throughput``: akt's worker threads (0 = one per
    core) and messages per actor turn. ``supervisor``: for top-level actors.
    ``extensions``: named values every actor reaches with ``ctx.extension(name)`` (and
    ``system.extension(name)`` from outside); names are 2..255 characters of letters,
    digits, '-' and '_', starting with a letter or digit.
    ``ask_timeout``: seconds, for asks that give none. ``loop``: the asyncio loop to run
    Python actors on (default: the running loop, if any, else a thread of its own).
    """

    def __init__(self, name: str = "akt", *, workers: int = 0, throughput: int = 0,
                 dispatcher: Optional[str] = None, supervisor: Optional[Supervisor] = None,
                 ask_timeout: float = 10.0,
                 loop: Optional[asyncio.AbstractEventLoop] = None,
                 extensions: Optional[dict[str, Any]] = None,
                 propagator: Any = None) -> None:
        # propagator (GoAkt's ContextPropagator): a callable inject(headers) -> dict | None,
        # or an object with such an inject method. At each message's first send it gets the
        # headers of the message the sending actor is handling ({} outside actors) and
        # returns headers to add (those the sender set itself win); the receiver extracts
        # them with ctx.headers. It runs on the sending thread: keep it short, never block.
        if propagator is not None and not callable(propagator):
            inject = getattr(propagator, "inject", None)
            if not callable(inject):
                raise TypeError("propagator must be callable, or have an inject(headers) method")
            propagator = inject
        if not isinstance(name, str):
            raise TypeError(f"the system name must be a str, not {type(name).__name__}")
        if dispatcher is None:
            # The default for actors spawned without one; the environment variable lets a
            # whole test suite run on akt's workers instead.
            dispatcher = os.environ.get("AKT_PY_DISPATCHER", "python")
        if dispatcher not in _MODES:
            raise ValueError(f"dispatcher must be 'python' or 'workers', not {dispatcher!r}")
        if supervisor is not None and not isinstance(supervisor, Supervisor):
            raise TypeError("supervisor must be an akt.Supervisor")
        super().__init__(name, workers=workers, throughput=throughput,
                         mode=_MODES[dispatcher], supervisor=supervisor,
                         ask_timeout=float(ask_timeout), extensions=extensions,
                         propagator=propagator)
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread: Optional[threading.Thread] = None
        self._again_pending = False
        self._finished = False
        # shutdown_async() futures, each with the thread whose loop owns it
        self._waiters: list[tuple[int, asyncio.Future[None]]] = []
        self._state_lock = threading.Lock()
        self._tracebacks: dict[int, str] = {}
        with _live_lock:
            _live.add(self)
        if loop is None:
            loop = _running_loop()
        if loop is not None:
            self._attach_loop(loop)
        else:
            self._start_thread()

    # ------------------------------------------------------------------ identity

    @property
    def is_running(self) -> bool:
        """False once shutdown completed."""
        return not self._shutdown_done

    def __repr__(self) -> str:
        state = "running" if self.is_running else "shut down"
        return f"<akt.ActorSystem {self.name!r} {state}>"

    # ------------------------------------------------------------------ actors

    if TYPE_CHECKING:  # implemented in C (SystemCore); declared for type checkers
        @property
        def name(self) -> str: ...

        def lookup(self, path: str) -> Pid: ...

        def remote_start(self, host: Optional[str] = None, port: int = 0,
                         max_frame_bytes: int = 0, *,
                         heartbeat_interval: Optional[float] = None,
                         heartbeat_misses: int = 0,
                         tls_cert: Optional[str | os.PathLike[str]] = None,
                         tls_key: Optional[str | os.PathLike[str]] = None,
                         tls_ca: Optional[str | os.PathLike[str]] = None,
                         tls_peer_name: Optional[str] = None,
                         tls_require_client_cert: bool = False,
                         send_window: int = 0,
                         compression: Optional[str] = None,
                         compress_min_bytes: int = 0,
                         chunk_bytes: Optional[int] = None,
                         max_message_bytes: Optional[int] = None,
                         send_buffer_bytes: Optional[int] = None,
                         max_reverse_proxies: Optional[int] = None) -> str: ...

        def remote_address(self) -> str: ...

        def remote_tls_failures(self) -> tuple[int, str]: ...

        def remote_lookup(self, address: str) -> Pid: ...

        def serializer_register(self, name: str, encode: Callable[[Any], bytes],
                                decode: Callable[[str, bytes], Any]) -> None: ...

        def serializer_bind(self, type: Optional[str], name: Optional[str]) -> None: ...

        def serializer_for(self, type: str) -> Optional[str]: ...

    def remote_spawn(self, address: str, kind: str, name: str, timeout: float = 10.0, *,
                     supervisor: Optional[Supervisor] = None,
                     mailbox: Optional[Mailbox] = None,
                     passivation: Optional[Passivation] = None,
                     reentrancy: Optional[str] = None, max_in_flight: int = 0) -> Pid:
        """Spawns an actor named ``name`` on the node at ``address``
        (``"akt://name@host:port"``), of a kind registered there (``register_grain``, or
        another language's grain kind), and returns its pid (path ``<address>/user/<name>``).
        Waits up to ``timeout`` seconds for that node's answer, without holding the GIL.
        ActorNotFound: no such kind there; NameTaken: the name is taken there;
        InvalidArgument: a bad name or address; Unreachable / AskTimeout: no answer.

        The options are those of ``spawn`` that are data, and apply on the other node:
        ``supervisor`` (an akt.Supervisor, for the actor's children: its directive,
        strategy, retry budget, backoff, and ``rules`` by akt error class, which match a
        child failing with that class's code), ``mailbox`` (akt.Bounded or akt.Fair, bounded
        or not), ``passivation`` (an akt.Passivation), ``reentrancy`` ("off", "allow_all" or
        "stash") and ``max_in_flight`` (0: no limit). A function cannot cross to another
        node: a supervisor with ``decide``, or with rules by exception classes that are no akt
        error class, and a priority mailbox (its key) raise InvalidArgument (AKT_EINVAL; also
        a ValueError) here, before anything is sent; so do options the other node refuses,
        and a refused spawn leaves nothing there. Wrong types raise TypeError."""
        if supervisor is not None and not isinstance(supervisor, Supervisor):
            raise TypeError("supervisor must be an akt.Supervisor, not "
                            f"{type(supervisor).__name__}")
        if mailbox is not None and not isinstance(mailbox, Mailbox):
            raise TypeError("mailbox must be an akt mailbox (akt.Bounded, akt.Fair), not "
                            f"{type(mailbox).__name__}")
        p = None if passivation is None else _passivation._check_strategy(passivation)
        pid: Pid = super()._remote_spawn(
            address, kind, name, timeout, supervisor=supervisor, mailbox=mailbox,
            passivation=None if p is None else (p.strategy, p.idle_ns, p.messages),
            reentrancy=reentrancy, max_in_flight=max_in_flight)
        return pid

    def serializer_protobuf(self, cls: type) -> str:
        """Makes cls, a class generated by protoc (the ``protobuf`` package), cross to
        other nodes as itself: its instances are sent as messages of its full protobuf name
        (``cls.DESCRIPTOR.full_name``, returned) with their protobuf encoding, through the
        built-in "protobuf" serializer, and such messages, from any language, reach this
        process's Python actors and asks as instances of cls (``cls.FromString``). The class
        is known process-wide; the binding of its name to "protobuf" is this system's."""
        descriptor = getattr(cls, "DESCRIPTOR", None)
        name = getattr(descriptor, "full_name", None)
        if not isinstance(cls, type) or not isinstance(name, str) or \
                not callable(getattr(cls, "FromString", None)):
            raise TypeError(f"serializer_protobuf: {cls!r} is not a generated protobuf message class")
        _fast.protobuf_register(cls, name)
        self.serializer_bind(name, "protobuf")
        return name

    def register_type(self, cls_or_name: "type | str") -> int:
        """Interns a message type (a class, by its akt type name, or a name) and returns
        its id (1..4095, the same in every language of this process): messages of a
        registered type carry the interned type instead of a copy of its name, and a
        receive can branch on ``ctx.type_id``. The name stays the message's identity."""
        return _fast.register_type(self, cls_or_name)

    def spawn(self, name: Optional[str], actor: "Actor[T] | Callable[[], Actor[T]]", *,
              dispatcher: Optional[str] = None, supervisor: Optional[Supervisor] = None,
              dependencies: Optional[dict[str, Any]] = None,
              mailbox: Optional["Mailbox"] = None, reentrancy: Optional[str] = None,
              max_in_flight: int = 0, passivation: Optional[Passivation] = None,
              kind: Optional[str] = None) -> Pid[T]:
        """Spawns a top-level actor (/user/<name>; None: an anonymous name). Called from
        outside an actor it returns once the actor's ``pre_start`` has run, so the children
        that ``pre_start`` spawned can be looked up at once (a failing ``pre_start`` stops
        the actor; its pid is returned all the same). Inside ``receive`` (and for
        ``ctx.spawn``) it returns at once: the actor starts before its first message.
        ``passivation``: an akt.Passivation (idle time, message count, LONG_LIVED); None
        takes the system's default (set_default_passivation; none unless set). The pid is
        typed by the actor: spawning an ``akt.Actor[Cmd]`` gives a ``Pid[Cmd]``.
        ``kind``: what sort of actor it is, the ``actor.kind`` attribute of its metrics
        (GoAkt's actor.kind); None (the default) takes the actor's class, module-qualified
        ("pkg.mod.Counter"); "" gives none. At most 255 bytes (ValueError), a str
        (TypeError). ``ctx.spawn`` takes it too."""
        if passivation is not None:
            _passivation._check_strategy(passivation)  # before anything is spawned
        pid: Pid[T] = super().spawn(name, actor, dispatcher=dispatcher, supervisor=supervisor,
                                 dependencies=dependencies, mailbox=mailbox,
                                 reentrancy=reentrancy, max_in_flight=max_in_flight,
                                 kind=kind)
        if passivation is not None:
            try:
                _passivation.set_for(self, pid, passivation)
            except ActorNotFound:
                pass  # it already stopped (a failing pre_start): nothing to passivate
        if not _fast.in_run():
            self._until_started(pid)
        return pid

    def _until_started(self, pid: Pid) -> None:
        """Runs or waits for this system's service until pid is past its start."""
        while not self._started(pid, 0):
            if self._shutdown_done:
                return
            if self._runs_service_here():
                if not self._service(SERVICE_BUDGET):
                    self._wait(0.005)
            else:
                self._started(pid, 0.05)

    def set_default_passivation(self, passivation: Optional[Passivation]) -> None:
        """The passivation of every actor spawned from now on without one of its own (None:
        none, the default: akt does not passivate actors unless asked to)."""
        _passivation.set_default(self, passivation)

    def set_guardian_policy(self, policy: str) -> None:
        """What a top-level actor's escalation does: "stop_actor" (the default: it stops)
        or "shutdown" (the whole system shuts down)."""
        _passivation.set_guardian(self, policy)

    def spawn_router(self, actor: Any = None, size: int = 0, strategy: str = "round_robin", *,
                     name: Optional[str] = None, routees: Optional[Sequence[Pid]] = None,
                     key: Optional[Callable[[Any], Any]] = None,
                     within: Optional[float] = None, interval: Optional[float] = None,
                     on_failure: str = "stop", max_retries: int = 0,
                     retry_within: Optional[float] = None, seed: int = 0,
                     dispatcher: Optional[str] = None) -> Router:
        """Spawns a router (akt.Router). A pool: ``actor`` (an akt.Actor subclass or a
        factory returning an instance) and ``size`` routees, spawned as the router's
        children on ``dispatcher``; a group: ``routees``, existing pids. ``strategy``:
        "round_robin", "random", "broadcast", "consistent_hash" (``key(msg)`` gives an
        int, str or bytes; without it the message's type and bytes decide),
        "scatter_gather_first" (first answer within ``within`` seconds) or "tail_chopping"
        (one routee every ``interval`` seconds until an answer or ``within``). A failing
        pool routee is stopped, restarted (``max_retries`` within ``retry_within``
        seconds, then stopped) or resumed, as ``on_failure`` says. ``seed`` fixes the
        random choices (0: from the clock)."""
        if strategy not in STRATEGIES:
            raise ValueError(f"unknown routing strategy {strategy!r}; one of "
                             f"{', '.join(STRATEGIES)}")
        if on_failure not in FAILURE_POLICIES:
            raise ValueError(f"on_failure must be 'stop', 'restart' or 'resume', "
                             f"not {on_failure!r}")
        if name is not None and not isinstance(name, str):
            raise TypeError("the router name must be a str or None")
        if (routees is None) == (actor is None):
            raise ValueError("give either an actor factory and a size (a pool) or routees "
                             "(a group)")
        if actor is not None:
            if isinstance(actor, Actor) or not callable(actor):
                raise TypeError("a pool router needs an akt.Actor subclass or a factory, "
                                "not an instance")
            if not isinstance(size, int) or size < 1:
                raise ValueError("a pool router needs a size of at least 1")
        if key is not None and not callable(key):
            raise TypeError("key must be callable")
        pid = self._router_spawn(
            name, actor, size, STRATEGIES[strategy],
            None if routees is None else list(routees), key,
            _ns(within, "within"), _ns(interval, "interval"), FAILURE_POLICIES[on_failure],
            max_retries, _ns(retry_within, "retry_within"), seed, dispatcher)
        return Router(pid)

    def reinstate_named(self, path: str) -> None:
        """Resumes the suspended actor at ``path`` (see Pid.reinstate); ActorNotFound if
        there is none."""
        self.lookup(path).reinstate()

    def spawn_native(self, name: Optional[str], behavior: Any, state: Any = None) -> Pid:
        """Spawns a C actor: ``behavior`` is an ``akt_behavior *`` (a cffi pointer from any
        FFI, or its address as an int) and ``state`` its state pointer (taken by akt, freed
        by the behaviour's free_state). It runs on akt's workers; messages between it and
        Python actors are bytes (akt.Bytes) or Python objects it reads as bytes."""
        if name is not None and not isinstance(name, str):
            raise TypeError("the actor name must be a str or None")
        return self._spawn_native(name, _address(behavior),
                                  None if state is None else _address(state))

    # ------------------------------------------------------------------ metrics

    def metrics(self) -> "SystemMetrics":
        """The system's metrics (akt.SystemMetrics): actors alive, spawned, stopped,
        restarts, failures, dead letters, unhandled messages, uptime."""
        from . import metrics

        return metrics.system_metrics(self)

    def actor_metrics(self) -> "list[ActorMetrics]":
        """The metrics of every live actor (with its path), in the order of their cells."""
        from . import metrics

        return metrics.actor_metrics(self)

    def collect_metrics(self) -> "list[MetricPoint]":
        """Every data point as OpenTelemetry sees it (GoAkt's instrument names)."""
        from . import metrics

        return metrics.collect(self)

    def set_low_cardinality_metrics(self, on: bool = True) -> None:
        """Per-actor instruments without attributes, summed over actors (GoAkt's
        WithLowCardinalityMetrics)."""
        from . import metrics

        metrics.set_low_cardinality(self, on)

    # ------------------------------------------------------------------ topics

    def topic(self, name: str) -> "Topic":
        """The topic ``name`` of this system (publish / subscribe, see akt.Topic)."""
        from .topics import Topic

        return Topic(self, name)

    # ------------------------------------------------------------------ schedules

    def schedule_once(self, pid: Pid, msg: Any, delay: float = 0.0, *,
                      reference: Optional[str] = None, sender: Optional[Pid] = None,
                      type: Optional[str] = None) -> str:
        """Sends ``msg`` to ``pid`` once, ``delay`` seconds from now, on akt's timer thread
        (no thread per schedule). Returns the reference (``reference``, or a generated
        UUID). ScheduleExists (a NameTaken) if the reference is in use; ActorNotFound if
        ``pid`` never was an
        actor of this system (one that stopped is accepted: the fire is a dead letter)."""
        return self._schedule_new(pid, msg, type, seconds_to_ns(delay, "delay"), 0,
                                  reference, sender)

    def schedule_every(self, pid: Pid, msg: Any, interval: float, *,
                       initial_delay: Optional[float] = None, reference: Optional[str] = None,
                       sender: Optional[Pid] = None, type: Optional[str] = None) -> str:
        """Sends ``msg`` to ``pid`` every ``interval`` seconds, the first time after
        ``initial_delay`` (default: one interval). Fire k is due at first + k * interval
        (no drift); ticks missed while paused are skipped, not sent in a burst."""
        every = seconds_to_ns(interval, "interval", positive=True)
        first = every if initial_delay is None else seconds_to_ns(initial_delay,
                                                                  "initial_delay")
        return self._schedule_new(pid, msg, type, first, every, reference, sender)

    def schedule_cron(self, pid: Pid, msg: Any, expr: str, utc: bool = False, *,
                      reference: Optional[str] = None, sender: Optional[Pid] = None,
                      type: Optional[str] = None) -> str:
        """Sends ``msg`` to ``pid`` at every fire time of the cron expression ``expr``
        (Quartz syntax with seconds, see akt.validate_cron), in local time or, with
        ``utc=True``, in UTC. A tick never fires twice (not even if the wall clock is set
        back); ticks missed while paused are skipped. CronSyntaxError (an InvalidArgument,
        with ``column``) for an expression that does not parse; ActorNotFound also for one
        that never fires again. Pause, resume and cancel as the other schedules."""
        from .cron import validate_cron

        validate_cron(expr)
        return self._schedule_new(pid, msg, type, 0, 0, reference, sender, expr,
                                  lib.AKT_CRON_UTC if utc else 0)

    def pause_schedule(self, reference: str) -> None:
        """Stops a schedule's fires until resume_schedule(); it keeps its reference.
        ScheduleNotFound (an ActorNotFound, a LookupError) for an unknown reference."""
        self._schedule_op_checked(0, reference)

    def resume_schedule(self, reference: str) -> None:
        """Resumes a paused schedule at its next tick still to come (ScheduleNotFound for
        an unknown reference)."""
        self._schedule_op_checked(1, reference)

    def cancel_schedule(self, reference: str) -> None:
        """Ends a schedule; once this returned none of its fires is delivered
        (ScheduleNotFound for an unknown reference)."""
        self._schedule_op_checked(2, reference)

    # ft begin: schedule-specific errors
    def _schedule_new(self, pid: Pid, msg: Any, type: Optional[str], delay: int, every: int,
                      reference: Optional[str], sender: Optional[Pid],
                      *cron: Any) -> str:
        try:
            return self._schedule(pid, msg, type, delay, every, reference, sender, *cron)
        except NameTaken as e:  # only a reference can be taken
            if reference is None:
                raise
            raise ScheduleExists(str(e), reference) from None

    def _schedule_op_checked(self, op: int, reference: str) -> None:
        try:
            self._schedule_op(op, reference)
        except ActorNotFound as e:  # the one not-found of these calls: the reference
            raise ScheduleNotFound(str(e), reference) from None
    # ft end

    def schedules(self) -> list[ScheduleInfo]:
        """The schedules that have not ended, in the order they were made."""
        out = []
        for ref, target, sender, kind, paused, interval, expr, flags in self._schedules():
            out.append(ScheduleInfo(
                reference=ref, target=target, sender=sender,
                kind=KINDS.get(kind, "unknown"), paused=bool(paused),
                interval=interval / 1e9 if kind == EVERY else None, expression=expr,
                utc=bool(flags & lib.AKT_CRON_UTC)))
        return out

    # ------------------------------------------------------------------ grains

    def register_grain(self, kind: str, factory: "Callable[[str], Actor]", *,
                       deactivate_after: Optional[float] = 120.0,
                       dispatcher: Optional[str] = None,
                       mailbox: Optional["Mailbox"] = None,
                       dependencies: Optional[dict[str, Any]] = None,
                       reentrancy: Optional[str] = None, max_in_flight: int = 0) -> None:
        """Registers the grain kind ``kind`` (virtual actors, see akt.Grain): each
        activation is ``factory(name)``, an akt.Actor, run on ``dispatcher`` ("python",
        "workers" or None: the system's default). An activation idle for
        ``deactivate_after`` seconds deactivates (None or 0: never). Every activation gets
        ``mailbox`` (akt.Bounded: "fail" or "block" when full), ``dependencies``
        (ctx.dependency), ``reentrancy`` and ``max_in_flight`` (ctx.request), as spawn
        does. NameTaken if the kind is registered already."""
        from .grains import _register

        _register(self, kind, factory, deactivate_after, dispatcher, mailbox, dependencies,
                  reentrancy, max_in_flight)

    def grain(self, kind: str, name: str, *, deactivate_after: Any = None,
              mailbox: Optional["Mailbox"] = None, reentrancy: Optional[str] = None,
              max_in_flight: Optional[int] = None,
              dependencies: Optional[dict[str, Any]] = None) -> "Grain":
        """The grain ``kind/name`` of this system (tell / ask activate it). The options,
        given, override the kind's for the activation this grain's sends make (a grain
        active already keeps its own): ``deactivate_after`` seconds (0: long-lived; None,
        the default: the kind's), ``mailbox`` (akt.Bounded), ``reentrancy``,
        ``max_in_flight``, ``dependencies`` (a dict name -> value that replaces the kind's
        for ``ctx.dependency``; None or {}: the kind's). The system keeps the values of
        ``dependencies`` alive until it is freed (akt borrows them for its life), so make
        one handle per grain rather than one per send."""
        from .grains import FROM_KIND, Grain, _activation_options

        return Grain(self, kind, name, _activation_options(
            FROM_KIND if deactivate_after is None else deactivate_after, mailbox, reentrancy,
            max_in_flight, dependencies))

    # ------------------------------------------------------------------ events

    _TRACEBACKS_KEPT = 256

    def _keep_traceback(self, pid_id: int, text: str) -> None:
        """Remembers a Python failure's traceback until its failure event is delivered."""
        tbs = self._tracebacks
        tbs[pid_id] = text
        if len(tbs) > self._TRACEBACKS_KEPT:
            del tbs[next(iter(tbs))]

    def subscribe(self, callback: Callable[[Event], Any],
                  kinds: EventKind = EventKind.ALL) -> "_fast.Subscription":
        """Calls ``callback(event)`` for every event of ``kinds``, on the thread where the
        event happens and before that thread goes on (as akt calls a C subscriber): it must
        not block. Returns a Subscription (close() it, or use ``with``)."""
        return self._subscribe(callback, int(kinds))

    def on_dead_letter(self, callback: Callable[[Event], Any]) -> "_fast.Subscription":
        """Subscribes to dead letters: messages that reached no actor."""
        return self.subscribe(callback, EventKind.DEAD_LETTER)

    # ------------------------------------------------------------------ the service

    def _attach_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._loop_thread_known = False
        if _loop_thread_is_current(loop) or not loop.is_running():
            self._watch_fd()
        else:  # add_reader is not thread-safe: let the loop do it
            loop.call_soon_threadsafe(self._watch_fd)

    def _rebind_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        """Called (from C) by an await on ``loop`` when this system's actors run on another
        loop. A loop that has ended (a first ``asyncio.run()`` returned) hands the actors
        over to ``loop``, the running one; a loop still running elsewhere keeps them (the
        answer then reaches ``loop`` through call_soon_threadsafe)."""
        old = self._loop
        if old is None or old is loop or old.is_running():
            return
        if not old.is_closed():
            old.remove_reader(self._fileno)
        self._attach_loop(loop)

    def _watch_fd(self) -> None:
        assert self._loop is not None
        if _loop_thread_is_current(self._loop):
            self._set_service_thread()
            self._loop_thread_known = True
        self._loop.add_reader(self._fileno, self._on_readable)
        self._signal()  # work may have arrived before the reader was there

    def _on_readable(self) -> None:
        if not self._loop_thread_known:
            self._set_service_thread()  # the thread running the loop, from now on
            self._loop_thread_known = True
        more = self._service(SERVICE_BUDGET)
        if self._shutdown_done:
            self._finish_service()
        elif more and not self._again_pending:
            self._again_pending = True
            assert self._loop is not None
            self._loop.call_soon(self._again)

    def _again(self) -> None:
        self._again_pending = False
        self._on_readable()

    def _start_thread(self) -> None:
        t = threading.Thread(target=self._thread_main, name=f"akt-{self.name}", daemon=True)
        self._thread = t
        t.start()

    def _thread_main(self) -> None:
        self._set_service_thread()
        while True:
            more = self._service(SERVICE_BUDGET)
            if self._shutdown_done or self._finished:
                break
            if not more:
                self._wait(None)
        self._finish_service()

    def _finish_service(self) -> None:
        """Once shutdown completed: last queued work, then wake whoever waits for it."""
        with self._state_lock:
            if self._finished:
                return
            self._finished = True
            waiters, self._waiters = self._waiters, []
        if self._loop is not None and not self._loop.is_closed():
            if _loop_thread_is_current(self._loop) or not self._loop.is_running():
                self._loop.remove_reader(self._fileno)
            else:
                self._loop.call_soon_threadsafe(self._loop.remove_reader, self._fileno)
        self._service(0)
        for thread, fut in waiters:
            _fast.resolve(fut, True, None, thread)
        with _live_lock:
            _live.discard(self)

    def _runs_service_here(self) -> bool:
        """True if the calling thread must run the service itself while it waits: it is the
        loop's thread, or the loop that should run it is gone."""
        if self._loop is None:
            return self._thread is None or not self._thread.is_alive()
        return (self._loop.is_closed() or not self._loop.is_running()
                or _loop_thread_is_current(self._loop))

    # ------------------------------------------------------------------ shutdown

    def shutdown(self, timeout: Optional[float] = 10.0) -> bool:
        """Stops every actor (children first, post_stop run) and waits for the end.
        Returns False if it did not finish within ``timeout`` seconds. Called from inside
        an actor it only starts the shutdown (waiting there would wait for itself)."""
        self._shutdown_start()
        if _fast.in_run():
            return False
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._shutdown_done:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return False
            if self._runs_service_here():
                if not self._service(SERVICE_BUDGET):
                    self._wait(0.005 if left is None else min(0.005, left))
            else:
                try:
                    self._wait_done(0.05 if left is None else min(0.05, left))
                except DeadlockError:
                    return False  # called from an actor on a worker: it cannot wait here
        self._wait_done(None)
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()
        self._finish_service()
        return True

    async def shutdown_async(self, timeout: Optional[float] = 10.0) -> bool:
        """Asynchronous shutdown; returns False on timeout."""
        loop = asyncio.get_running_loop()
        self._shutdown_start()
        if self._loop is not loop and self._loop is not None and not self._loop.is_running():
            return await loop.run_in_executor(None, self.shutdown, timeout)
        fut: asyncio.Future[None] = loop.create_future()
        with self._state_lock:
            finished = self._finished
            if not finished:
                self._waiters.append((threading.get_ident(), fut))
        if not finished:
            self._signal()  # the service notices a completed shutdown when it runs
            try:
                await asyncio.wait_for(asyncio.shield(fut), timeout)
            except asyncio.TimeoutError:
                return False
        if self._thread is not None:
            await loop.run_in_executor(None, self._thread.join)
        return True

    def __enter__(self) -> "ActorSystem":
        return self

    def __exit__(self, exc_type: Optional[type[BaseException]],
                 exc: Optional[BaseException], tb: Optional[TracebackType]) -> None:
        self.shutdown()

    async def __aenter__(self) -> "ActorSystem":
        return self

    async def __aexit__(self, exc_type: Optional[type[BaseException]],
                        exc: Optional[BaseException], tb: Optional[TracebackType]) -> None:
        await self.shutdown_async()


def _address(ptr: Any) -> int:
    """The address of a cffi pointer (of any FFI instance) or an int address."""
    if isinstance(ptr, int):
        return ptr
    try:
        return int(ffi.cast("uintptr_t", ptr))
    except TypeError:
        # A pointer made by another FFI instance: that FFI knows how to cast it.
        import cffi  # type: ignore[import-untyped]  # cffi ships no type stubs

        return int(cffi.FFI().cast("uintptr_t", ptr))


def _running_loop() -> Optional[asyncio.AbstractEventLoop]:
    """The asyncio loop running on this thread, or None. Only for set-up and shutdown:
    the per-ask paths know their loop's thread without asking (csrc/ask.c)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _loop_thread_is_current(loop: asyncio.AbstractEventLoop) -> bool:
    return _running_loop() is loop


# ---------------------------------------------------------------------- C-side helpers


def _failure_text(pid: Optional[Pid], exc: BaseException) -> str:
    """The reason akt gets for a Python failure: ``"<type>: <message>"`` (just the type
    when the message is empty), the last line of its traceback, as every binding writes
    it. The traceback is kept for the failure event (Event.traceback)."""
    if pid is not None:
        pid.system._keep_traceback(pid.id, "".join(
            traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip())
    cls = type(exc)
    name = cls.__qualname__
    if cls.__module__ not in ("builtins", "__main__"):
        name = f"{cls.__module__}.{name}"
    text = str(exc)
    reason = f"{name}: {text}" if text else name
    _remember_failure(reason, cls)  # for the parent's class rules
    return reason


def _log_failure(pid: Optional[Pid], where: str, exc: BaseException) -> None:
    who = f"actor {pid!r}" if pid is not None else "akt"
    _log.error("%s failed in %s", who, where, exc_info=(type(exc), exc, exc.__traceback__))


def _ctx_ask(to: Pid, msg: Any, timeout: Optional[float], type: Optional[str]) -> Any:
    return to.ask_future(msg, timeout, type=type)


def _is_future(obj: Any) -> bool:
    return isinstance(obj, (concurrent.futures.Future, asyncio.Future))


def _pipe_prepare(task: Any, breaker: Any) -> int:
    """ctx.pipe_to's checks before the pipe starts: a future, an awaitable or a callable,
    and a breaker (its address for akt_ctx_pipe_start, 0 for none)."""
    if not _is_future(task) and not inspect.isawaitable(task) and not callable(task):
        raise TypeError(f"pipe_to() needs a future, an awaitable or a callable, not "
                        f"{type(task).__name__}")
    if breaker is None:
        return 0
    if not isinstance(breaker, CircuitBreaker):
        raise TypeError(f"pipe_to(breaker=) needs an akt.CircuitBreaker, not "
                        f"{type(breaker).__name__}")
    return int(ffi.cast("uintptr_t", breaker._b))


def _pipe_to(task: Any, pipe: Any) -> None:
    """Completes the started pipe (a capsule for _fast.pipe_complete) with the task's
    outcome: its result is delivered; an exception or a cancellation is the task's failure
    (a dead letter, "pipe_to: task failed"). A callable is called now (it returns a future,
    an awaitable or the value itself); an awaitable runs as a task on the running loop (none: RuntimeError, and the pipe
    fails). pipe an int: akt_ctx_pipe_start refused with that code (an open breaker: BreakerOpen);
    an awaitable that will never run is closed, a callable is not called."""
    if isinstance(pipe, int):
        if inspect.iscoroutine(task):
            task.close()
        if pipe == lib.AKT_EBUSY:
            raise BreakerOpen("pipe_to: the breaker is open, the task was not started")
        raise error_for(pipe, "pipe_to")
    try:
        future = task
        if not _is_future(future) and not inspect.isawaitable(future):
            future = task()
        if inspect.isawaitable(future) and not _is_future(future):
            # on the running loop only (RuntimeError without one: on akt's workers)
            future = asyncio.ensure_future(future, loop=asyncio.get_running_loop())
    except BaseException:
        if inspect.iscoroutine(future):
            future.close()  # it will never run
        _fast.pipe_complete(pipe, lib.AKT_EFAILED, None)
        raise
    if not _is_future(future):  # a callable's plain value
        _fast.pipe_complete(pipe, 0, future)
        return

    def done(f: Any) -> None:
        exc = None if f.cancelled() else f.exception()
        if f.cancelled() or exc is not None:
            code = exc.code if isinstance(exc, AktError) and exc.code < 0 else lib.AKT_EFAILED
            _fast.pipe_complete(pipe, code, None)
            return
        try:
            _fast.pipe_complete(pipe, 0, f.result())
        except Exception as e:  # not a message, or one the target cannot read: the pipe
            _log.warning("pipe_to: the result was not delivered: %s", e)  # failed (a dead letter)

    future.add_done_callback(done)


def _describe_ask(pid: Pid, msg: Any, type: Optional[str]) -> str:
    """The subject of a failed ask's message: whom it asked and what, as
    ``ask of akt://sys/user/x with mod.Withdraw``."""
    try:
        where = pid.path
    except AktError:
        where = f"a stopped actor (#{pid.id:x})"
    return f"ask of {where} with {type or _fast.type_name(msg)}"


_fast.configure(
    describe_ask=_describe_ask,
    ctx_ask=_ctx_ask,
    pipe_to=_pipe_to,
    pipe_prepare=_pipe_prepare,
    bytes_type=Bytes,
    terminated_type=Terminated,
    pid_type=Pid,
    error_for=error_for,
    failure_text=_failure_text,
    log_failure=_log_failure,
    get_running_loop=asyncio.get_running_loop,
    event_type=_make_event,
    actor_type=Actor,
    message_type=Message,
    async_start=_async.start,
    request_type=_async.Request,
)


@atexit.register
def _shutdown_all_at_exit() -> None:
    """A system left running at exit is shut down here, before the interpreter goes."""
    with _live_lock:
        systems = list(_live)
    for system in systems:
        try:
            system.shutdown(timeout=5.0)
        except Exception:  # pragma: no cover  (best effort at exit)
            _log.exception("akt: shutting down %r at exit failed", system)
    _fast.teardown()
