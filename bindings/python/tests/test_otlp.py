"""The OTLP exporter from Python (akt.otlp) against the test suite's receiver
(tests/otlp/receiver.py, decoding with opentelemetry-proto), and akt's spans handed to the
OpenTelemetry API and SDK (akt.tracing.record / opentelemetry_sink / id_generator)."""

from __future__ import annotations

import socket
import sys
import threading
from typing import Any, Optional

import pytest

import akt
from akt import otlp, tracing

from conftest import REPO

sys.path.insert(0, str(REPO / "tests" / "otlp"))
from receiver import Receiver, attrs, points_of, spans_of  # noqa: E402


class Relay(akt.Actor):
    def __init__(self, to: Optional[akt.Pid]) -> None:
        self.to = to

    def receive(self, ctx: akt.Context, msg: Any) -> None:
        if msg == "fail":
            raise RuntimeError("asked to fail")
        if msg == "probe":
            ctx.respond("probed")
        elif self.to is not None:
            ctx.tell(self.to, msg)


def test_exports_spans_and_metrics(any_system: akt.ActorSystem) -> None:
    with Receiver() as r:
        otlp.start(any_system, r.endpoint, headers={"X-Tenant": "t1"}, service_name="py-svc",
                   batch_size=8, flush_interval=0.1)
        b = any_system.spawn("b", Relay(None))
        a = any_system.spawn("a", Relay(b))
        for i in range(10):
            a.tell(f"m{i}")
        assert b.ask_sync("probe", 10) == "probed"
        deadline = 200
        while b.metrics().processed < 11 and deadline:  # a's tells reach b after the probe
            threading.Event().wait(0.05)
            deadline -= 1
        assert otlp.flush(any_system, 10) is True
        st = otlp.stats(any_system)
        assert st.spans_exported == st.spans_queued == 21 and st.spans_dropped == 0, st
        assert st.queue_size == 0 and st.last_http_status == 200 and st.points_exported > 0
        assert all(h.get("X-Tenant") == "t1" for h in r.headers())
        spans = spans_of(r.traces())
        assert {res["service.name"] for res, _, _ in spans} == {"py-svc"}
        by_id = {sp.span_id: sp for _, _, sp in spans}
        at_b = [sp for _, _, sp in spans
                if attrs(sp.attributes)["actor.address"] == "akt://test/user/b"
                and sp.parent_span_id]
        assert len(at_b) == 10
        for sp in at_b:
            parent = by_id[sp.parent_span_id]
            assert attrs(parent.attributes)["actor.address"] == "akt://test/user/a"
            assert parent.trace_id == sp.trace_id
        readings = [points_of(m) for m in r.metrics()]
        pts = [p for p in readings if "actor.processed.count" in p][-1]
        byname = {a["actor.name"]: v for a, v in pts["actor.processed.count"][1]}
        assert byname["b"] >= 11 and byname["a"] >= 10, byname
        assert pts["actorsystem.actors.count"][1] == [({}, 2.0)]


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_collector_down_drops_and_counts(system: akt.ActorSystem) -> None:
    otlp.start(system, f"http://127.0.0.1:{_closed_port()}", queue_capacity=16, batch_size=4,
               timeout=1.0, max_retries=1)
    p = system.spawn("p", Relay(None))
    for i in range(100):
        p.tell(i)
    assert p.ask_sync("probe", 10) == "probed"  # the runtime goes on
    assert otlp.flush(system, 20) is False
    st = otlp.stats(system)
    assert st.spans_exported == 0 and st.spans_dropped > 0 and st.spans_dropped_full > 0, st
    assert st.requests_failed > 0 and st.retries > 0 and st.last_http_status == 0, st
    assert st.queue_size <= 16


