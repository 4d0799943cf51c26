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
}
