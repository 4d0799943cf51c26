package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Grain options: a kind's bounded mailbox, dependencies and reentrancy, for each activation. */
class GrainOptionsTest {
    ActorSystem system;
    final List<Object> seen = new CopyOnWriteArrayList<>();
    final AtomicInteger deactivations = new AtomicInteger();
    final CountDownLatch held = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() {
        system = ActorSystem.builder("grain_options").workers(2).build();
    }

    @AfterEach
    void stop() {
        release.countDown();
        system.close();
    }

    record Inc(int n) {}

    /** "hold" blocks until released; Dep(name) answers a dependency; "go" requests Inc(1)
     *  from the dependency "server"; the rest is recorded. */
    record Dep(String name) {}

    final class Box implements Actor {
        @Override
        public void postStop(Context ctx) {
            deactivations.incrementAndGet();
        }

        @Override
        public void receive(Context ctx, Object msg) throws Exception {
            if ("hold".equals(msg)) {
                held.countDown();
                assertTrue(release.await(10, TimeUnit.SECONDS));
            } else if (msg instanceof Dep d) {
                try {
                    ctx.respond(ctx.dependency(d.name()));
                } catch (java.util.NoSuchElementException e) {
                    ctx.respond("none");
                }
            } else if ("go".equals(msg)) {
                ctx.request(ctx.dependency("server", Pid.class), new Inc(1), null)
                        .whenComplete((r, e) -> seen.add(e == null ? "reply:" + r : "error:" + e));
                seen.add("go");
            } else {
                seen.add(msg);
            }
        }
    }

    /** Inc(n) -> n + 1, stashed until "release". */
    static final class Server implements Actor {
        boolean holding = true;

        @Override
        public void receive(Context ctx, Object msg) {
            if ("release".equals(msg)) {
                holding = false;
                ctx.unstashAll();
            } else if ("sync".equals(msg)) {
                ctx.respond("sync");
            } else if (msg instanceof Inc i) {
                if (holding) {
                    ctx.stash();
                } else {
                    ctx.respond(i.n() + 1);
                }
            }
        }
    }

    @Test
    void boundedGrainRefusesWhenFullAndStillDeactivates() throws Exception {
        system.registerGrain("box", name -> new Box(), GrainOptions.defaults()
                .deactivateAfter(Duration.ofMillis(100)).mailbox(Mailbox.bounded(3, Mailbox.WhenFull.FAIL)));
        Grain g = system.grain("box", "b");
        g.tell("hold");
        assertTrue(held.await(10, TimeUnit.SECONDS));
        int refused = 0;
        for (int i = 0; i < 8; i++) {
            try {
                g.tell(i);
            } catch (MailboxFullException e) {
                refused++;
            }
        }
        assertEquals(5, refused);
        assertThrows(MailboxFullException.class, () -> g.ask("get", Await.ASK));
        release.countDown();
        Await.until(() -> seen.equals(List.of(0, 1, 2)), "the accepted ones");
        Await.until(() -> deactivations.get() == 1, "nothing refused stays counted");
    }

    @Test
    void dependenciesReachEveryActivation() throws Exception {
        Object db = new Object();
        system.registerGrain("deps", name -> new Box(), GrainOptions.defaults()
                .deactivateAfter(Duration.ofMillis(50)).withDependency("db", db));
        Grain g = system.grain("deps", "d");
        assertSame(db, Await.get(g.ask(new Dep("db"), Await.ASK)));
        assertEquals("none", Await.get(g.ask(new Dep("nope"), Await.ASK)));
        Await.until(() -> deactivations.get() == 1, "deactivated");
        assertSame(db, Await.get(g.ask(new Dep("db"), Await.ASK))); // a fresh activation
    }

