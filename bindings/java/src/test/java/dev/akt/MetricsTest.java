package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsTest {
    static final Duration T = Duration.ofSeconds(5);
    ActorSystem system;

    @BeforeEach
    void start() {
        system = ActorSystem.builder("metrics").workers(2).build();
    }

    @AfterEach
    void stop() {
        system.close();
    }

    static final Actor COUNTER = (ctx, msg) -> {
        if ("fail".equals(msg)) throw new IllegalStateException("boom");
        if ("stash".equals(msg)) ctx.stash();
        else if ("get".equals(msg)) ctx.respond("ok");
        else if (!"inc".equals(msg)) ctx.unhandled();
    };

    @Test
    void countsAfterAScriptedScenario() throws Exception {
        Pid pid = system.spawn("counter", COUNTER);
        for (int i = 0; i < 100; i++) pid.tell("inc");
        assertEquals("ok", Await.get(pid.ask("get", T)));
        ActorMetrics m = pid.metrics();
        assertEquals("akt://metrics/user/counter", m.path());
        assertEquals(List.of(101L, 0L, 0L, 0L), List.of(m.processed(), m.restarts(), m.failures(), m.mailboxSize()));
        assertTrue(m.uptime().toNanos() > 0);
        pid.tell("fail"); // restarted by the default supervisor
        assertEquals("ok", Await.get(pid.ask("get", T)));
        assertThrows(Exception.class, () -> Await.get(pid.ask("bogus", T)));
        pid.tell("stash");
        pid.tell("stash");
        assertEquals("ok", Await.get(pid.ask("get", T)));
        m = pid.metrics();
        assertEquals(List.of(107L, 1L, 1L, 1L, 2L),
                List.of(m.processed(), m.restarts(), m.failures(), m.unhandled(), m.stashSize()));
        SystemMetrics s = system.metrics();
        assertEquals(List.of(1L, 1L, 1L, 1L, 0L),
                List.of(s.actorsAlive(), s.restarts(), s.failures(), s.unhandled(), s.deadLetters()));
        Await.get(pid.stopGracefully(T));
        s = system.metrics();
        assertEquals(List.of(0L, 1L, 2L), List.of(s.actorsAlive(), s.actorsStopped(), s.deadLetters()));
        assertThrows(ActorNotFoundException.class, pid::metrics);
    }

    @Test
    void actorMetricsCollectAndLowCardinality() throws Exception {
        Pid a = system.spawn("a", COUNTER);
        Pid b = system.spawn("b", COUNTER);
        a.tell("inc");
        assertEquals("ok", Await.get(a.ask("get", T)));
        assertEquals("ok", Await.get(b.ask("get", T)));
        Map<String, Long> byPath = system.actorMetrics().stream()
                .collect(Collectors.toMap(ActorMetrics::path, ActorMetrics::processed));
        assertEquals(Map.of("akt://metrics/user/a", 2L, "akt://metrics/user/b", 1L), byPath);
        List<MetricPoint> points = system.collectMetrics();
        MetricPoint alive = points.stream().filter(p -> p.name().equals("actorsystem.actors.count")).findFirst().orElseThrow();
        assertEquals(MetricPoint.Kind.GAUGE, alive.kind());
        assertEquals(2.0, alive.value());
        List<MetricPoint> processed = points.stream().filter(p -> p.name().equals("actor.processed.count")).toList();
        assertEquals(MetricPoint.Kind.COUNTER, processed.get(0).kind());
        assertEquals(Map.of("a", 2.0, "b", 1.0), processed.stream()
                .collect(Collectors.toMap(p -> p.attributes().get("actor.name"), MetricPoint::value)));
        assertEquals("metrics", processed.get(0).attributes().get("actor.system"));
        system.setLowCardinalityMetrics(true);
        List<MetricPoint> low = system.collectMetrics().stream()
                .filter(p -> p.name().equals("actor.processed.count")).toList();
        assertEquals(1, low.size());
        assertEquals(Map.of(), low.get(0).attributes());
        assertEquals(3.0, low.get(0).value());
    }

    static final class Counter implements Actor {
        @Override
        public void receive(Context ctx, Object msg) {
            if ("get".equals(msg)) ctx.respond("ok");
            else if ("spawn".equals(msg)) ctx.respond(ctx.spawn("child", Props.of(COUNTER).withKind("Child")));
        }
    }

    @Test
    void kindFromTheClassOrTheProps() throws Exception {
        Pid a = system.spawn("a", new Counter());
        Pid b = system.spawn("b", Props.of(new Counter()).withKind("billing.Counter"));
        Pid c = system.spawn("c", COUNTER); // a lambda: no kind
        Pid d = system.spawn("d", Props.of(new Counter()).withKind(""));
        assertEquals(Counter.class.getName(), a.metrics().kind());
        assertEquals("billing.Counter", b.metrics().kind());
        assertNull(c.metrics().kind());
        assertNull(d.metrics().kind());
        Pid child = (Pid) Await.get(a.ask("spawn", T));
        assertEquals("Child", child.metrics().kind());
        Map<String, String> kinds = new java.util.TreeMap<>();
        for (MetricPoint p : system.collectMetrics())
            if (p.name().equals("actor.uptime"))
                kinds.put(p.attributes().get("actor.name"), p.attributes().getOrDefault("actor.kind", "-"));
        assertEquals(Map.of("a", Counter.class.getName(), "b", "billing.Counter", "c", "-", "d", "-",
                "child", "Child"), kinds);
        assertEquals(Counter.class.getName(), system.actorMetrics().get(0).kind());
        assertThrows(IllegalArgumentException.class, () -> Props.of(COUNTER).withKind("k".repeat(256)));
        system.setLowCardinalityMetrics(true);
        List<String> low = system.collectMetrics().stream().filter(p -> p.name().equals("actor.children.count"))
                .map(p -> p.attributes() + "=" + (long) p.value()).collect(Collectors.toList());
        assertEquals(List.of("{}=0", "{actor.kind=" + Counter.class.getName() + "}=1",
                "{actor.kind=billing.Counter}=0", "{actor.kind=Child}=0"), low);
    }

    @Test
    void theNewInstruments() throws Exception {
        for (int i = 0; i < 2; i++)
            system.spawn(null, Props.of(new Counter()).withKind("Session")
                    .withPassivation(Passivation.afterMessages(1))).tell("inc");
        long deadline = System.nanoTime() + T.toNanos();
        while (system.metrics().passivated() < 2 && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(2, system.metrics().passivated());
        List<String> passivated = system.collectMetrics().stream()
                .filter(p -> p.name().equals("actor.passivated.count"))
                .map(p -> p.attributes() + "=" + (long) p.value()).collect(Collectors.toList());
        assertEquals(List.of("{}=0", "{actor.kind=Session}=2"), passivated);
        Pid t = system.spawn("t", new Counter());
        String ref = system.scheduleEvery(t, "inc", Duration.ofMinutes(1));
        system.cancelSchedule(ref);
        system.registerGrain("Cart", Counter::new);
        system.grain("Cart", "c1").tell("inc");
        SystemMetrics m = system.metrics();
        assertEquals(List.of(1L, 1L, 1L, 0L), List.of(m.scheduled(), m.cancelled(), m.grains(), m.peers()));
        ActorMetrics am = t.metrics();
        assertEquals(List.of(0L, 0L), List.of(am.deadLetters(), am.reinstates()));
        var names = system.collectMetrics().stream().map(MetricPoint::name).collect(Collectors.toSet());
        for (String n : List.of("actorsystem.grains.count", "actorsystem.peers.count", "scheduler.scheduled.count",
                "scheduler.cancelled.count", "actor.deadletters.count", "actor.reinstate.count"))
            assertTrue(names.contains(n), n);
        assertTrue(system.collectMetrics().stream().anyMatch(
                p -> p.name().equals("actor.uptime") && "Cart".equals(p.attributes().get("actor.kind"))));
    }
}
