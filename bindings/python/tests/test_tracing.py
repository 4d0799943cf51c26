"""Tracing: traceparent values, a span per handled message, one trace through a chain."""

from __future__ import annotations

import threading
import time
from typing import Any, Optional

import akt
from akt import tracing

VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def test_traceparent_parse_and_format() -> None:
    c = tracing.parse_traceparent(VALID)
    assert c == tracing.TraceContext("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", 1)
    assert c is not None and c.sampled and c.traceparent() == VALID
    assert tracing.parse_traceparent(VALID.encode()) == c
    for bad in ("", VALID.upper(), VALID + "-", "ff" + VALID[2:], VALID[:-1],
                "00-" + "0" * 32 + VALID[35:]):
        assert tracing.parse_traceparent(bad) is None, bad
    try:
        tracing.TraceContext("0" * 32, "1" * 16, 0).traceparent()
    except ValueError:
        pass
    else:
        raise AssertionError("an all-zero trace id was formatted")


class Relay(akt.Actor):
    def __init__(self, to: Optional[akt.Pid], seen: list[Any]) -> None:
        self.to, self.seen = to, seen

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        self.seen.append(ctx.headers.get("traceparent"))
        if self.to is not None:
            ctx.tell(self.to, msg + 1)


def test_spans_of_a_chain_are_one_trace(any_system: akt.ActorSystem) -> None:
    spans: list[tracing.Span] = []
    done = threading.Event()

    def sink(s: tracing.Span) -> None:
        spans.append(s)
        if len(spans) == 3:
            done.set()

    tracing.set_sink(any_system, sink)
    seen: list[Any] = []
    c = any_system.spawn("c", Relay(None, seen))
    b = any_system.spawn("b", Relay(c, seen))
    a = any_system.spawn("a", Relay(b, seen))
    a.tell(1)
    assert done.wait(10), spans
    by_path = {s.actor_path.rsplit("/", 1)[1]: s for s in spans}
    sa, sb, sc = by_path["a"], by_path["b"], by_path["c"]
    assert sa.parent_id is None and sb.parent_id == sa.span_id and sc.parent_id == sb.span_id
    assert sa.trace_id == sb.trace_id == sc.trace_id
    assert sa.status == 0 and sa.end_ns >= sa.start_ns > 0 and sa.flags == tracing.SAMPLED
    # What a and b sent carried their span: the traceparent c got names b's span.
    assert seen[0] is None
    assert tracing.parse_traceparent(seen[2]) == tracing.TraceContext(sb.trace_id,
                                                                      sb.span_id, 1)
    # Off: no more spans, no more headers.
    tracing.set_sink(any_system, None)
    a.tell(1)
    deadline = time.monotonic() + 10
    while len(seen) < 6 and time.monotonic() < deadline:
        time.sleep(0.005)
    assert seen[3:] == [None, None, None]
    assert len(spans) == 3
    assert tracing.invalid_count(any_system) == 0


def test_invalid_traceparent_is_counted(any_system: akt.ActorSystem) -> None:
    spans: list[tracing.Span] = []
    got = threading.Event()

    def sink(s: tracing.Span) -> None:
        spans.append(s)
        got.set()

    tracing.set_sink(any_system, sink)
    c = any_system.spawn("c", Relay(None, []))
    c.tell(0, headers={"traceparent": "00-nope"})
    assert got.wait(10)
    assert spans[0].parent_id is None
    assert tracing.invalid_count(any_system) == 1


def test_sink_must_be_callable(system: akt.ActorSystem) -> None:
    try:
        tracing.set_sink(system, 42)  # type: ignore[arg-type]
    except TypeError:
        pass
    else:
        raise AssertionError("a non-callable sink was accepted")