    private List<Object> order(Reentrancy mode, String kind) throws Exception {
        Pid server = system.spawn(new Server());
        system.registerGrain(kind, name -> new Box(), GrainOptions.defaults().longLived()
                .withDependency("server", server).withReentrancy(mode).withMaxInFlight(4));
        Grain g = system.grain(kind, "r");
        g.tell("go");
        g.tell("m1");
        g.tell("m2");
        if (mode == Reentrancy.ALLOW_ALL) {
            Await.until(() -> seen.size() == 3, "m1 and m2 handled");
        } else {
            Await.until(() -> seen.size() == 1, "go handled");
            assertEquals("sync", Await.get(server.ask("sync", Await.ASK)));
        }
        server.tell("release");
        Await.until(() -> seen.size() == 4, "the answer");
        return seen;
    }

    @Test
    void reentrancyAllowAll() throws Exception {
        assertEquals(List.of("go", "m1", "m2", "reply:2"), order(Reentrancy.ALLOW_ALL, "allow"));
    }

    @Test
    void reentrancyStash() throws Exception {
        assertEquals(List.of("go", "reply:2", "m1", "m2"), order(Reentrancy.STASH, "stash"));
    }

    @Test
    void badOptionsAreRefused() {
        GrainOptions o = GrainOptions.defaults();
        assertThrows(IllegalArgumentException.class, () -> o.mailbox(Mailbox.bounded(2, Mailbox.WhenFull.DROP)));
        assertThrows(IllegalArgumentException.class, () -> o.mailbox(Mailbox.fair()));
        assertThrows(IllegalArgumentException.class, () -> o.withDependency("", 1));
        assertThrows(NullPointerException.class, () -> o.withDependency("a", null));
        assertThrows(IllegalArgumentException.class, () -> o.withMaxInFlight(-1));
        assertThrows(ActorNotFoundException.class, () -> system.grain("never", "x").tell("m"));
    }

    // ---- options per activation (system.grain(kind, name, GrainActivation)) -----------

    @Test
    void activationOptionsOverrideTheKindsAndAnActiveGrainKeepsItsOwn() throws Exception {
        system.registerGrain("box", name -> new Box(), GrainOptions.defaults().longLived());
        Grain small = system.grain("box", "small",
                GrainActivation.kinds().mailbox(Mailbox.bounded(2, Mailbox.WhenFull.FAIL)));
        small.tell("hold");
        assertTrue(held.await(10, TimeUnit.SECONDS));
        int refused = 0;
        for (int i = 0; i < 5; i++) {
            try {
                small.tell(i);
            } catch (MailboxFullException e) {
                refused++;
            }
        }
        assertEquals(3, refused);
        Grain other = system.grain("box", "small",
                GrainActivation.kinds().mailbox(Mailbox.bounded(10, Mailbox.WhenFull.FAIL)));
        assertThrows(MailboxFullException.class, () -> other.tell("more")); // active: its own stay
        release.countDown();
        Await.until(() -> seen.size() == 2, "the accepted ones");
        system.grain("box", "brief", GrainActivation.kinds().deactivateAfter(Duration.ofMillis(30))).tell("x");
        Await.until(() -> deactivations.get() == 1, "the brief one deactivated");
        assertEquals("none", Await.get(system.grain("box", "small").ask(new Dep("nope"), Await.ASK)));
        assertEquals(1, deactivations.get());
    }

    @Test
    void reentrancyPerActivation() throws Exception {
        Pid server = system.spawn(new Server());
        system.registerGrain("re", name -> new Box(), GrainOptions.defaults().longLived()
                .withDependency("server", server));
        Grain g = system.grain("re", "r", GrainActivation.kinds().withReentrancy(Reentrancy.ALLOW_ALL)
                .withMaxInFlight(4));
        g.tell("go");
        g.tell("m1");
        g.tell("m2");
        Await.until(() -> seen.size() == 3, "m1 and m2 handled");
        server.tell("release");
        Await.until(() -> seen.size() == 4, "the answer");
        assertEquals(List.of("go", "m1", "m2", "reply:2"), seen);
    }

