"""Metrics: system.metrics(), pid.metrics(), actor_metrics(), collect_metrics()."""

from __future__ import annotations

from typing import Any

import pytest

import akt


class Counter(akt.Actor):
    def receive(self, ctx: akt.Context, msg: Any) -> None:
        if msg == "fail":
            raise RuntimeError("boom")
        if msg == "stash":
            ctx.stash()
        elif msg == "get":
            ctx.respond("ok")
        elif msg != "inc":
            ctx.unhandled()


def test_scripted_counts(any_system: akt.ActorSystem) -> None:
    pid = any_system.spawn("counter", Counter())
    for _ in range(100):
        pid.tell("inc")
    assert pid.ask_sync("get", 5) == "ok"
    m = pid.metrics()
    assert isinstance(m, akt.ActorMetrics)
    assert (m.processed, m.restarts, m.failures, m.mailbox_size) == (101, 0, 0, 0)
    assert m.uptime > 0
    pid.tell("fail")  # restarted by the default supervisor
    assert pid.ask_sync("get", 5) == "ok"
    with pytest.raises(akt.AktError):
        pid.ask_sync("bogus", 5)
    pid.tell("stash")
    pid.tell("stash")
    assert pid.ask_sync("get", 5) == "ok"
    m = pid.metrics()
    assert (m.processed, m.restarts, m.failures, m.unhandled, m.stash_size) == (107, 1, 1, 1, 2)
    s = any_system.metrics()
    assert isinstance(s, akt.SystemMetrics)
    assert (s.actors_alive, s.restarts, s.failures, s.unhandled, s.dead_letters) == (1, 1, 1, 1, 0)
    pid.stop_graceful_sync(5)
    s = any_system.metrics()
    assert (s.actors_alive, s.actors_stopped, s.dead_letters) == (0, 1, 2)
    with pytest.raises(akt.ActorNotFound):
        pid.metrics()


def test_foreach_and_collect(system: akt.ActorSystem) -> None:
    a = system.spawn("a", Counter())
    b = system.spawn("b", Counter())
    a.tell("inc")
    assert a.ask_sync("get", 5) == "ok"
    assert b.ask_sync("get", 5) == "ok"
    paths = {m.path: m.processed for m in system.actor_metrics()}
    assert paths == {"akt://test/user/a": 2, "akt://test/user/b": 1}
    points = system.collect_metrics()
    assert all(isinstance(p, akt.MetricPoint) for p in points)
    by_name = {}
    for p in points:
        by_name.setdefault(p.name, []).append(p)
    assert by_name["actorsystem.actors.count"][0].value == 2
    assert by_name["actorsystem.actors.count"][0].kind == "gauge"
    processed = by_name["actor.processed.count"]
    assert processed[0].kind == "counter"
    assert {p.attributes["actor.name"]: p.value for p in processed} == {"a": 2, "b": 1}
    assert processed[0].attributes["actor.system"] == "test"
    assert by_name["actor.last.received.duration"][0].unit == "ms"
    system.set_low_cardinality_metrics(True)
    low = [p for p in system.collect_metrics() if p.name == "actor.processed.count"]
    # one point per kind: both actors are Counters (their class, module-qualified)
    assert [(p.attributes, p.value) for p in low] == [({"actor.kind": f"{__name__}.Counter"}, 3)]


def test_kind_from_class_and_spawn_option(system: akt.ActorSystem) -> None:
    a = system.spawn("a", Counter())
    b = system.spawn("b", Counter(), kind="billing.Counter")
    c = system.spawn("c", Counter(), kind="")
    assert a.metrics().kind == f"{__name__}.Counter"
    assert b.metrics().kind == "billing.Counter"
    assert c.metrics().kind is None
    kinds = {p.attributes["actor.name"]: p.attributes.get("actor.kind")
             for p in system.collect_metrics() if p.name == "actor.uptime"}
    assert kinds == {"a": f"{__name__}.Counter", "b": "billing.Counter", "c": None}
    with pytest.raises(TypeError):
        system.spawn("d", Counter(), kind=7)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        system.spawn("d", Counter(), kind="k" * 256)
    system.set_low_cardinality_metrics(True)
    low = [(p.attributes, p.value) for p in system.collect_metrics()
           if p.name == "actor.children.count"]
    assert low == [({}, 0), ({"actor.kind": f"{__name__}.Counter"}, 0),
                   ({"actor.kind": "billing.Counter"}, 0)]


class Spawner(akt.Actor):
    def receive(self, ctx: akt.Context, msg: Any) -> None:
        child = ctx.spawn("child", Counter(), kind="Child")
        ctx.respond(child)


def test_ctx_spawn_takes_a_kind(system: akt.ActorSystem) -> None:
    p = system.spawn("p", Spawner())
    child = p.ask_sync("go", 5)
    assert child.metrics().kind == "Child"
    assert p.metrics().kind == f"{__name__}.Spawner"


