package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * remoteSpawn with Props.remote(): the supervisor, mailbox, passivation, reentrancy and
 * in-flight limit cross to the node that spawns the actor and take effect there; what cannot
 * cross (a function, an object of this JVM) is refused here with AKT_EINVAL.
 */
class RemoteSpawnOptionsTest {
    static final Duration LONG = Duration.ofSeconds(30);

    ActorSystem a;
    ActorSystem b;
    String addrB;
    Pid server;
    final Map<String, List<String>> logs = new ConcurrentHashMap<>();
    final CountDownLatch holding = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    /** A child: "add" counts, "get" answers the count, "boom" fails. */
    static final class Child implements Actor {
        long n;

        @Override
        public void receive(Context ctx, Object msg) {
            if ("boom".equals(msg)) throw new IllegalStateException("boom");
            if ("add".equals(msg)) n++;
            else if ("get".equals(msg)) ctx.respond(n);
        }
    }

    /** Answers "q" with "a", stashing the questions while it holds. */
    static final class Server implements Actor {
        boolean held;

        @Override
        public void receive(Context ctx, Object msg) {
            if ("hold".equals(msg)) {
                held = true;
            } else if ("release".equals(msg)) {
                held = false;
                ctx.unstashAll();
            } else if ("sync".equals(msg)) {
                ctx.respond("sync");
            } else if ("q".equals(msg)) {
                if (held) ctx.stash();
                else ctx.respond("a");
            }
        }
    }

    /** The kind "boss" on b: spawns a child, holds its turn, requests the server twice. */
    final class Boss implements Actor {
        final String name;
        final List<String> log;

        Boss(String name) {
            this.name = name;
            this.log = log(name);
        }

        @Override
        public void receive(Context ctx, Object msg) throws Exception {
            if ("spawn".equals(msg)) {
                ctx.spawn("c", Props.create(Child::new)); // a fresh child on each restart
                ctx.respond("spawned");
            } else if ("hold".equals(msg)) {
                holding.countDown();
                assertTrue(release.await(10, TimeUnit.SECONDS));
            } else if ("go".equals(msg)) {
                for (int i = 0; i < 2; i++) {
                    try {
                        ctx.request(server, "q", LONG).whenComplete((r, e) ->
                                log.add(e == null ? "reply:" + r : "error:" + e));
                    } catch (AktException e) {
                        log.add(e.errorName());
                    }
                }
                log.add("go");
            } else if ("noop".equals(msg)) {
                // a message that waits in the mailbox
            } else if (msg instanceof String s && s.startsWith("m")) {
                log.add(s);
            } else {
                ctx.respond(name + ":" + msg);
            }
        }
    }

    @BeforeEach
    void start() {
        a = ActorSystem.builder("javaalpha").workers(2).build();
        b = ActorSystem.builder("javabeta").workers(3).build();
        addrB = b.remoteStart(null, 0);
        a.remoteStart(null, 0);
        server = b.spawn("server", new Server());
        b.registerGrain("boss", Boss::new, GrainOptions.defaults().longLived());
    }

    @AfterEach
    void stop() {
        release.countDown();
        a.close();
        b.close();
    }

