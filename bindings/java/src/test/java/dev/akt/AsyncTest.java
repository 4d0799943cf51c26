package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** AsyncActor: akt keeps a message until its stage completes; the stage's value answers it,
 *  an exceptional completion fails it; ALLOW_ALL lets an A -> B -> A cycle complete. */
class AsyncTest {
    ActorSystem system;

    @BeforeEach
    void start() {
        system = ActorSystem.builder("async").workers(2).build();
    }

    @AfterEach
    void stop() {
        system.close();
    }

    record Inc(int n) {}

    record Call(Pid back, Duration timeout) {}

    record Work(int n) {}

    /** Inc(n) -> n + 1 (stashed while holding); Call(pid): requests "ping" from pid and
     *  answers "b:" + the reply. */
    static final class Server implements AsyncActor {
        boolean holding;

        @Override
        public CompletionStage<?> receiveAsync(Context ctx, Object msg) {
            if ("hold".equals(msg)) {
                holding = true;
            } else if ("release".equals(msg)) {
                holding = false;
                ctx.unstashAll();
            } else if (msg instanceof Inc i) {
                if (holding) {
                    ctx.stash();
                } else {
                    ctx.respond(i.n() + 1);
                }
            } else if (msg instanceof Call c) {
                return ctx.request(c.back(), "ping", c.timeout()).thenApply(r -> "b:" + r);
            } else {
                ctx.unhandled();
            }
            return null;
        }
    }

    static final class Worker implements AsyncActor {
        final Pid server;
        final List<String> log = new CopyOnWriteArrayList<>();
        final AtomicInteger starts = new AtomicInteger();

        Worker(Pid server) {
            this.server = server;
        }

        @Override
        public void preStart(Context ctx) {
            starts.incrementAndGet();
        }

        @Override
        public CompletionStage<?> receiveAsync(Context ctx, Object msg) {
            if (msg instanceof Work w) {
                log.add("start " + w.n());
                return ctx.request(server, new Inc(w.n()), null).thenApply(r -> {
                    log.add("end " + w.n() + " " + r);
                    return r;
                });
            } else if ("boom-later".equals(msg)) {
                return ctx.request(server, new Inc(0), null).thenApply(r -> {
                    throw new IllegalStateException("after an await");
                });
            } else if ("ping".equals(msg)) {
                return CompletableFuture.completedFuture("pong"); // done at once: answered now
            } else if (msg instanceof Duration d) {
                return ctx.request(server, new Call(ctx.self(), d), Duration.ofSeconds(5));
            } else if ("elsewhere".equals(msg)) {
                return CompletableFuture.supplyAsync(() -> "from another thread");
            } else if ("cancel".equals(msg)) {
                CompletionStage<Object> r = ctx.request(server, new Inc(1), null);
                boolean first = ctx.cancelRequest(r);
                boolean other = ctx.cancelRequest(new CompletableFuture<>());
                return r.handle((v, e) -> first + " " + other + " " + (e != null ? e.getClass().getSimpleName() : v));
            }
            log.add(String.valueOf(msg));
            return null;
        }
    }

    @Test
    void oneMessageAtATimeInOrder() throws Exception {
        Pid server = system.spawn(new Server());
        Worker w = new Worker(server);
        Pid pid = system.spawn(w);
        for (int i = 0; i < 20; i++) {
            pid.tell(new Work(i));
        }
        assertEquals(21, Await.get(pid.ask(new Work(20), Await.ASK)));
        StringBuilder want = new StringBuilder();
        for (int i = 0; i <= 20; i++) {
            want.append("start ").append(i).append(",end ").append(i).append(' ').append(i + 1).append(',');
        }
        assertEquals(want.toString(), String.join(",", w.log) + ",");
    }

    @Test
    void completedAndForeignStagesAnswer() throws Exception {
        Pid pid = system.spawn(new Worker(system.spawn(new Server())));
        assertEquals("pong", Await.get(pid.ask("ping", Await.ASK)));
        assertEquals("from another thread", Await.get(pid.ask("elsewhere", Await.ASK)));
    }

    @Test
    void exceptionalCompletionRestarts() throws Exception {
        Worker w = new Worker(system.spawn(new Server()));
        Pid pid = system.spawn(w);
        Throwable t = Await.failure(pid.ask("boom-later", Await.ASK));
        assertInstanceOf(ActorFailedException.class, t);
        assertTrue(t.getMessage().contains("after an await"), t.getMessage());
        assertEquals(2, Await.get(pid.ask(new Work(1), Await.ASK)));
        assertEquals(2, w.starts.get());
    }

    @Test
    void cycleCompletesWithAllowAll() throws Exception {
        Pid server = system.spawn(new Server());
        Pid pid = system.spawn(null, Props.of(new Worker(server)).withReentrancy(Reentrancy.ALLOW_ALL));
        assertEquals("b:pong", Await.get(pid.ask(Duration.ofSeconds(5), Await.ASK)));
    }

