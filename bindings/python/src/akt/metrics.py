"""Metrics (akt/telemetry.h): ``system.metrics()``, ``pid.metrics()``, ``system.actor_metrics()``
and the OpenTelemetry-shaped ``system.collect_metrics()``.

Readings are snapshots of counters the runtime keeps anyway (relaxed atomics: nothing runs
unless you read). ``instrument(system)`` hands them to OpenTelemetry when the
``opentelemetry-api`` package is installed: one observable callback per instrument, named as
GoAkt's (``actor.processed.count``, ``actorsystem.deadletters.count``, ...); without it the
readings stay plain dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Optional

from ._lib import ffi, lib, text
from .errors import error_for

if TYPE_CHECKING:
    from .pid import Pid
    from .system import ActorSystem


@dataclass(frozen=True)
class SystemMetrics:
    """A system's readings (``ActorSystem.metrics()``)."""

    actors_alive: int
    """Live actors now, the guardian (``/user``) aside."""
    actors_spawned: int
    """Actors spawned since the system was created."""
    actors_stopped: int
    """Actors stopped since the system was created."""
    restarts: int
    """Restarts of any actor, since the system was created."""
    failures: int
    """Failures of any actor (in ``receive`` or ``pre_start``), since the system was created."""
    dead_letters: int
    """Accepted messages that could not be delivered (each also a DEAD_LETTER event)."""
    unhandled: int
    """Messages a receive did not handle, over every actor."""
    uptime: float  # seconds
    """Seconds since the system was created."""
    grains: int = 0
    """Grain activations now (``actorsystem.grains.count``)."""
    peers: int = 0
    """Remote connections open now, handshake done, either direction
    (``actorsystem.peers.count``)."""
    passivated: int = 0
    """Actors passivated since the system was created, of every kind
    (``actor.passivated.count``, whose points are per ``actor.kind``)."""
    scheduled: int = 0
    """Schedules made since the system was created (``scheduler.scheduled.count``)."""
    cancelled: int = 0
    """Schedules ended by ``cancel_schedule`` (``scheduler.cancelled.count``)."""


@dataclass(frozen=True)
class ActorMetrics:
    """One actor's readings (``Pid.metrics()``), of its current incarnation."""

    processed: int
    """Messages that reached its receive: handled, unhandled or failed."""
    restarts: int
    """Restarts of this actor by its supervisor (a restart keeps the readings)."""
    failures: int
    """Its failures, in ``receive`` or ``pre_start``."""
    unhandled: int
    """Messages its receive did not handle."""
    mailbox_size: int
    """Messages waiting in its mailbox now, the stash aside."""
    stash_size: int
    """Messages in its stash now (``ctx.stash()``)."""
    children: int
    """Its live children now."""
    last_processing_duration: float  # seconds, the last timed receive
    """How long its last timed receive took, in seconds: the first message of each turn is
    timed (for a batch receive, the run's mean); 0.0 before any."""
    uptime: float  # seconds
    """Seconds since it was spawned."""
    path: Optional[str] = None  # set by ActorSystem.actor_metrics()
    """Its path (``"akt://<system>/user/..."``) in ``ActorSystem.actor_metrics()``; None from
    ``Pid.metrics()``, whose pid says which actor it is."""
    dead_letters: int = 0
    """Messages to this incarnation that went to dead letters (``actor.deadletters.count``)."""
    reinstates: int = 0
    """Its reinstates after a suspension (``actor.reinstate.count``)."""
    kind: Optional[str] = None
    """Its kind (``spawn(kind=...)``, by default its class, module-qualified): the
    ``actor.kind`` attribute; None for an actor spawned without one (``kind=""``, or a
    native actor)."""


@dataclass(frozen=True)
class MetricPoint:
    """One OpenTelemetry data point (``ActorSystem.collect_metrics()``)."""

    name: str
    """The instrument's name, as GoAkt's: e.g. ``"actor.processed.count"``,
    ``"actorsystem.deadletters.count"``."""
    kind: str  # "counter" or "gauge"
    """``"counter"`` (a monotonic sum: ``value`` is the total so far) or ``"gauge"`` (``value``
    is the reading at the time of collection)."""
    unit: str
    """The UCUM unit: ``"1"`` for counts, ``"s"``, ``"ms"``."""
    description: str
    """A one-line description of the instrument."""
    attributes: dict[str, str]
    """For per-actor instruments: ``actor.system``, ``actor.name``, ``actor.address`` and, for
    an actor with a kind, ``actor.kind``; empty for system instruments. Under the
    low-cardinality switch, one point per kind (only ``actor.kind``; actors without a kind
    as a point without attributes), summed over its actors. ``actor.passivated.count`` has
    one point per kind (``actor.kind``) and one without attributes for actors without."""
    value: float
    """The reading: the sum so far (counter) or the current value (gauge)."""


def _check(rc: int, what: str) -> None:
    if rc:
        raise error_for(rc, what)


def _actor(m: Any, path: Optional[str] = None) -> ActorMetrics:
    return ActorMetrics(int(m.processed), int(m.restarts), int(m.failures), int(m.unhandled),
                        int(m.mailbox_size), int(m.stash_size), int(m.children),
                        m.last_processing_ns / 1e9, m.uptime_ns / 1e9, path,
                        int(m.dead_letters), int(m.reinstates),
                        text(m.kind) if m.kind != ffi.NULL else None)