    /** What the boss named name logged (its list exists before the boss does). */
    List<String> log(String name) {
        return logs.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>());
    }

    static String errorOf(Throwable t) {
        return RemoteTest.errorOf(t);
    }

    /** The pid on b of the actor at path, or null when there is none. */
    Pid there(String path) {
        try {
            return b.lookup(path);
        } catch (ActorNotFoundException e) {
            return null;
        }
    }

    long count(String path) {
        try {
            return (Long) b.lookup(path).ask("get", Await.ASK).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void theSupervisorCrossesAndRulesTheChildrenThere() throws Exception {
        Pid strict = a.remoteSpawn(addrB, "boss", "strict",
                Props.remote().withSupervisor(SupervisorStrategy.oneForOne(Directive.STOP)), LONG);
        // A rule by an akt exception class crosses as its code (every Java failure: EFAILED).
        Pid ruled = a.remoteSpawn(addrB, "boss", "ruled", Props.remote().withSupervisor(
                SupervisorStrategy.RESTART.withRule(ActorFailedException.class, Directive.STOP)), LONG);
        Pid lenient = a.remoteSpawn(addrB, "boss", "lenient", Props.remote(), LONG);
        assertEquals(addrB + "/user/strict", strict.path());
        for (Pid p : List.of(strict, ruled, lenient)) {
            assertEquals("spawned", Await.get(p.ask("spawn", LONG)));
        }
        for (String n : List.of("strict", "ruled", "lenient")) {
            Pid c = b.lookup("/user/" + n + "/c");
            c.tell("add");
            assertEquals(1L, Await.get(c.ask("get", Await.ASK)));
            c.tell("boom");
        }
        Await.until(() -> there("/user/strict/c") == null, "strict's child stopped");
        Await.until(() -> there("/user/ruled/c") == null, "ruled's child stopped");
        // The default restarts it: a fresh child, its count back to 0.
        Await.until(() -> count("/user/lenient/c") == 0, "lenient's child restarted");
        assertNotNull(there("/user/strict"));
        assertNotNull(there("/user/ruled"));
    }

    @Test
    void passivatedAfterItsSecondMessage() throws Exception {
        Pid p = a.remoteSpawn(addrB, "boss", "brief",
                Props.remote().withPassivation(Passivation.afterMessages(2)), LONG);
        assertEquals("brief:one", Await.get(p.ask("one", LONG)));
        assertNotNull(there("/user/brief"), "alive after one message");
        assertEquals("brief:two", Await.get(p.ask("two", LONG)));
        Await.until(() -> there("/user/brief") == null, "passivated after the second");
        Pid q = a.remoteSpawn(addrB, "boss", "kept", LONG); // no passivation: it stays
        assertEquals("kept:one", Await.get(q.ask("one", LONG)));
        assertEquals("kept:two", Await.get(q.ask("two", LONG)));
        assertEquals("kept:three", Await.get(q.ask("three", LONG)));
        assertNotNull(there("/user/kept"));
    }

    @Test
    void aBoundedMailboxCrosses() throws Exception {
        Pid p = a.remoteSpawn(addrB, "boss", "bounded",
                Props.remote().withMailbox(Mailbox.bounded(4, Mailbox.WhenFull.FAIL)), LONG);
        assertEquals("bounded:hi", Await.get(p.ask("hi", LONG)));
        Pid local = b.lookup("/user/bounded");
        local.tell("hold");
        assertTrue(holding.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < 4; i++) local.tell("noop");
        assertThrows(MailboxFullException.class, () -> local.tell("noop"));
        release.countDown();
        // The four queued noops hold the slots until they are taken: an ask before is refused.
        Await.until(() -> local.metrics().mailboxSize() == 0 && local.metrics().processed() >= 6,
                "the queued messages taken");
        assertEquals("bounded:again", Await.get(p.ask("again", LONG)));
        Pid fair = a.remoteSpawn(addrB, "boss", "fair", Props.remote().withMailbox(Mailbox.fair()), LONG);
        assertEquals("fair:hi", Await.get(fair.ask("hi", LONG)));
    }

    @Test
    void reentrancyAndTheInFlightLimitCross() throws Exception {
        a.remoteSpawn(addrB, "boss", "stasher",
                Props.remote().withReentrancy(Reentrancy.STASH).withMaxInFlight(1), LONG);
        a.remoteSpawn(addrB, "boss", "plain", Props.remote(), LONG);
        server.tell("hold");
        for (String n : List.of("stasher", "plain")) {
            Pid local = b.lookup("/user/" + n); // two tells queued in this order, at once
            local.tell("go");
            local.tell("m1");
        }
        Await.until(() -> log("stasher").contains("go"), "stasher's go");
        Await.until(() -> log("plain").contains("m1"), "plain's m1: handled meanwhile");
        assertEquals("sync", Await.get(server.ask("sync", Await.ASK))); // the questions wait there
        assertEquals(List.of("AKT_EBUSY", "go"), log("stasher")); // m1 stashed, one in flight
        server.tell("release");
        Await.until(() -> log("stasher").size() == 4, "stasher's answer and m1");
        Await.until(() -> log("plain").size() == 4, "plain's answers");
        assertEquals(List.of("AKT_EBUSY", "go", "reply:a", "m1"), log("stasher"));
        assertEquals(List.of("go", "m1", "reply:a", "reply:a"), log("plain"));
    }

    @Test
    void whatCannotCrossIsRefusedHereAndLeavesNothingThere() throws Exception {
        Map<String, Props> refused = Map.of(
                "decided", Props.remote().withSupervisor(SupervisorStrategy.oneForOne(f -> Directive.STOP)),
                "classrule", Props.remote().withSupervisor(
                        SupervisorStrategy.RESTART.withRule(IllegalStateException.class, Directive.STOP)),
                "ranked", Props.remote().withMailbox(Mailbox.priority((x, y) -> 0)),
                "actor", Props.of(new Child()),
                "factory", Props.create(Child::new),
                "deps", Props.remote().withDependency("db", new Object()),
                "kinded", Props.remote().withKind("k"));
        for (Map.Entry<String, Props> e : refused.entrySet()) {
            String n = e.getKey();
            RuntimeException x = assertThrows(AktException.class,
                    () -> a.remoteSpawn(addrB, "boss", n, e.getValue(), LONG), n);
            assertEquals("AKT_EINVAL", errorOf(x), n);
            assertTrue(x.getMessage().contains("cannot cross"), x.getMessage());
            assertNull(there("/user/" + n), n + " left nothing there");
        }
        // Refused before anything is sent: no connection is even tried.
        assertEquals("AKT_EINVAL", errorOf(assertThrows(AktException.class,
                () -> a.remoteSpawn("akt://nobody@127.0.0.1:1", "boss", "x", refused.get("decided"), LONG))));
        // The names stayed free: the same spawn without what could not cross succeeds.
        Pid p = a.remoteSpawn(addrB, "boss", "decided",
                Props.remote().withSupervisor(SupervisorStrategy.oneForOne(Directive.STOP)));
        assertEquals("decided:hi", Await.get(p.ask("hi", LONG)));
        // A local spawn refuses props without an actor.
        assertThrows(IllegalArgumentException.class, () -> a.spawn("local", Props.remote()));
    }

    @Test
    void theCodesOfAPlainRemoteSpawnComeBackToo() {
        a.remoteSpawn(addrB, "boss", "taken", Props.remote().withMaxInFlight(2), LONG);
        assertThrows(ActorNameTakenException.class,
                () -> a.remoteSpawn(addrB, "boss", "taken", Props.remote(), LONG));
        assertThrows(ActorNotFoundException.class,
                () -> a.remoteSpawn(addrB, "nosuch", "x", Props.remote(), LONG));
        assertEquals("AKT_EINVAL", errorOf(assertThrows(AktException.class,
                () -> a.remoteSpawn(addrB, "boss", "a/b", Props.remote(), LONG))));
    }

    @Test
    void aRemotePidsReinstateReinstatesTheChildThere() throws Exception {
        Pid keeper = a.remoteSpawn(addrB, "boss", "keeper",
                Props.remote().withSupervisor(SupervisorStrategy.oneForOne(Directive.SUSPEND)), LONG);
        assertEquals("spawned", Await.get(keeper.ask("spawn", LONG)));
        Pid child = a.remoteLookup(addrB + "/user/keeper/c");
        Pid here = b.lookup("/user/keeper/c");
        child.tell("add");
        assertEquals(1L, Await.get(child.ask("get", LONG)));
        child.tell("boom");
        Await.until(() -> {
            try {
                here.tell("probe");
                return false;
            } catch (ActorSuspendedException e) {
                return true;
            }
        }, "the child suspended there");
        Thread.sleep(200); // still suspended: nothing but a reinstate resumes it
        assertThrows(ActorSuspendedException.class, () -> here.tell("probe"));
        assertEquals("AKT_ESUSPENDED", errorOf(assertThrows(Exception.class,
                () -> Await.get(child.ask("get", LONG)))));
        child.reinstate(); // by its remote pid, from the other node
        Await.until(() -> {
            try {
                here.tell("probe");
                return true;
            } catch (ActorSuspendedException e) {
                return false;
            }
        }, "the child reinstated there");
        assertEquals(1L, Await.get(child.ask("get", LONG)), "its state kept");
        keeper.reinstate(); // not suspended: left as it is
        assertEquals("keeper:still", Await.get(keeper.ask("still", LONG)));
    }

    @Test
    void nullsThrowNullPointerException() {
        Props p = Props.remote();
        assertThrows(NullPointerException.class, () -> a.remoteSpawn(null, "boss", "n", p, LONG));
        assertThrows(NullPointerException.class, () -> a.remoteSpawn(addrB, null, "n", p, LONG));
        assertThrows(NullPointerException.class, () -> a.remoteSpawn(addrB, "boss", null, p, LONG));
        assertThrows(NullPointerException.class, () -> a.remoteSpawn(addrB, "boss", "n", null, LONG));
        assertThrows(NullPointerException.class, () -> a.remoteSpawn(addrB, "boss", "n", p, null));
        assertThrows(NullPointerException.class, () -> a.remoteSpawn(addrB, "boss", "n", (Props) null));
        assertThrows(IllegalArgumentException.class,
                () -> a.remoteSpawn(addrB, "boss", "n", p, Duration.ZERO));
        assertNull(there("/user/n"));
    }
}
