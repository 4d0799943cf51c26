package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** remoteStart(RemoteOptions): chunking and the message limit cross two nodes, bad values
 *  (the binding's and the core's ranges) throw, and an evicted reverse proxy is dead. */
class RemoteOptionsTest {
    static final Duration LONG = Duration.ofSeconds(30);
    static final String LIMIT =
            "message larger than the remote message limit (max_message_bytes)";

    static void until(BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(5);
        }
    }

    static String errorOf(Throwable t) {
        while (t != null && !(t instanceof AktException)) t = t.getCause();
        assertNotNull(t, "an AktException");
        return ((AktException) t).errorName();
    }

    @Test
    void aBigMessageCrossesInSmallChunks() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1 << 20; i++) sb.append((char) ('a' + i % 26));
        String big = sb.toString(); // 1 MiB, 4096 chunks of 256 bytes
        try (ActorSystem a = ActorSystem.builder("javaalpha").workers(2).build();
                ActorSystem b = ActorSystem.builder("javabeta").workers(2).build()) {
            String addrB = b.remoteStart(RemoteOptions.builder().chunkBytes(256).build());
            a.remoteStart(RemoteOptions.builder().chunkBytes(256).build());
            b.spawn("echo", (ctx, msg) -> ctx.respond(msg));
            Pid echo = a.remoteLookup(addrB + "/user/echo");
            assertEquals(big, echo.ask(big, LONG).get(30, TimeUnit.SECONDS));
            assertEquals("small", Await.get(echo.ask("small", LONG)));
        }
    }

    @Test
    void aMessageOverMaxMessageBytesIsRefusedWithTheCoreReason() throws Exception {
        try (ActorSystem a = ActorSystem.builder("javaalpha").workers(2).build();
                ActorSystem b = ActorSystem.builder("javabeta").workers(2).build()) {
            String addrB = b.remoteStart(RemoteOptions.builder().build());
            a.remoteStart(RemoteOptions.builder().maxFrameBytes(65536).maxMessageBytes(65536)
                    .build());
            b.spawn("echo", (ctx, msg) -> ctx.respond(msg));
            Pid echo = a.remoteLookup(addrB + "/user/echo");
            CompletableFuture<Event> got = new CompletableFuture<>();
            Subscription s = a.deadLetters(e -> {
                if (LIMIT.equals(e.reason())) got.complete(e);
            });
            try {
                echo.tell("x".repeat(100000)); // accepted; refused on the way out
                assertEquals(LIMIT, got.get(30, TimeUnit.SECONDS).reason());
            } finally {
                s.close();
            }
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> Await.get(echo.ask("x".repeat(100000), LONG)));
            assertEquals("AKT_EINVAL", errorOf(e));
            String under = "y".repeat(1000);
            assertEquals(under, Await.get(echo.ask(under, LONG))); // under it: crosses
        }
    }

    @Test
    void badOptionsThrow() {
        RemoteOptions.Builder r = RemoteOptions.builder();
        // the binding's ranges: negative, or beyond the C field
        assertThrows(IllegalArgumentException.class, () -> r.chunkBytes(-1));
        assertThrows(IllegalArgumentException.class, () -> r.chunkBytes((1L << 32) + 1024));
        assertThrows(IllegalArgumentException.class, () -> r.maxMessageBytes(-1));
        assertThrows(IllegalArgumentException.class, () -> r.maxMessageBytes(1L << 40));
        assertThrows(IllegalArgumentException.class, () -> r.sendBufferBytes(-1));
        assertThrows(IllegalArgumentException.class, () -> r.maxReverseProxies(-1));
        assertThrows(IllegalArgumentException.class, () -> r.maxReverseProxies(1L << 32));
        assertThrows(IllegalArgumentException.class, () -> r.maxFrameBytes(-5));
        assertThrows(IllegalArgumentException.class, () -> r.sendWindow(-1));
        assertThrows(IllegalArgumentException.class, () -> r.port(65536));
        assertThrows(IllegalArgumentException.class, () -> r.port(-1));
        assertThrows(IllegalArgumentException.class, () -> r.heartbeat(Duration.ofSeconds(-1), 0));
        assertThrows(IllegalArgumentException.class, () -> r.heartbeat(null, -1));
        assertThrows(IllegalArgumentException.class,
                () -> r.compression(RemoteCompression.ZSTD, -1));
        assertThrows(NullPointerException.class, () -> r.compression(null, 0));
        try (ActorSystem a = ActorSystem.builder("javaalpha").workers(1).build()) {
            assertThrows(NullPointerException.class, () -> a.remoteStart((RemoteOptions) null));
            // the core's own ranges: AKT_EINVAL, and nothing started
            for (RemoteOptions bad : List.of(
                    RemoteOptions.builder().chunkBytes(100).build(), // below 256
                    RemoteOptions.builder().maxFrameBytes(65536).chunkBytes(65537).build(),
                    RemoteOptions.builder().maxFrameBytes(65536).maxMessageBytes(1000).build(),
                    RemoteOptions.builder().maxMessageBytes((1L << 30) + 1).build(),
                    RemoteOptions.builder().sendBufferBytes(1000).build(), // below 65536
                    RemoteOptions.builder().sendWindow((1L << 24) + 1).build(),
                    RemoteOptions.builder().heartbeat(null, 1001).build(),
                    RemoteOptions.builder().maxFrameBytes(10).build())) {
                assertEquals("AKT_EINVAL", errorOf(assertThrows(AktException.class,
                        () -> a.remoteStart(bad))));
            }
            String addr = a.remoteStart(RemoteOptions.builder().host("127.0.0.1")
                    .sendBufferBytes(1 << 20).maxReverseProxies(5)
                    .compression(RemoteCompression.GZIP, 64)
                    .heartbeat(Duration.ofMillis(200), 3).sendWindow(128).build());
            assertTrue(addr.startsWith("akt://javaalpha@127.0.0.1:"), addr);
            assertThrows(ActorNameTakenException.class,
                    () -> a.remoteStart(RemoteOptions.builder().build()));
        }
    }

    /** On b: keeps the sender of each ping, answers it. */
    static final class Keeper implements Actor {
        final List<Pid> senders = new CopyOnWriteArrayList<>();
        final List<String> paths = new CopyOnWriteArrayList<>();

        @Override
        public void receive(Context ctx, Object msg) {
            if ("ping".equals(msg)) {
                senders.add(ctx.sender());
                paths.add(ctx.sender().path());
                ctx.respond("pong");
            }
        }
    }

    @Test
    void anEvictedReverseProxyIsDeadAndTheNextMessageMakesANewOne() throws Exception {
        try (ActorSystem a = ActorSystem.builder("javaalpha").workers(2).build();
                ActorSystem b = ActorSystem.builder("javabeta").workers(2).build()) {
            String addrB = b.remoteStart(RemoteOptions.builder().maxReverseProxies(1).build());
            a.remoteStart(RemoteOptions.builder().build());
            Keeper keeper = new Keeper();
            b.spawn("keeper", keeper);
            Pid kp = a.remoteLookup(addrB + "/user/keeper");
            AtomicInteger pongs = new AtomicInteger();
            Pid[] senders = new Pid[3];
            for (int i = 0; i < 3; i++) {
                senders[i] = a.spawn("e" + i, (ctx, msg) -> {
                    if ("go".equals(msg)) ctx.tell(kp, "ping");
                    else if ("pong".equals(msg)) pongs.incrementAndGet();
                });
            }
            // e0, then e1 and e2: with a cap of 1 (+1 the connection uses), e0's proxy goes
            for (int i = 0; i < 3; i++) {
                int want = i + 1;
                senders[i].tell("go");
                until(() -> pongs.get() == want);
            }
            Pid old = keeper.senders.get(0);
            // the pid b's actor kept is dead, as a stopped actor's
            until(() -> {
                try {
                    old.tell("pong"); // would count on e0 if it got there
                    return false;
                } catch (ActorNotFoundException e) {
                    return true;
                }
            });
            assertTrue(keeper.paths.get(0).endsWith("/user/e0"), keeper.paths.get(0));
            assertEquals(3, pongs.get());
            // e0's next message makes a new proxy: another pid of the same address
            senders[0].tell("go");
            until(() -> pongs.get() == 4);
            Pid again = keeper.senders.get(3);
            assertNotEquals(old, again);
            assertEquals(keeper.paths.get(0), keeper.paths.get(3));
        }
    }
}
