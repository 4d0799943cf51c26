package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reentrant requests: Context.request completes on the requester's own turn. */
class RequestsTest {
    ActorSystem system;

    @BeforeEach
    void start() {
        system = ActorSystem.builder("requests").workers(2).build();
    }

    @AfterEach
    void stop() {
        system.close();
    }

    record Inc(int n) {}

    record Bounce() {}

    /** Inc(n) -> n + 1, stashed while holding; "release" answers them; Bounce goes back to
     *  its sender with its asker. */
    static final class Server implements Actor {
        boolean holding;
        final List<Integer> handled = new CopyOnWriteArrayList<>();

        @Override
        public void receive(Context ctx, Object msg) {
            if ("hold".equals(msg)) {
                holding = true;
            } else if ("release".equals(msg)) {
                holding = false;
                ctx.unstashAll();
            } else if ("sync".equals(msg)) {
                ctx.respond("sync");
            } else if (msg instanceof Inc i) {
                if (holding) {
                    ctx.stash();
                } else {
                    handled.add(i.n());
                    ctx.respond(i.n() + 1);
                }
            } else if (msg instanceof Bounce) {
                ctx.forward(ctx.sender());
            }
        }
    }

    static final class Client implements Actor {
        final Pid server;
        final int n;
        final Duration timeout;
        final List<String> log = new CopyOnWriteArrayList<>();
        final AtomicInteger busy = new AtomicInteger();
        volatile boolean inside;
        final AtomicInteger overlaps = new AtomicInteger();

        Client(Pid server, int n, Duration timeout) {
            this.server = server;
            this.n = n;
            this.timeout = timeout;
        }

        @Override
        public void receive(Context ctx, Object msg) {
            inside = true;
            try {
                if ("go".equals(msg)) {
                    for (int i = 0; i < n; i++) {
                        try {
                            ctx.request(server, new Inc(i), timeout).whenComplete((r, e) -> {
                                if (inside) {
                                    overlaps.incrementAndGet();
                                }
                                assertNotNull(ctx.self()); // the Context is live here
                                log.add(e == null ? "reply:" + r : "error:" + e.getClass().getSimpleName());
                            });
                        } catch (AktException e) {
                            busy.incrementAndGet();
                        }
                    }
                    log.add("go");
                } else if ("go-bounce".equals(msg)) {
                    ctx.request(server, new Bounce(), timeout).whenComplete((r, e) ->
                            log.add(e == null ? "reply:" + r : "error:" + e.getClass().getSimpleName()));
                } else if (msg instanceof Bounce) {
                    ctx.respond("pong");
                } else if ("sync".equals(msg)) {
                    ctx.respond("sync");
                } else {
                    log.add(String.valueOf(msg));
                }
            } finally {
                inside = false;
            }
        }
    }

    private List<String> order(Reentrancy mode) throws Exception {
        Server s = new Server();
        Pid server = system.spawn(s);
        server.tell("hold");
        Client c = new Client(server, 2, null);
        Pid pid = system.spawn(null, Props.of(c).withReentrancy(mode));
        pid.tell("go");
        pid.tell("m1");
        pid.tell("m2");
        if (mode == Reentrancy.ALLOW_ALL) {
            Await.until(() -> c.log.size() == 3, "m1 and m2 handled");
        } else {
            assertEquals("sync", Await.get(server.ask("sync", Await.ASK)));
        }
        server.tell("release");
        Await.until(() -> c.log.size() == 5, "both answers");
        assertEquals(0, c.overlaps.get());
        return c.log;
    }

    @Test
    void stashKeepsUserMessagesInOrderUntilTheAnswersCame() throws Exception {
        assertEquals(List.of("go", "reply:1", "reply:2", "m1", "m2"), order(Reentrancy.STASH));
    }

    @Test
    void allowAllKeepsHandlingMessages() throws Exception {
        assertEquals(List.of("go", "m1", "m2", "reply:1", "reply:2"), order(Reentrancy.ALLOW_ALL));
    }

    @Test
    void aCycleCompletesWithAllowAllAndTimesOutWithStash() throws Exception {
        Pid server = system.spawn(new Server());
        Client a = new Client(server, 0, null);
        system.spawn(null, Props.of(a).withReentrancy(Reentrancy.ALLOW_ALL)).tell("go-bounce");
        Await.until(() -> a.log.equals(List.of("reply:pong")), "the cycle completes");
        Client b = new Client(server, 0, Duration.ofMillis(100));
        system.spawn(null, Props.of(b).withReentrancy(Reentrancy.STASH)).tell("go-bounce");
        Await.until(() -> b.log.equals(List.of("error:AskTimeoutException")), "the stashed cycle times out");
    }

