package dev.akt.otel;

import static org.junit.jupiter.api.Assertions.*;

import dev.akt.ActorSystem;
import dev.akt.Pid;
import dev.akt.Span;
import dev.akt.Tracing;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** AktSpans: akt's spans exported through an OTel SDK tracer keep their ids and parents. */
class AktSpansTest {
    ActorSystem system;
    InMemorySpanExporter exporter;
    SdkTracerProvider provider;
    final List<Span> akt = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        system = ActorSystem.builder("otels").workers(2).build();
        exporter = InMemorySpanExporter.create();
    }

    @AfterEach
    void stop() {
        system.close();
        if (provider != null) provider.close();
    }

    void trace(SdkTracerProviderBuilder b) {
        provider = b.addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
        var sink = AktSpans.sink(provider.get("akt-test"));
        Tracing.setSink(system, s -> {
            akt.add(s);
            sink.accept(s);
        });
    }

    /** a tells b, b tells c; waits (bounded) for the three exported spans, by actor name. */
    Map<String, SpanData> chain() throws InterruptedException {
        Pid c = system.spawn("c", (ctx, msg) -> {
            if ("fail".equals(msg)) throw new IllegalStateException("boom");
        });
        Pid b = system.spawn("b", (ctx, msg) -> ctx.tell(c, msg));
        Pid a = system.spawn("a", (ctx, msg) -> ctx.tell(b, msg));
        a.tell("fail");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (exporter.getFinishedSpanItems().size() < 3 && System.nanoTime() < deadline) Thread.sleep(5);
        List<SpanData> done = exporter.getFinishedSpanItems();
        assertEquals(3, done.size(), done.toString());
        Map<String, SpanData> by = new HashMap<>();
        for (SpanData d : done) {
            String path = d.getAttributes().get(AktSpans.ACTOR_ADDRESS);
            by.put(path.substring(path.lastIndexOf('/') + 1), d);
        }
        return by;
    }

    Span aktSpan(String name) {
        return akt.stream().filter(s -> s.actorPath().endsWith("/" + name)).findFirst().orElseThrow();
    }

    @Test
    void withAktsIdGeneratorTheTraceIsAktsIdForId() throws Exception {
        trace(SdkTracerProvider.builder().setIdGenerator(AktIdGenerator.create()));
        Map<String, SpanData> by = chain();
        SpanData a = by.get("a"), b = by.get("b"), c = by.get("c");
        for (String n : List.of("a", "b", "c")) {
            Span s = aktSpan(n);
            SpanData d = by.get(n);
            assertEquals(s.spanId(), d.getSpanId(), n);
            assertEquals(s.traceId(), d.getTraceId(), n);
            assertEquals(s.name(), d.getName());
            assertEquals(s.startNs(), d.getStartEpochNanos());
            assertEquals(s.endNs(), d.getEndEpochNanos());
            assertEquals(s.messageType(), d.getAttributes().get(AktSpans.MESSAGE_TYPE));
            assertEquals(SpanKind.CONSUMER, d.getKind());
        }
        assertFalse(a.getParentSpanContext().isValid());
        assertEquals(a.getSpanId(), b.getParentSpanId());
        assertEquals(b.getSpanId(), c.getParentSpanId());
        assertTrue(c.getParentSpanContext().isRemote());
        assertEquals(a.getTraceId(), c.getTraceId());
        assertEquals(StatusCode.UNSET, b.getStatus().getStatusCode());
        assertEquals(StatusCode.ERROR, c.getStatus().getStatusCode());
        assertEquals((long) aktSpan("c").status(), c.getAttributes().get(AktSpans.ERROR_CODE));
        assertNotEquals(0L, c.getAttributes().get(AktSpans.ERROR_CODE));
        // Spans that are not akt's draw random ids.
        var other = provider.get("other").spanBuilder("other").startSpan();
        other.end();
        assertFalse(akt.stream().anyMatch(s -> s.spanId().equals(other.getSpanContext().getSpanId())));
        assertTrue(other.getSpanContext().isValid());
    }

    @Test
    void withTheSdksOwnIdsParentsStillNameAktsSpans() throws Exception {
        trace(SdkTracerProvider.builder());
        Map<String, SpanData> by = chain();
        SpanData a = by.get("a"), b = by.get("b"), c = by.get("c");
        assertNotEquals(aktSpan("a").spanId(), a.getSpanId());
        assertNotEquals(aktSpan("a").traceId(), a.getTraceId()); // a root span starts a fresh trace
        assertEquals(aktSpan("a").spanId(), b.getParentSpanId());
        assertEquals(aktSpan("b").spanId(), c.getParentSpanId());
        assertEquals(aktSpan("a").traceId(), c.getTraceId());
    }

    @Test
    void nullsAreRefused() {
        assertThrows(NullPointerException.class, () -> AktSpans.sink(null));
        assertThrows(NullPointerException.class, () -> AktIdGenerator.wrapping(null));
        provider = SdkTracerProvider.builder().build();
        assertThrows(NullPointerException.class, () -> AktSpans.record(provider.get("x"), null));
        String t = "4bf92f3577b34da6a3ce929d0e0e4736", id = "00f067aa0ba902b7";
        for (Span bad : List.of(new Span("receive x", "xyz", id, null, 1, 1, 2, "p", "x", 0),
                new Span("receive x", "0".repeat(32), id, null, 1, 1, 2, "p", "x", 0),
                new Span("receive x", t, "0".repeat(16), null, 1, 1, 2, "p", "x", 0),
                new Span("receive x", t, id, "NOTHEX0000000000", 1, 1, 2, "p", "x", 0),
                new Span(null, t, id, null, 1, 1, 2, "p", "x", 0),
                new Span("receive x", t, id, null, 1, 2, 1, "p", "x", 0))) {
            assertThrows(IllegalArgumentException.class, () -> AktSpans.record(provider.get("x"), bad), bad.toString());
        }
    }
}
