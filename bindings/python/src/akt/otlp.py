"""Export over OTLP/HTTP with protobuf (akt/telemetry.h, ``akt_otlp_*``): a system's spans
and metrics sent to an OpenTelemetry collector by akt's own exporter thread, in C.

    akt.otlp.start(system, "http://127.0.0.1:4318",
                   headers={"authorization": "Bearer x"}, service_name="orders")
    ...
    akt.otlp.flush(system)          # True: everything queued so far was accepted
    akt.otlp.stats(system).spans_dropped

Spans go to ``<endpoint>/v1/traces``, metric readings (GoAkt's instrument names, see
``akt.metrics``) every ``flush_interval`` seconds to ``<endpoint>/v1/metrics``. Nothing of it
runs on Python's side or holds the GIL: the trace sink copies each span into a bounded queue
(``queue_capacity``) and returns; a full queue drops the span and counts it. A collector
that is down, slow (``timeout``) or answers errors costs retries (``max_retries``, only for
no answer, 429, 502, 503, 504) and then counted drops, never a blocked actor. The exporter
installs the system's trace sink (``akt.tracing.set_sink`` afterwards replaces it), lives as
long as the system and sends what is queued one last time when it shuts down.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping, Optional, Sequence, Union

from ._lib import ffi, lib
from .errors import error_for

if TYPE_CHECKING:
    from .system import ActorSystem

# What start keeps alive for the C side while it copies (it copies everything).
Headers = Union[Mapping[str, str], Sequence[str], None]


@dataclass(frozen=True)
class ExporterStats:
    """What the exporter did since it started (``akt_otlp_stats``)."""

    spans_queued: int
    """Spans taken into the queue."""
    spans_exported: int
    """Spans of requests the collector accepted."""
    spans_dropped: int  # queue full, or their request failed for good
    """Spans dropped: the queue was full, or their request failed for good."""
    spans_dropped_full: int  # of spans_dropped: the queue was full
    """Of ``spans_dropped``, those dropped because the queue was full."""
    points_exported: int
    """Metric data points of requests the collector accepted."""
    points_dropped: int
    """Metric data points of requests that failed for good."""
    requests: int  # attempts, retries included
    """HTTP requests attempted, each retry counted as one more."""
    requests_failed: int
    """Attempts that failed: a transport error (no connection, timeout) or a non-2xx answer."""
    retries: int
    """Attempts that were retries."""
    queue_size: int  # spans waiting now
    """Spans waiting in the queue now."""
    last_http_status: int  # 0: the last attempt got no answer
    """The HTTP status of the last attempt; 0 if it got no answer."""


def _sys(system: "ActorSystem") -> Any:
    return ffi.cast("akt_system *", system._address)


def _ms(seconds: float, what: str) -> int:
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise TypeError(f"otlp.start: {what} must be a number of seconds")
    return int(round(seconds * 1000))


def start(system: "ActorSystem", endpoint: str, *, headers: Headers = None,
          service_name: Optional[str] = None, traces: bool = True, metrics: bool = True,
          batch_size: int = 512, queue_capacity: int = 2048, flush_interval: float = 1.0,
          timeout: float = 5.0, max_retries: int = 2) -> None:
    """Starts the exporter of ``system``. ``endpoint`` is the collector's base URL
    (``http://`` or ``https://``); ``headers`` a mapping or ``"Name: value"`` lines sent with
    every request; times in seconds. InvalidArgument (a ValueError) for a bad value (the
    ranges of akt_otlp_options), NameTaken if the system has an exporter already,
    SystemClosed once it shuts down."""
    if not isinstance(endpoint, str):
        raise TypeError("otlp.start: endpoint must be a str")
    if headers is None:
        lines: list[str] = []
    elif isinstance(headers, Mapping):
        lines = [f"{k}: {v}" for k, v in headers.items()]
    elif isinstance(headers, (list, tuple)):
        lines = list(headers)
    else:
        raise TypeError("otlp.start: headers must be a mapping or a list of 'Name: value'")
    for h in lines:
        if not isinstance(h, str):
            raise TypeError("otlp.start: each header must be a str")
    if not traces and not metrics:
        raise ValueError("otlp.start: nothing to export (traces and metrics both off)")
    for name, v in (("batch_size", batch_size), ("queue_capacity", queue_capacity),
                    ("max_retries", max_retries)):
        if isinstance(v, bool) or not isinstance(v, int):
            raise TypeError(f"otlp.start: {name} must be an int")
        if not 0 <= v <= 0xFFFFFFFF:
            raise ValueError(f"otlp.start: {name} out of range: {v}")
    o = ffi.new("akt_otlp_options *")
    lib.akt_otlp_options_init(o)
    keep = [ffi.new("char[]", endpoint.encode())]
    o.endpoint = keep[0]
    if service_name is not None:
        keep.append(ffi.new("char[]", str(service_name).encode()))
        o.service_name = keep[-1]
    arr = ffi.new("const char *[]", max(len(lines), 1))
    for i, h in enumerate(lines):
        keep.append(ffi.new("char[]", h.encode()))
        arr[i] = keep[-1]
    o.headers = arr
    o.nheaders = len(lines)
    o.signals = (lib.AKT_OTLP_TRACES if traces else 0) | (lib.AKT_OTLP_METRICS if metrics else 0)
    o.batch_size = batch_size
    o.queue_capacity = queue_capacity
    o.flush_interval_ms = _ms(flush_interval, "flush_interval")
    o.timeout_ms = _ms(timeout, "timeout")
    o.max_retries = max_retries
    rc = lib.akt_otlp_start(_sys(system), o)
    if rc:
        raise error_for(rc, "otlp.start")


def flush(system: "ActorSystem", timeout: float = 30.0) -> bool:
    """Sends what is queued and a metric reading now, and waits (at most ``timeout``
    seconds, releasing the GIL): True if the collector accepted every request of that
    round, False if one failed (see ``stats``). AskTimeout when the time ran out,
    ActorNotFound without an exporter, SystemClosed once it stopped. Not from an actor."""
    rc = lib.akt_otlp_flush(_sys(system), _ms(timeout, "timeout"))
    if rc == lib.AKT_EUNREACHABLE:
        return False
    if rc:
        raise error_for(rc, "otlp.flush")
    return True


def stats(system: "ActorSystem") -> ExporterStats:
    """The exporter's counters (also exported as akt.otlp.* instruments)."""
    st = ffi.new("akt_otlp_stats *")
    st.size = ffi.sizeof("akt_otlp_stats")
    rc = lib.akt_otlp_stats_read(_sys(system), st)
    if rc:
        raise error_for(rc, "otlp.stats")
    return ExporterStats(int(st.spans_queued), int(st.spans_exported), int(st.spans_dropped),
                         int(st.spans_dropped_full), int(st.points_exported),
                         int(st.points_dropped), int(st.requests), int(st.requests_failed),
                         int(st.retries), int(st.queue_size), int(st.last_http_status))
