package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Routers from Java: each strategy, broadcast, routees, the router's end, bad options. */
class RoutersTest {
    ActorSystem system;

    @AfterEach
    void stop() {
        if (system != null) {
            system.close();
        }
    }

    /** Answers "who" (and any map with a "key") with its number; counts "count". */
    static final class Worker implements Actor {
        final int idx;
        final AtomicInteger counted = new AtomicInteger();

        Worker(int idx) {
            this.idx = idx;
        }

        @Override
        public void receive(Context ctx, Object msg) {
            if ("who".equals(msg) || msg instanceof Map) {
                ctx.respond((long) idx);
            } else if ("count".equals(msg)) {
                counted.incrementAndGet();
            } else if ("boom".equals(msg)) {
                throw new IllegalStateException("boom");
            } else if (!"quiet".equals(msg)) {
                ctx.unhandled();
            }
        }
    }

    final List<Worker> workers = new java.util.concurrent.CopyOnWriteArrayList<>();

    Router pool(int size, Router.Options o) {
        return system.spawnRouter(() -> {
            Worker w = new Worker(workers.size());
            workers.add(w);
            return w;
        }, size, o);
    }

    @Test
    void roundRobinAnswersInRouteeOrder() throws Exception {
        system = ActorSystem.create("routers");
        Router r = pool(3, new Router.Options().name("rr"));
        List<Object> got = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            got.add(Await.get(r.ask("who", Await.ASK)));
        }
        assertEquals(List.of(0L, 1L, 2L, 0L, 1L, 2L), got);
        assertEquals(3, r.routees().size());
        assertTrue(r.routees().get(1).path().endsWith("/user/rr/routee-1"));
    }

    @Test
    void resizeAndTheRestartPolicy() throws Exception {
        system = ActorSystem.create("routers");
        Router r = pool(2, new Router.Options().onFailure(Router.FailurePolicy.RESTART, 3, Duration.ofMinutes(1)));
        r.resize(4);
        assertEquals(4, r.routees().size());
        r.resize(1);
        assertEquals(1, r.routees().size());
        Pid only = r.routees().get(0);
        r.tell("boom");
        // A restart makes a fresh instance from the factory; the routee (its pid) stays.
        Await.until(() -> workers.size() == 5, "the restart made a new instance");
        assertEquals(4L, Await.get(r.ask("who", Await.ASK)));
        assertEquals(List.of(only), r.routees());
    }

    @Test
    void broadcastReachesEveryRoutee() throws Exception {
        system = ActorSystem.create("routers");
        Router r = pool(3, new Router.Options());
        r.broadcast("count");
        for (Pid p : r.routees()) {
            Await.get(p.ask("who", Await.ASK)); // after the broadcast, from the same sender
        }
        for (Worker w : workers) {
            assertEquals(1, w.counted.get());
        }
    }

    @Test
    void consistentHashSendsOneKeyToOneRoutee() throws Exception {
        system = ActorSystem.create("routers");
        Router r = pool(4, new Router.Options().strategy(Router.Strategy.CONSISTENT_HASH));
        for (String k : List.of("alice", "bob", "carol")) {
            Object a = Await.get(r.ask(Map.of("key", k), Await.ASK));
            assertEquals(a, Await.get(r.ask(Map.of("key", k), Await.ASK)));
        }
    }

    @Test
    void consistentHashKeyFunction() throws Exception {
        system = ActorSystem.create("routers");
        // The key is the "user" entry: its other entries do not move the message.
        Router r = pool(4, new Router.Options().strategy(Router.Strategy.CONSISTENT_HASH)
                .key(m -> ((Map<?, ?>) m).get("user")));
        java.util.Set<Object> owners = new java.util.HashSet<>();
        for (String u : List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi")) {
            Object first = Await.get(r.ask(Map.of("key", u, "user", u, "n", 0), Await.ASK));
            for (int i = 1; i < 5; i++) {
                assertEquals(first, Await.get(r.ask(Map.of("key", u, "user", u, "n", i), Await.ASK)), u);
            }
            owners.add(first);
        }
        assertTrue(owners.size() > 1, "eight users on one routee of four: " + owners);
        // A Long key is the ring position itself; a key that throws or has another type
        // counts as 0: the message is still routed, never lost.
        Router g = system.spawnRouter(r.routees(), new Router.Options().strategy(Router.Strategy.CONSISTENT_HASH)
                .key(m -> ((Map<?, ?>) m).get("k")));
        Object zero = Await.get(g.ask(Map.of("key", "x", "k", 0L), Await.ASK));
        assertEquals(zero, Await.get(g.ask(Map.of("key", "x", "k", 0), Await.ASK))); // Integer 0 = Long 0
        assertEquals(zero, Await.get(g.ask(Map.of("key", "x", "k", 1.5), Await.ASK))); // a Double: 0
        assertEquals(zero, Await.get(g.ask(Map.of("key", "x"), Await.ASK))); // null: 0
        assertEquals(Router.Key.fnv1a("a".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                0xaf63dc4c8601ec8cL); // FNV-1a 64 of "a", as Python's key
        assertThrows(NullPointerException.class, () -> new Router.Options().key(null));
    }

    @Test
    void scatterGatherAndTailChopping() throws Exception {
        system = ActorSystem.create("routers");
        List<Pid> pids = List.of(system.spawn(new Worker(0)), system.spawn(new Worker(1)));
        Router sg = system.spawnRouter(pids, new Router.Options()
                .strategy(Router.Strategy.SCATTER_GATHER_FIRST).within(Duration.ofSeconds(2)));
        Object who = Await.get(sg.ask("who", Await.ASK));
        assertTrue(who.equals(0L) || who.equals(1L));
        Router tc = system.spawnRouter(pids, new Router.Options().strategy(Router.Strategy.TAIL_CHOPPING)
                .within(Duration.ofMillis(100)).interval(Duration.ofMillis(20)));
        assertInstanceOf(AskTimeoutException.class, Await.failure(tc.ask("quiet", Await.ASK)));
        assertThrows(AktException.class, () -> sg.resize(3)); // a group
    }

    @Test
    void theRouterStopsWhenItsRouteesAreGone() throws Exception {
        system = ActorSystem.create("routers");
        Pid only = system.spawn(new Worker(0));
        Router r = system.spawnRouter(List.of(only), new Router.Options());
        only.stopGracefully(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        Await.until(() -> !r.pid().isAlive(), "the router stopped");
    }

    @Test
    void badOptionsAreRefused() {
        system = ActorSystem.create("routers");
        assertThrows(IllegalArgumentException.class, () -> system.spawnRouter(List.of(), new Router.Options()));
        Pid p = system.spawn(new Worker(0));
        assertThrows(IllegalArgumentException.class, () -> system.spawnRouter(List.of(p),
                new Router.Options().strategy(Router.Strategy.SCATTER_GATHER_FIRST)));
        assertThrows(IllegalArgumentException.class, () -> pool(0, new Router.Options()));
        assertThrows(NullPointerException.class, () -> system.spawnRouter(List.of(p), null));
    }
}