    @Test
    void badActivationOptionsAreRefused() {
        GrainActivation a = GrainActivation.kinds();
        assertThrows(IllegalArgumentException.class, () -> a.mailbox(Mailbox.bounded(2, Mailbox.WhenFull.DROP)));
        assertThrows(IllegalArgumentException.class, () -> a.deactivateAfter(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> a.withMaxInFlight(-1));
        assertThrows(NullPointerException.class, () -> a.withReentrancy(null));
        assertThrows(NullPointerException.class, () -> system.grain("k", "x", null));
        assertThrows(ActorNotFoundException.class, () -> system.grain("never", "x", a.longLived()).tell("m"));
    }

    @Test
    void dependenciesPerActivationReplaceTheKindsAndALiveActivationKeepsItsOwn() throws Exception {
        Object db = new Object();
        Object cache = new Object();
        system.registerGrain("deps", name -> new Box(), GrainOptions.defaults().longLived()
                .withDependency("db", db).withDependency("greeting", "hello"));
        Grain own = system.grain("deps", "own", GrainActivation.kinds().withDependency("greeting", "hi")
                .withDependency("cache", cache));
        assertEquals("hi", Await.get(own.ask(new Dep("greeting"), Await.ASK)));
        assertSame(cache, Await.get(own.ask(new Dep("cache"), Await.ASK)));
        assertEquals("none", Await.get(own.ask(new Dep("db"), Await.ASK))); // replaced, not merged
        // a later send with other dependencies reaches the live activation: it keeps its own
        Grain again = system.grain("deps", "own", GrainActivation.kinds().withDependency("greeting", "hey"));
        assertEquals("hi", Await.get(again.ask(new Dep("greeting"), Await.ASK)));
        // another grain of the kind, without them, has the kind's
        Grain plain = system.grain("deps", "plain", GrainActivation.kinds());
        assertEquals("hello", Await.get(plain.ask(new Dep("greeting"), Await.ASK)));
        assertEquals("none", Await.get(plain.ask(new Dep("cache"), Await.ASK)));
    }

    @Test
    void aFreshActivationTakesTheDependenciesOfTheSendThatMakesIt() throws Exception {
        system.registerGrain("brief", name -> new Box(), GrainOptions.defaults()
                .deactivateAfter(Duration.ofMillis(50)).withDependency("greeting", "hello"));
        Grain g = system.grain("brief", "b", GrainActivation.kinds().withDependency("greeting", "hi"));
        assertEquals("hi", Await.get(g.ask(new Dep("greeting"), Await.ASK)));
        // Gone from the directory, not only past postStop: a send between the two reaches the
        // same activation, which then starts again in place with its own options.
        Await.until(() -> deactivations.get() == 1 && system.metrics().grains() == 0, "deactivated");
        assertEquals("hello", Await.get(system.grain("brief", "b").ask(new Dep("greeting"), Await.ASK)));
        Await.until(() -> deactivations.get() == 2 && system.metrics().grains() == 0,
                "deactivated again");
        assertEquals("hi", Await.get(g.ask(new Dep("greeting"), Await.ASK))); // this handle's, again
    }

    @Test
    void badActivationDependenciesAreRefused() {
        GrainActivation a = GrainActivation.kinds();
        assertThrows(IllegalArgumentException.class, () -> a.withDependency("", 1));
        assertThrows(IllegalArgumentException.class, () -> a.withDependency("x".repeat(256), 1));
        assertThrows(NullPointerException.class, () -> a.withDependency("a", null));
        assertThrows(NullPointerException.class, () -> a.withDependency(null, 1));
        assertTrue(a.withDependency("a", 1).toString().contains("dependencies=[a]"));
        assertEquals(0L, AktNativeJNI.aktj_grain_deps(0, new String[] {"a"}, new Object[] {1}));
        assertTrue(seen.isEmpty());
    }
}
