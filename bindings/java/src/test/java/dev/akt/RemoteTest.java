package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Remoting: two systems of this JVM over 127.0.0.1, a Java actor on the far side. */
class RemoteTest {
    static final Duration LONG = Duration.ofSeconds(30);

    static String errorOf(Throwable t) {
        while (t != null && !(t instanceof AktException)) t = t.getCause();
        assertNotNull(t, "an AktException");
        return ((AktException) t).errorName();
    }

    @Test
    void tellAndAskAcrossNodesAndFailuresFailFast() throws Exception {
        try (ActorSystem a = ActorSystem.builder("javaalpha").workers(2).build();
                ActorSystem b = ActorSystem.builder("javabeta").workers(2).build()) {
            String addrB = b.remoteStart(null, 0);
            assertTrue(addrB.startsWith("akt://javabeta@127.0.0.1:"), addrB);
            assertTrue(a.remoteStart("127.0.0.1", 0).startsWith("akt://javaalpha@"));
            assertEquals(addrB, b.remoteAddress());
            assertEquals("AKT_EEXIST", errorOf(assertThrows(RuntimeException.class,
                    () -> a.remoteStart(null, 0))));
            b.spawn("echo", (ctx, msg) -> ctx.respond("re:" + msg));
            Pid echo = a.remoteLookup(addrB + "/user/echo");
            assertEquals(addrB + "/user/echo", echo.path());
            assertEquals("re:hi", Await.get(echo.ask("hi", LONG)));
            long t0 = System.nanoTime();
            Pid nobody = a.remoteLookup(addrB + "/user/nobody");
            assertEquals("AKT_ENOTFOUND", errorOf(Await.failure(nobody.ask("x", LONG))));
            assertEquals("AKT_EINVAL", errorOf(assertThrows(RuntimeException.class,
                    () -> a.remoteLookup("not an address"))));
            Await.get(b.shutdown());
            assertEquals("AKT_EUNREACHABLE", errorOf(Await.failure(echo.ask("x", LONG))));
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos());
        }
    }

    @Test
    void remoteAddressBeforeStartIsNotFound() {
        try (ActorSystem a = ActorSystem.builder("javagamma").workers(1).build()) {
            assertEquals("AKT_ENOTFOUND",
                    errorOf(assertThrows(RuntimeException.class, a::remoteAddress)));
        }
    }

    @Test
    void theSenderOfARemoteTellIsTheRemoteActor() throws Exception {
        try (ActorSystem a = ActorSystem.builder("javaalpha").workers(2).build();
                ActorSystem b = ActorSystem.builder("javabeta").workers(2).build()) {
            String addrA = a.remoteStart(null, 0);
            String addrB = b.remoteStart(null, 0);
            List<String> senders = new CopyOnWriteArrayList<>();
            b.spawn("replier", (ctx, msg) -> {
                senders.add(ctx.sender().path());
                ctx.respond("pong:" + msg); // a plain tell: no asker, the sender gets it
            });
            CompletableFuture<String> answer = new CompletableFuture<>();
            Pid pinger = a.spawn("pinger", (ctx, msg) -> {
                if (msg instanceof Pid to) {
                    ctx.tell(to, "ping");
                } else {
                    answer.complete(msg + " from " + ctx.sender().path());
                }
            });
            pinger.tell(a.remoteLookup(addrB + "/user/replier"));
            assertEquals("pong:ping from " + addrB + "/user/replier", Await.get(answer));
            assertEquals(List.of(addrA + "/user/pinger"), senders);
        }
    }

    @Test
    void heartbeatsAreCheckedAndKeepAnIdleConnectionOpen() throws Exception {
        try (ActorSystem a = ActorSystem.builder("javaalpha").workers(2).build();
                ActorSystem b = ActorSystem.builder("javabeta").workers(2).build()) {
            assertEquals("AKT_EINVAL", errorOf(assertThrows(RuntimeException.class,
                    () -> a.remoteStart(null, 0, Duration.ofHours(3), 0))));
            assertEquals("AKT_EINVAL", errorOf(assertThrows(RuntimeException.class,
                    () -> a.remoteStart(null, 0, null, 1001))));
            assertThrows(IllegalArgumentException.class,
                    () -> a.remoteStart(null, 0, Duration.ofMillis(-1), 0));
            Duration interval = Duration.ofMillis(50);
            String addrB = b.remoteStart(null, 0, interval, 4);
            a.remoteStart(null, 0, interval, 4);
            b.spawn("echo", (ctx, msg) -> ctx.respond(msg));
            Pid echo = a.remoteLookup(addrB + "/user/echo");
            assertEquals("first", Await.get(echo.ask("first", LONG)));
            // Idle for 12 intervals, three times the silence allowed: pings keep it open.
            Thread.sleep(600);
            assertEquals("later", Await.get(echo.ask("later", LONG)));
        }
    }
}
