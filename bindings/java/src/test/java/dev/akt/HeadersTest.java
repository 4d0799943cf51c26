package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Message headers (Pid.tell(msg, headers), Context.headers, kept by forward) and extensions. */
class HeadersTest {
    ActorSystem system;

    @BeforeEach
    void start() {
        system = ActorSystem.builder("headers").workers(2).build();
    }

    @AfterEach
    void stop() {
        system.close();
    }

    @Test
    void headersReachReceiveAndSurviveAForward() throws Exception {
        CompletableFuture<List<Object>> got = new CompletableFuture<>();
        Pid sink = system.spawn("sink", (ctx, msg) -> got.complete(List.of(msg, ctx.headers())));
        Pid relay = system.spawn("relay", (ctx, msg) -> ctx.forward(sink));
        relay.tell("order", Map.of("tenant", "acme"));
        assertEquals(List.of("order", Map.of("tenant", "acme")), Await.get(got));
    }

    @Test
    void aMessageWithoutHeadersHasNoneAndCtxTellCarriesThem() throws Exception {
        CompletableFuture<Map<String, String>> plain = new CompletableFuture<>();
        CompletableFuture<Map<String, String>> told = new CompletableFuture<>();
        Pid sink = system.spawn("sink2", (ctx, msg) -> (msg.equals("plain") ? plain : told).complete(ctx.headers()));
        Pid hop = system.spawn("hop", (ctx, msg) -> ctx.tell(sink, "hop", Map.of("trace", "t-" + msg)));
        sink.tell("plain");
        hop.tell("1");
        assertEquals(Map.of(), Await.get(plain));
        assertEquals(Map.of("trace", "t-1"), Await.get(told));
    }

    @Test
    void aReplyMadeWithTheRequestHeadersCarriesThemBack() throws Exception {
        CompletableFuture<List<Object>> got = new CompletableFuture<>();
        Pid echo = system.spawn("echo", (ctx, msg) -> ctx.respond("re:" + msg, ctx.headers()));
        Pid asker = system.spawn("asker", (ctx, msg) -> {
            if (msg.equals("go")) {
                ctx.tell(echo, "q", Map.of("trace", "t9"));
            } else {
                got.complete(List.of(msg, ctx.headers()));
            }
        });
        asker.tell("go");
        assertEquals(List.of("re:q", Map.of("trace", "t9")), Await.get(got));
    }

    @Test
    void badHeadersAreRefusedAndNothingIsSent() throws Exception {
        CompletableFuture<Object> got = new CompletableFuture<>();
        Pid p = system.spawn("bad", (ctx, msg) -> got.complete(msg));
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 65; i++) {
            many.put("k" + i, "v");
        }
        for (Map<String, String> bad : List.of(Map.of("", "v"), Map.of("a key", "v"), Map.of("k", "x".repeat(8193)), many)) {
            assertThrows(IllegalArgumentException.class, () -> p.tell("bad", bad));
        }
        p.tell("good", Map.of());
        assertEquals("good", Await.get(got));
    }

    @Test
    void extensionsAreReachableFromActorsAndFromOutside() throws Exception {
        AtomicInteger metrics = new AtomicInteger();
        try (ActorSystem s = ActorSystem.builder("ext").extension("metrics", metrics).extension("clock_1", 7).build()) {
            assertSame(metrics, s.extension("metrics"));
            assertThrows(NoSuchElementException.class, () -> s.extension("nope"));
            Pid c = s.spawn("counter", (ctx, msg) -> {
                AtomicInteger m = ctx.extension("metrics", AtomicInteger.class);
                assertThrows(NoSuchElementException.class, () -> ctx.extension("nope"));
                ctx.respond(List.of(m.incrementAndGet(), ctx.extension("clock_1")));
            });
            assertEquals(List.of(1, 7), c.ask("x", Duration.ofSeconds(5)).get());
            assertEquals(List.of(2, 7), c.ask("x", Duration.ofSeconds(5)).get());
        }
        for (String bad : List.of("x", "-lead", "has.dot")) {
            assertThrows(IllegalArgumentException.class,
                    () -> ActorSystem.builder("bad").extension(bad, 1).build().close());
        }
        assertThrows(NoSuchElementException.class, () -> system.extension("metrics"));
    }
}
