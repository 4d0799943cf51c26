package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tracing: traceparent values, a span per handled message, one trace through a chain. */
class TracingTest {
    static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    ActorSystem system;

    @BeforeEach
    void start() {
        system = ActorSystem.builder("tracing").workers(2).build();
    }

    @AfterEach
    void stop() {
        system.close();
    }

    @Test
    void traceparentParsesStrictlyAndFormats() {
        TraceContext c = Tracing.parseTraceparent(VALID).orElseThrow();
        assertEquals(new TraceContext("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", 1), c);
        assertEquals(VALID, Tracing.formatTraceparent(c));
        for (String bad : List.of("", VALID.toUpperCase(), VALID + "-", "ff" + VALID.substring(2),
                VALID.substring(0, 54))) {
            assertEquals(Optional.empty(), Tracing.parseTraceparent(bad), bad);
        }
        assertEquals(Optional.empty(), Tracing.parseTraceparent(null));
        assertThrows(IllegalArgumentException.class,
                () -> Tracing.formatTraceparent(new TraceContext("0".repeat(32), "1".repeat(16), 0)));
        assertThrows(IllegalArgumentException.class,
                () -> Tracing.formatTraceparent(new TraceContext("xyz", "1".repeat(16), 0)));
    }

    @Test
    void aChainOfThreeActorsIsOneTrace() throws Exception {
        List<Span> spans = new CopyOnWriteArrayList<>();
        CountDownLatch three = new CountDownLatch(3);
        Tracing.setSink(system, s -> {
            spans.add(s);
            three.countDown();
        });
        CompletableFuture<String> cGot = new CompletableFuture<>();
        Pid c = system.spawn("c", (ctx, msg) -> cGot.complete(ctx.headers().get(Tracing.HEADER)));
        Pid b = system.spawn("b", (ctx, msg) -> ctx.tell(c, "step3"));
        Pid a = system.spawn("a", (ctx, msg) -> ctx.tell(b, "step2"));
        a.tell("step1");
        assertTrue(three.await(10, TimeUnit.SECONDS), spans.toString());
        Map<String, Span> by = new java.util.HashMap<>();
        for (Span s : spans) by.put(s.actorPath().substring(s.actorPath().lastIndexOf('/') + 1), s);
        Span sa = by.get("a"), sb = by.get("b"), sc = by.get("c");
        assertNull(sa.parentId());
        assertEquals(sa.spanId(), sb.parentId());
        assertEquals(sb.spanId(), sc.parentId());
        assertEquals(sa.traceId(), sc.traceId());
        assertEquals(0, sa.status());
        assertTrue(sa.endNs() >= sa.startNs() && sa.startNs() > 0);
        assertEquals(new TraceContext(sb.traceId(), sb.spanId(), 1),
                Tracing.parseTraceparent(Await.get(cGot)).orElseThrow());
        Tracing.setSink(system, null);
        CompletableFuture<Map<String, String>> after = new CompletableFuture<>();
        Pid d = system.spawn("d", (ctx, msg) -> after.complete(ctx.headers()));
        Pid e = system.spawn("e", (ctx, msg) -> ctx.tell(d, msg));
        e.tell("x");
        assertEquals(Map.of(), Await.get(after));
        assertEquals(3, spans.size());
        assertEquals(0, Tracing.invalidCount(system));
    }

    @Test
    void anInvalidTraceparentIsIgnoredAndCounted() throws Exception {
        CompletableFuture<Span> got = new CompletableFuture<>();
        Tracing.setSink(system, got::complete);
        Pid p = system.spawn("p", (ctx, msg) -> { });
        p.tell("x", Map.of(Tracing.HEADER, "00-nope"));
        assertNull(Await.get(got).parentId());
        assertEquals(1, Tracing.invalidCount(system));
    }
}
