"""Tracing (akt/telemetry.h): W3C traceparent values and a span per handled message.

``akt.tracing.set_sink(system, fn)`` calls ``fn(span)`` for every message an actor of
``system`` handled: ``span`` is a :class:`Span` whose parent is the message's
``traceparent`` header; what the actor sends while handling it carries the span's own
traceparent, across remoting too, so a request through actors on connected systems is one
trace. ``fn`` runs on the handling actor's thread once its receive returned: it must not
block. ``set_sink(system, None)`` switches tracing off (one branch per message then).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Optional, Union

from ._lib import ffi, lib, text
from .errors import error_for

if TYPE_CHECKING:
    from .system import ActorSystem

HEADER = "traceparent"  # AKT_TRACEPARENT_HEADER
"""The name of the message header that carries a trace context (W3C's): a handled
message's is its span's parent, and what the actor sends while handling it gets the
span's own."""
SAMPLED = lib.AKT_TRACE_SAMPLED
"""The W3C ``sampled`` bit of ``flags`` (0x01): the sender may have recorded the trace."""


@dataclass(frozen=True)
class TraceContext:
    """What a traceparent carries: ids as lowercase hex (32 and 16 digits) and the flags."""

    trace_id: str
    """The trace's id: 32 lowercase hex digits (16 bytes); all zeros is not a valid one."""
    span_id: str
    """The parent span's id (the sender's span): 16 lowercase hex digits (8 bytes); all
    zeros is not a valid one."""
    flags: int
    """The trace flags byte (0..255): SAMPLED and bits of later versions."""

    @property
    def sampled(self) -> bool:
        """True if ``flags`` has the SAMPLED bit."""
        return bool(self.flags & SAMPLED)

    def traceparent(self) -> str:
        """The version 00 traceparent value; ValueError for ids akt would not accept."""
        c = ffi.new("akt_trace_context *")
        try:
            tid, sid = bytes.fromhex(self.trace_id), bytes.fromhex(self.span_id)
        except ValueError:
            raise ValueError(f"not hex ids: {self!r}") from None
        if len(tid) != 16 or len(sid) != 8 or not 0 <= self.flags <= 255:
            raise ValueError(f"not a trace context: {self!r}")
        ffi.memmove(c.trace_id, tid, 16)
        ffi.memmove(c.span_id, sid, 8)
        c.flags = self.flags
        buf = ffi.new("char[]", lib.AKT_TRACEPARENT_LEN + 1)
        rc = lib.akt_traceparent_format(c, buf, len(buf))
        if rc:
            raise ValueError(f"not a trace context (all-zero id): {self!r}")
        return text(buf)


def parse_traceparent(value: Union[str, bytes]) -> Optional[TraceContext]:
    """The trace context of a traceparent value, or None if it is not a valid one (strict,
    as akt's own parser: lowercase hex, version 00 exactly 55 characters)."""
    raw = value.encode("utf-8", "replace") if isinstance(value, str) else bytes(value)
    c = ffi.new("akt_trace_context *")
    if lib.akt_traceparent_parse(raw, len(raw), c):
        return None
    return TraceContext(bytes(ffi.buffer(c.trace_id, 16)).hex(),
                        bytes(ffi.buffer(c.span_id, 8)).hex(), int(c.flags))


@dataclass(frozen=True)
class Span:
    """One handled message. Ids are lowercase hex; ``parent_id`` is None for a root span;
    times are ns since the Unix epoch; ``status`` is 0 or the AKT_E* code receive ended
    with (a Python actor's exception is a failure code)."""

    name: str
    """``"receive <message type>"``."""
    trace_id: str
    """Its trace's id, 32 lowercase hex digits: the parent's trace, or a new one for a root span."""
    span_id: str
    """This span's own id, 16 lowercase hex digits, new for each handled message; what the
    messages sent meanwhile carry as their parent."""
    parent_id: Optional[str]
    """The parent span's id (from the message's traceparent header), 16 hex digits; None for a
    root span (no header, or an invalid one)."""
    flags: int
    """The trace's flags: SAMPLED and bits of later versions."""
    start_ns: int
    """When the receive started: ns since the Unix epoch (the realtime clock)."""
    end_ns: int
    """When the receive returned, as ``start_ns``."""
    actor_path: str
    """The handling actor's path, e.g. ``"akt://sys/user/a"``."""
    message_type: str
    """The handled message's type name (``akt.type_name``)."""
    status: int
    """What the receive ended with: 0, or a negative AKT_E* code (AKT_EFAILED for a Python
    actor's exception)."""


def _span(s: Any) -> Span:
    parent = bytes(ffi.buffer(s.parent_id, 8))
    return Span(text(s.name), bytes(ffi.buffer(s.trace_id, 16)).hex(),
                bytes(ffi.buffer(s.span_id, 8)).hex(),
                None if parent == bytes(8) else parent.hex(), int(s.flags), int(s.start_ns),
                int(s.end_ns), text(s.actor_path), text(s.message_type), int(s.status))


# The installed callbacks, by system address: cffi frees a callback with its Python object,
# and akt may call an old one while a switch is under way, so none is ever dropped before
# its system is (a few per system).
_sinks: dict[int, list[Any]] = {}


def set_sink(system: "ActorSystem", sink: Optional[Callable[[Span], Any]]) -> None:
    """Installs ``sink`` (replacing the one before) or, with None, switches tracing off. An
    exception in ``sink`` is printed (as an unraisable exception) and the span dropped."""
    addr = system._address
    if sink is None:
        rc = lib.akt_trace_set_sink(ffi.cast("akt_system *", addr), ffi.NULL, ffi.NULL)
    else:
        if not callable(sink):
            raise TypeError("set_sink: sink must be callable or None")

        def _on_error(exc: Any, val: Any, tb: Any) -> None:
            import sys

            # typeshed declares UnraisableHookArgs a Protocol; at run time it is a structseq
            sys.unraisablehook(sys.UnraisableHookArgs(  # type: ignore[misc, call-arg]
                exc, val, tb, "in an akt trace sink", sink))

        @ffi.callback("void(*)(const akt_span *, void *)", onerror=_on_error)
        def each(s: Any, data: Any) -> None:
            sink(_span(s))

        _sinks.setdefault(addr, []).append(each)
        rc = lib.akt_trace_set_sink(ffi.cast("akt_system *", addr), each, ffi.NULL)
    if rc:
        raise error_for(rc, "set_sink")


def invalid_count(system: "ActorSystem") -> int:
    """Invalid traceparent headers seen on handled messages (ignored, each a root span)."""
    n = ffi.new("uint64_t *")
    rc = lib.akt_trace_invalid_count(ffi.cast("akt_system *", system._address), n)
    if rc:
        raise error_for(rc, "invalid_count")
    return int(n[0])


# otlp begin: akt's spans handed to the OpenTelemetry API (opentelemetry-api)
# The span being recorded on this thread, read by AktIdGenerator (the SDK draws a started
# span's ids on the thread that starts it).
import threading as _threading

_starting = _threading.local()


def record(tracer: Any, span: Span) -> None:
    """Records one akt span with an OpenTelemetry ``tracer`` (``opentelemetry.trace.Tracer``),
    started and ended at akt's times, kind CONSUMER, with akt's name, trace id and parent
    (a remote parent), and the attributes ``actor.address``, ``message.type`` and, when
    receive failed, ``akt.error.code`` (and an ERROR status). The API cannot set a span's own
    id: a tracer of an SDK ``TracerProvider(id_generator=akt.tracing.id_generator())`` keeps
    akt's span ids (and root spans' trace ids), so that parent links hold in what it exports;
    any other tracer gives fresh ids. ValueError for a span whose ids or times are not a
    span's."""
    from opentelemetry import trace
    from opentelemetry.context import Context

    try:
        tid, sid = int(span.trace_id, 16), int(span.span_id, 16)
        pid = None if span.parent_id is None else int(span.parent_id, 16)
    except (TypeError, ValueError):
        raise ValueError(f"not an akt span: {span!r}") from None
    if (not tid or not sid or pid == 0 or len(span.trace_id) != 32 or len(span.span_id) != 16
            or span.end_ns < span.start_ns):
        raise ValueError(f"not an akt span: {span!r}")
    if pid is None:
        ctx = Context()  # no parent: a root
    else:
        parent = trace.SpanContext(tid, pid, is_remote=True,
                                   trace_flags=trace.TraceFlags(span.flags & 0xFF))
        ctx = trace.set_span_in_context(trace.NonRecordingSpan(parent), Context())
    attributes: dict[str, Any] = {"actor.address": span.actor_path,
                                  "message.type": span.message_type}
    if span.status:
        attributes["akt.error.code"] = span.status
    _starting.span = span
    try:
        out = tracer.start_span(span.name, context=ctx, kind=trace.SpanKind.CONSUMER,
                                attributes=attributes, start_time=span.start_ns)
    finally:
        _starting.span = None
    if span.status:
        out.set_status(trace.Status(trace.StatusCode.ERROR, f"akt error {span.status}"))
    out.end(end_time=span.end_ns)


def opentelemetry_sink(tracer: Any) -> Callable[[Span], None]:
    """A sink for ``set_sink`` recording every span with ``tracer`` (see ``record``):
    ``akt.tracing.set_sink(system, akt.tracing.opentelemetry_sink(tracer))``."""
    if tracer is None or not hasattr(tracer, "start_span"):
        raise TypeError("opentelemetry_sink: tracer must be an opentelemetry Tracer")
    return lambda span: record(tracer, span)


def id_generator(others: Any = None) -> Any:
    """An OpenTelemetry SDK ``IdGenerator`` (needs ``opentelemetry-sdk``) that gives the
    spans ``record`` starts akt's ids and any other span the ids of ``others`` (default:
    the SDK's random generator)."""
    from opentelemetry.sdk.trace.id_generator import IdGenerator, RandomIdGenerator

    base = others if others is not None else RandomIdGenerator()

    class AktIdGenerator(IdGenerator):
        def generate_span_id(self) -> int:
            s = getattr(_starting, "span", None)
            return int(s.span_id, 16) if s is not None else base.generate_span_id()

        def generate_trace_id(self) -> int:
            s = getattr(_starting, "span", None)
            return int(s.trace_id, 16) if s is not None else base.generate_trace_id()

    return AktIdGenerator()
# otlp end
