package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A user propagator (GoAkt's ContextPropagator): inject adds headers to each outgoing
 *  message from the headers of the message being handled; ctx.headers() extracts. */
class PropagatorTest {
    /** Tells msg on to {@code to}; the last one (to null) records the headers it got. */
    static Actor relay(Pid to, List<Map<String, String>> seen) {
        return (ctx, msg) -> {
            if (to == null) {
                seen.add(ctx.headers());
            } else if (msg.equals("own")) {
                ctx.tell(to, msg, Map.of("tenant", "mine"));
            } else {
                ctx.tell(to, msg);
            }
        };
    }

    @Test
    void aPropagatorCarriesHeadersAcrossHopsAndTheSendersOwnWins() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        ContextPropagator tenant = headers -> {
            calls.incrementAndGet();
            return Map.of("tenant", headers.getOrDefault("tenant", "none"));
        };
        try (ActorSystem s = ActorSystem.builder("prop").workers(2).propagator(tenant).build()) {
            List<Map<String, String>> seen = Collections.synchronizedList(new ArrayList<>());
            Pid last = s.spawn("last", relay(null, seen));
            Pid mid = s.spawn("mid", relay(last, seen));
            Pid first = s.spawn("first", relay(mid, seen));
            first.tell("a", Map.of("tenant", "acme")); // two hops on: still acme
            Await.until(() -> seen.size() == 1, "the first message");
            first.tell("b"); // from outside without one: the propagator's default
            Await.until(() -> seen.size() == 2, "the second message");
            mid.tell("own", Map.of("tenant", "acme")); // the sender's own header wins
            Await.until(() -> seen.size() == 3, "the third message");
            assertEquals(List.of("acme", "none", "mine"), seen.stream().map(h -> h.get("tenant")).toList());
            assertTrue(calls.get() >= 5, "calls " + calls.get());
        }
    }

    @Test
    void anAskFromOutsideIsInjected() throws Exception {
        try (ActorSystem s = ActorSystem.builder("prop")
                .propagator(h -> Map.of("trace", h.getOrDefault("trace", "t0"))).build()) {
            Pid echo = s.spawn("echo", (ctx, msg) -> ctx.respond(msg + ":" + ctx.headers().get("trace")));
            assertEquals("q:t0", echo.ask("q", Await.ASK).get(10, java.util.concurrent.TimeUnit.SECONDS));
        }
    }

    @Test
    void aFailingPropagatorAddsNothingAndLosesNothing() throws Exception {
        ContextPropagator boom = h -> {
            throw new IllegalStateException("no");
        };
        try (ActorSystem s = ActorSystem.builder("prop").propagator(boom).build()) {
            CompletableFuture<Map<String, String>> got = new CompletableFuture<>();
            s.spawn("sink", (ctx, msg) -> got.complete(ctx.headers())).tell("x");
            assertEquals(Map.of(), Await.get(got));
        }
        try (ActorSystem s = ActorSystem.builder("prop").propagator(h -> null).build()) {
            CompletableFuture<Map<String, String>> got = new CompletableFuture<>();
            s.spawn("sink", (ctx, msg) -> got.complete(ctx.headers())).tell("x", Map.of("k", "v"));
            assertEquals(Map.of("k", "v"), Await.get(got));
        }
        assertThrows(NullPointerException.class, () -> ActorSystem.builder("prop").propagator(null));
    }
}