def test_bad_configuration(system: akt.ActorSystem) -> None:
    with pytest.raises(akt.ActorNotFound):
        otlp.flush(system)
    with pytest.raises(akt.ActorNotFound):
        otlp.stats(system)
    with pytest.raises(TypeError):
        otlp.start(system, None)  # type: ignore[arg-type]
    for bad in ("ftp://127.0.0.1:1", "", "http://a b"):
        with pytest.raises(ValueError):
            otlp.start(system, bad)
    with pytest.raises(ValueError):
        otlp.start(system, "http://127.0.0.1:1", headers=["X-A: b\r\nX-B: c"])
    with pytest.raises(ValueError):
        otlp.start(system, "http://127.0.0.1:1", headers={"bad name": "v"})
    with pytest.raises(TypeError):
        otlp.start(system, "http://127.0.0.1:1", headers=42)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        otlp.start(system, "http://127.0.0.1:1", batch_size=0)
    with pytest.raises(ValueError):
        otlp.start(system, "http://127.0.0.1:1", batch_size=100, queue_capacity=10)
    with pytest.raises(ValueError):
        otlp.start(system, "http://127.0.0.1:1", traces=False, metrics=False)
    with pytest.raises(ValueError):
        otlp.start(system, "http://127.0.0.1:1", timeout=0)
    with pytest.raises(TypeError):
        otlp.start(system, "http://127.0.0.1:1", timeout="1")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        otlp.start(system, "http://127.0.0.1:1", max_retries=-1)
    otlp.start(system, "http://127.0.0.1:1", metrics=False)
    with pytest.raises(akt.NameTaken):
        otlp.start(system, "http://127.0.0.1:1")


def test_spans_to_the_opentelemetry_sdk(any_system: akt.ActorSystem) -> None:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
    from opentelemetry.trace import SpanKind, StatusCode

    exporter = InMemorySpanExporter()
    provider = TracerProvider(id_generator=tracing.id_generator())
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracer = provider.get_tracer("akt-test")
    akt_spans: list[tracing.Span] = []
    done = threading.Event()
    sdk_sink = tracing.opentelemetry_sink(tracer)

    def sink(s: tracing.Span) -> None:
        akt_spans.append(s)
        sdk_sink(s)
        if len(akt_spans) == 4:
            done.set()

    tracing.set_sink(any_system, sink)
    c = any_system.spawn("c", Relay(None))
    b = any_system.spawn("b", Relay(c))
    a = any_system.spawn("a", Relay(b))
    a.tell("go")
    c.tell("fail")
    assert done.wait(10), akt_spans
    got = {format(s.context.span_id, "016x"): s for s in exporter.get_finished_spans()}
    assert len(got) == 4
    for s in akt_spans:  # akt's ids, parents, times and attributes, kept
        o = got[s.span_id]
        assert format(o.context.trace_id, "032x") == s.trace_id
        assert (None if o.parent is None else format(o.parent.span_id, "016x")) == s.parent_id
        assert o.start_time == s.start_ns and o.end_time == s.end_ns
        assert o.kind == SpanKind.CONSUMER and o.name == s.name
        assert o.attributes["actor.address"] == s.actor_path
        assert o.attributes["message.type"] == s.message_type
        if s.status:
            assert o.status.status_code == StatusCode.ERROR
            assert o.attributes["akt.error.code"] == s.status
    assert sum(1 for s in akt_spans if s.status) == 1
    # A span that is not one is refused, not recorded.
    bad = tracing.Span("x", "0" * 32, "1" * 16, None, 1, 1, 2, "p", "t", 0)
    with pytest.raises(ValueError):
        tracing.record(tracer, bad)
    with pytest.raises(TypeError):
        tracing.opentelemetry_sink(None)
    # Without akt's id generator, spans get fresh ids (and are still recorded).
    plain = TracerProvider()
    plain_exp = InMemorySpanExporter()
    plain.add_span_processor(SimpleSpanProcessor(plain_exp))
    tracing.record(plain.get_tracer("x"), akt_spans[0])
    assert len(plain_exp.get_finished_spans()) == 1