def test_new_instruments(system: akt.ActorSystem) -> None:
    pids = [system.spawn(None, Counter(), kind="Session",
                         passivation=akt.Passivation.after_messages(1)) for _ in range(2)]
    for pid in pids:
        pid.tell("inc")
    import time

    deadline = time.monotonic() + 5
    while system.metrics().passivated < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert system.metrics().passivated == 2
    passivated = [(p.attributes, p.value) for p in system.collect_metrics()
                  if p.name == "actor.passivated.count"]
    assert ({"actor.kind": "Session"}, 2) in passivated and ({}, 0) in passivated
    t = system.spawn("t", Counter())
    system.schedule_every(t, "inc", 60, reference="tick")
    system.cancel_schedule("tick")
    m = system.metrics()
    assert (m.scheduled, m.cancelled, m.grains, m.peers) == (1, 1, 0, 0)
    names = {p.name for p in system.collect_metrics()}
    assert {"actorsystem.grains.count", "actorsystem.peers.count", "scheduler.scheduled.count",
            "scheduler.cancelled.count", "actor.deadletters.count",
            "actor.reinstate.count"} <= names
    am = t.metrics()
    assert (am.dead_letters, am.reinstates) == (0, 0)


def test_grain_activations_count_and_kind(system: akt.ActorSystem) -> None:
    system.register_grain("Cart", lambda name: Counter(), deactivate_after=None)
    system.grain("Cart", "c1").tell("inc")
    system.grain("Cart", "c2").tell("inc")
    assert system.metrics().grains == 2
    kinds = {p.attributes.get("actor.kind") for p in system.collect_metrics()
             if p.name == "actor.uptime"}
    assert "Cart" in kinds


def test_opentelemetry_instruments(system: akt.ActorSystem) -> None:
    """Hands the readings to the OpenTelemetry API (scripts/setup.sh installs it)."""
    import opentelemetry.metrics as otel
    seen: dict[str, Any] = {}

    class Meter:
        def create_observable_counter(self, name: str, callbacks: Any, unit: str,
                                      description: str) -> str:
            seen[name] = ("counter", callbacks)
            return name

        def create_observable_gauge(self, name: str, callbacks: Any, unit: str,
                                    description: str) -> str:
            seen[name] = ("gauge", callbacks)
            return name

    a = system.spawn("a", Counter())
    assert a.ask_sync("get", 5) == "ok"
    from akt.metrics import instrument

    made = instrument(system, Meter())
    assert "actor.processed.count" in made
    kind, callbacks = seen["actor.processed.count"]
    obs = callbacks[0](otel.CallbackOptions())
    assert kind == "counter" and [o.value for o in obs] == [1]
    assert obs[0].attributes["actor.address"] == "akt://test/user/a"
    for bad_system in (None, 3, "test"):
        with pytest.raises(TypeError, match="system must be"):
            instrument(bad_system, Meter())  # type: ignore[arg-type]
    for bad_meter in (object(), 7):
        with pytest.raises(TypeError, match="meter must be"):
            instrument(system, bad_meter)


def test_opentelemetry_sdk_reads_the_instruments(system: akt.ActorSystem) -> None:
    """Through opentelemetry-sdk's MeterProvider (scripts/setup.sh installs it): GoAkt's
    names, kinds and units, the readings of each collection, per-actor attributes."""
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.metrics.export import Gauge, InMemoryMetricReader, Sum

    from akt.metrics import SCOPE, instrument

    reader = InMemoryMetricReader()
    provider = MeterProvider(metric_readers=[reader])
    try:
        a = system.spawn("a", Counter())
        for _ in range(3):
            a.tell("inc")
        assert a.ask_sync("get", 5) == "ok"
        instrument(system, provider.get_meter(SCOPE))

        def collect() -> dict[str, Any]:
            data = reader.get_metrics_data()
            assert data is not None
            (scope,) = [sm for rm in data.resource_metrics for sm in rm.scope_metrics]
            assert scope.scope.name == SCOPE
            return {m.name: m for m in scope.metrics}

        got = collect()
        processed = got["actor.processed.count"]
        assert isinstance(processed.data, Sum) and processed.data.is_monotonic
        assert processed.unit == "1"
        (point,) = [p for p in processed.data.data_points
                    if p.attributes.get("actor.name") == "a"]
        assert point.value == 4
        assert point.attributes["actor.address"] == "akt://test/user/a"
        assert isinstance(got["actorsystem.uptime"].data, Gauge)
        assert got["actorsystem.uptime"].unit == "s"
        assert got["actor.last.received.duration"].unit == "ms"
        (alive,) = got["actorsystem.actors.count"].data.data_points
        assert alive.value >= 1 and dict(alive.attributes or {}) == {}
        a.tell("inc")
        assert a.ask_sync("get", 5) == "ok"
        (point,) = [p for p in collect()["actor.processed.count"].data.data_points
                    if p.attributes.get("actor.name") == "a"]
        assert point.value == 6
    finally:
        provider.shutdown()