    @Test
    void timeoutAndTheAbandonedAskIsSkipped() throws Exception {
        Server s = new Server();
        Pid server = system.spawn(s);
        server.tell("hold");
        Client c = new Client(server, 1, Duration.ofMillis(30));
        system.spawn(c).tell("go");
        Await.until(() -> c.log.equals(List.of("go", "error:AskTimeoutException")), "the timeout");
        server.tell("release");
        assertEquals("sync", Await.get(server.ask("sync", Await.ASK)));
        assertEquals(List.of(), s.handled);
    }

    @Test
    void maxInFlightAndStopCancels() throws Exception {
        Server s = new Server();
        Pid server = system.spawn(s);
        server.tell("hold");
        Client c = new Client(server, 3, null);
        Pid pid = system.spawn(null, Props.of(c).withMaxInFlight(2));
        pid.tell("go");
        assertEquals("sync", Await.get(pid.ask("sync", Await.ASK)));
        assertEquals(1, c.busy.get());
        Await.get(system.stopGracefully(pid, Await.ASK));
        server.tell("release");
        assertEquals("sync", Await.get(server.ask("sync", Await.ASK)));
        assertEquals(List.of("go"), c.log); // no continuation ran
        assertEquals(List.of(), s.handled); // cancelled: skipped by the callee
        assertThrows(IllegalArgumentException.class, () -> Props.of(c).withMaxInFlight(-1));
    }

    @Test
    void requestOutsideItsCallbackIsRefused() throws Exception {
        CompletableFuture<Context> kept = new CompletableFuture<>();
        Pid pid = system.spawn((ctx, msg) -> {
            kept.complete(ctx);
            ctx.respond("ok");
        });
        assertEquals("ok", Await.get(pid.ask("x", Await.ASK)));
        Context ctx = Await.get(kept);
        assertThrows(IllegalStateException.class, () -> ctx.request(pid, "x", null));
    }

    /** Requests Inc(1) from the actor named by each message it gets (a String), logging the
     *  answer, or the exception the call threw. */
    static final class ByName implements Actor {
        final List<String> log = new CopyOnWriteArrayList<>();
        final List<Throwable> thrown = new CopyOnWriteArrayList<>();

        @Override
        public void receive(Context ctx, Object msg) {
            try {
                ctx.request((String) msg, new Inc(1), null).whenComplete((r, e) ->
                        log.add(e == null ? "reply:" + r : "error:" + e.getClass().getSimpleName()));
            } catch (RuntimeException e) {
                thrown.add(e);
                log.add("threw:" + e.getClass().getSimpleName());
            }
        }
    }

    @Test
    void requestByName() throws Exception {
        Pid server = system.spawn("srv", new Server());
        ByName c = new ByName();
        Pid pid = system.spawn(c);
        for (String name : List.of("srv", "/user/srv", "akt://requests/user/srv")) {
            pid.tell(name);
        }
        Await.until(() -> c.log.size() == 3, "three answers");
        Await.get(system.stopGracefully(server, Await.ASK));
        pid.tell("srv"); // the name went with its actor
        pid.tell("nobody");
        Await.until(() -> c.log.size() == 5, "two refusals");
        system.spawn("srv", new Server());
        pid.tell("srv"); // spawned again: reachable again
        Await.until(() -> c.log.size() == 6, "the new actor's answer");
        assertEquals(List.of("reply:2", "reply:2", "reply:2", "threw:ActorNotFoundException",
                "threw:ActorNotFoundException", "reply:2"), c.log);
        assertTrue(c.thrown.get(1).getMessage().contains("'nobody'"), c.thrown.get(1).getMessage());
    }

    @Test
    void requestByBadName() throws Exception {
        ByName c = new ByName();
        Pid pid = system.spawn(c);
        pid.tell("");
        pid.tell("akt://other/user/srv");
        Await.until(() -> c.log.size() == 2, "two refusals");
        assertEquals(List.of("threw:AktException", "threw:ActorNotFoundException"), c.log);
        assertEquals(Errors.EINVAL, ((AktException) c.thrown.get(0)).code());
        CompletableFuture<Throwable> npe = new CompletableFuture<>();
        Pid other = system.spawn((ctx, msg) -> {
            try {
                ctx.request((String) null, "x", null);
            } catch (NullPointerException e) {
                npe.complete(e);
            }
            ctx.respond("ok");
        });
        assertEquals("ok", Await.get(other.ask("x", Await.ASK)));
        assertNotNull(Await.get(npe));
    }
}