def system_metrics(system: "ActorSystem") -> SystemMetrics:
    """The readings of ``system`` (what ``ActorSystem.metrics()`` returns)."""
    m = ffi.new("akt_system_metrics *")
    m.size = ffi.sizeof("akt_system_metrics")
    _check(lib.akt_metrics_system(ffi.cast("akt_system *", system._address), m), "metrics")
    return SystemMetrics(int(m.actors_alive), int(m.actors_spawned), int(m.actors_stopped),
                         int(m.restarts), int(m.failures), int(m.dead_letters),
                         int(m.unhandled), m.uptime_ns / 1e9, int(m.grains), int(m.peers),
                         int(m.passivated), int(m.scheduled), int(m.cancelled))


def pid_metrics(pid: "Pid") -> ActorMetrics:
    """The readings of the live actor ``pid`` (what ``Pid.metrics()`` returns); ActorNotFound
    for a stopped or remote pid."""
    m = ffi.new("akt_actor_metrics *")
    m.size = ffi.sizeof("akt_actor_metrics")
    p = ffi.new("akt_pid *")
    p.id = pid.id
    _check(lib.akt_metrics_actor(ffi.cast("akt_system *", pid.system._address), p[0], m),
           f"metrics of {pid!r}")
    return _actor(m)


def actor_metrics(system: "ActorSystem") -> list[ActorMetrics]:
    """The readings of every actor live when the walk began, each with its path, in the order
    of their cells (what ``ActorSystem.actor_metrics()`` returns)."""
    out: list[ActorMetrics] = []

    @ffi.callback("int(*)(const akt_actor_metrics *, const char *, void *)")
    def each(m: Any, path: Any, data: Any) -> int:
        out.append(_actor(m, text(path)))
        return 0

    _check(lib.akt_metrics_foreach(ffi.cast("akt_system *", system._address), each, ffi.NULL),
           "actor_metrics")
    return out


_KINDS = {lib.AKT_METRIC_COUNTER: "counter", lib.AKT_METRIC_GAUGE: "gauge"}


def collect(system: "ActorSystem") -> list[MetricPoint]:
    """Every data point of ``system``: the system instruments first, then each per-actor
    instrument for every live actor (what ``ActorSystem.collect_metrics()`` returns)."""
    out: list[MetricPoint] = []

    @ffi.callback("int(*)(const akt_metric_point *, void *)")
    def each(p: Any, data: Any) -> int:
        attrs = {text(p.attrs[i].key): text(p.attrs[i].value) for i in range(p.nattrs)}
        out.append(MetricPoint(text(p.name), _KINDS.get(p.kind, "gauge"), text(p.unit),
                               text(p.description), attrs, float(p.value)))
        return 0

    _check(lib.akt_metrics_collect(ffi.cast("akt_system *", system._address), each, ffi.NULL),
           "collect_metrics")
    return out


def set_low_cardinality(system: "ActorSystem", on: bool) -> None:
    """Switches per-actor instruments to one point per kind (attribute ``actor.kind`` only;
    actors without a kind as one point without attributes), summed over its actors (``on``),
    or back to one point per actor (GoAkt's WithLowCardinalityMetrics)."""
    _check(lib.akt_metrics_set_low_cardinality(ffi.cast("akt_system *", system._address),
                                               1 if on else 0), "low_cardinality")


SCOPE = "github.com/Tochemey/goakt/v4/telemetry"
"""The OpenTelemetry instrumentation scope of ``instrument``'s default meter: the one GoAkt's
telemetry package uses, so akt's instruments come under GoAkt's name."""


def instrument(system: "ActorSystem", meter: Any = None) -> list[Any]:
    """Registers the system's instruments with OpenTelemetry (``opentelemetry-api``): one
    observable instrument per name, each reading ``collect_metrics()`` when the SDK
    collects. ``meter`` defaults to the global meter provider's meter of GoAkt's scope.
    Returns the instruments; ImportError without ``opentelemetry-api``, TypeError for a
    ``system`` that is not an ActorSystem or a ``meter`` without the observable factories."""
    from .system import ActorSystem

    if not isinstance(system, ActorSystem):
        raise TypeError("instrument: system must be an akt.ActorSystem")
    if meter is not None and not all(callable(getattr(meter, f, None)) for f in
                                     ("create_observable_counter", "create_observable_gauge")):
        raise TypeError("instrument: meter must be an OpenTelemetry Meter")
    from opentelemetry import metrics as otel  # optional dependency
    from opentelemetry.metrics import CallbackOptions, Observation

    meter = meter or otel.get_meter(SCOPE)
    made: list[Any] = []
    for p in {pt.name: pt for pt in collect(system)}.values():

        def observe(options: CallbackOptions, name: str = p.name) -> list[Observation]:
            return [Observation(pt.value, pt.attributes) for pt in collect(system)
                    if pt.name == name]

        make: Callable[..., Any] = (meter.create_observable_counter if p.kind == "counter"
                                    else meter.create_observable_gauge)
        made.append(make(p.name, callbacks=[observe], unit=p.unit, description=p.description))
    return made