    @Test
    void cycleWithoutAllowAllWaits() throws Exception {
        Pid server = system.spawn(new Server());
        Pid pid = system.spawn(new Worker(server));
        // The worker keeps the message while the server's "ping" waits behind it.
        assertInstanceOf(ActorFailedException.class,
                Await.failure(pid.ask(Duration.ofMillis(100), Await.ASK)));
    }

    @Test
    void stopDropsThePendingStage() throws Exception {
        Pid server = system.spawn(new Server());
        server.tell("hold");
        Worker w = new Worker(server);
        Pid pid = system.spawn(w);
        CompletableFuture<Object> f = pid.ask(new Work(1), Await.ASK);
        Await.until(() -> w.log.size() == 1, "the work started");
        pid.stop();
        assertInstanceOf(ActorStoppedException.class, Await.failure(f));
        server.tell("release");
        assertEquals(1, Await.get(server.ask(new Inc(0), Await.ASK)));
        assertEquals(List.of("start 1"), w.log);
    }

    @Test
    void cancelRequest() throws Exception {
        // The server holds (stashes) the Inc, so no answer can beat the cancel; "hold" is
        // queued in its mailbox before the worker's request is.
        Pid server = system.spawn(new Server());
        server.tell("hold");
        Pid pid = system.spawn(new Worker(server));
        assertEquals("true false CancellationException", Await.get(pid.ask("cancel", Await.ASK)));
    }
    // ft begin: a behaviour's handler returning a CompletionStage (AsyncBehavior)
    /** "async": switches to an AsyncBehavior (Work, boom-later, Duration, ping as Worker's);
     *  "mode": "sync" from the actor's own receive. */
    static final class Switcher implements Actor {
        final Pid server;
        final List<String> log = new CopyOnWriteArrayList<>();

        Switcher(Pid server) {
            this.server = server;
        }

        @Override
        public void receive(Context ctx, Object msg) {
            if ("async".equals(msg)) {
                ctx.becomeAsync((c, m) -> {
                    if (m instanceof Work w) {
                        log.add("start " + w.n());
                        return c.request(server, new Inc(w.n()), null).thenApply(r -> {
                            log.add("end " + w.n() + " " + r);
                            return r;
                        });
                    } else if ("boom-later".equals(m)) {
                        return c.request(server, new Inc(0), null).thenApply(r -> {
                            throw new IllegalStateException("after an await in a behaviour");
                        });
                    } else if (m instanceof Duration d) {
                        return c.request(server, new Call(c.self(), d), Duration.ofSeconds(5));
                    } else if ("ping".equals(m)) {
                        return CompletableFuture.completedFuture("pong");
                    }
                    return CompletableFuture.completedFuture("async");
                });
                ctx.respond("ok");
            } else {
                ctx.respond("sync");
            }
        }
    }

    @Test
    void asyncBehaviourKeepsOneMessageAtATime() throws Exception {
        Switcher s = new Switcher(system.spawn(new Server()));
        Pid pid = system.spawn(s);
        assertEquals("sync", Await.get(pid.ask("mode", Await.ASK)));
        assertEquals("ok", Await.get(pid.ask("async", Await.ASK)));
        for (int i = 0; i < 10; i++) {
            pid.tell(new Work(i));
        }
        assertEquals(11, Await.get(pid.ask(new Work(10), Await.ASK)));
        StringBuilder want = new StringBuilder();
        for (int i = 0; i <= 10; i++) {
            want.append("start ").append(i).append(",end ").append(i).append(' ').append(i + 1).append(',');
        }
        assertEquals(want.toString(), String.join(",", s.log) + ",");
        assertEquals("async", Await.get(pid.ask("mode", Await.ASK))); // the stage's value answers
    }

    @Test
    void asyncBehaviourFailureAfterTheStageRestarts() throws Exception {
        Pid pid = system.spawn(new Switcher(system.spawn(new Server())));
        assertEquals("ok", Await.get(pid.ask("async", Await.ASK)));
        Throwable t = Await.failure(pid.ask("boom-later", Await.ASK));
        assertInstanceOf(ActorFailedException.class, t);
        assertTrue(t.getMessage().contains("after an await in a behaviour"), t.getMessage());
        assertEquals("sync", Await.get(pid.ask("mode", Await.ASK))); // a restart: own receive
    }

    @Test
    void asyncBehaviourHonoursTheReentrancyMode() throws Exception {
        Pid server = system.spawn(new Server());
        Pid open = system.spawn(null, Props.of(new Switcher(server)).withReentrancy(Reentrancy.ALLOW_ALL));
        assertEquals("ok", Await.get(open.ask("async", Await.ASK)));
        assertEquals("b:pong", Await.get(open.ask(Duration.ofSeconds(5), Await.ASK)));
        Pid closed = system.spawn(new Switcher(server));
        assertEquals("ok", Await.get(closed.ask("async", Await.ASK)));
        // Off: the behaviour keeps the message while the server's "ping" waits behind it.
        assertInstanceOf(ActorFailedException.class,
                Await.failure(closed.ask(Duration.ofMillis(100), Await.ASK)));
    }
    // ft end
}
