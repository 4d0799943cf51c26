package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ActorBasicsTest {
    ActorSystem system;

    @BeforeEach
    void start() {
        system = ActorSystem.builder("basics").workers(2).build();
    }

    @AfterEach
    void stop() {
        system.close();
    }

    @Test
    void tellsArriveInOrderAndAskGetsTheReply() throws Exception {
        Pid pid = system.spawn("counter", new Counter());
        for (int i = 1; i <= 100; i++) {
            pid.tell(i);
        }
        assertEquals(5050, Await.get(pid.ask("get", Await.ASK)));
        assertEquals(5050, Await.get(pid.ask("get", Await.ASK, Integer.class)));
    }

    @Test
    void namedAndAnonymousActorsHavePaths() {
        Pid named = system.spawn("a", new Counter());
        Pid anonymous = system.spawn(new Counter());
        assertEquals("akt://basics/user/a", named.path());
        assertTrue(anonymous.path().matches("akt://basics/user/\\$\\d+"), anonymous.path());
        assertEquals(named, system.lookup("a"));
        assertEquals(named, system.lookup("/user/a"));
        assertEquals(named, system.lookup("akt://basics/user/a"));
        assertTrue(named.isAlive());
        assertNotEquals(named, anonymous);
    }

    @Test
    void lambdasAreActors() throws Exception {
        Pid echo = system.spawn("echo", (ctx, msg) -> ctx.respond("re:" + msg));
        assertEquals("re:hi", Await.get(echo.ask("hi", Await.ASK)));
    }

    @Test
    void aTakenNameIsRefused() {
        system.spawn("dup", new Counter());
        ActorNameTakenException e = assertThrows(ActorNameTakenException.class,
                () -> system.spawn("dup", new Counter()));
        assertEquals("AKT_EEXIST", e.errorName());
        assertTrue(e.getMessage().contains("dup"), e.getMessage());
    }

    @Test
    void badNamesAndNullsThrowClearly() {
        assertThrows(IllegalArgumentException.class, () -> system.spawn("a/b", new Counter()));
        Pid pid = system.spawn("n", new Counter());
        NullPointerException npe = assertThrows(NullPointerException.class, () -> pid.tell(null));
        assertEquals("msg", npe.getMessage());
        assertThrows(NullPointerException.class, () -> pid.ask(null, Await.ASK));
        assertThrows(NullPointerException.class, () -> pid.ask("get", null));
        assertThrows(NullPointerException.class, () -> system.spawn("x", (Actor) null));
        assertThrows(NullPointerException.class, () -> system.lookup(null));
        assertThrows(IllegalArgumentException.class, () -> pid.ask("get", Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> pid.ask("get", Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> ActorSystem.create("bad name!"));
    }

    @Test
    void unknownAndStoppedActorsAreNotFound() throws Exception {
        ActorNotFoundException e = assertThrows(ActorNotFoundException.class, () -> system.lookup("nobody"));
        assertEquals("AKT_ENOTFOUND", e.errorName());
        assertTrue(e.getMessage().contains("nobody"), e.getMessage());

        Pid pid = system.spawn("short-lived", new Counter());
        Await.get(system.stopGracefully(pid, Await.ASK));
        assertFalse(pid.isAlive());
        assertThrows(ActorNotFoundException.class, () -> pid.tell(1));
        assertThrows(ActorNotFoundException.class, () -> pid.ask("get", Await.ASK));
        assertThrows(ActorNotFoundException.class, pid::path);
        assertTrue(pid.toString().startsWith("Pid[basics#"), pid.toString());
    }

    @Test
    void askFailuresAreTyped() throws Exception {
        Pid pid = system.spawn("typed", (ctx, msg) -> {
            switch ((String) msg) {
                case "ignore":
                    break;
                case "boom":
                    throw new IllegalStateException("boom");
                default:
                    ctx.unhandled();
            }
        });
        Throwable timeout = Await.failure(pid.ask("ignore", Duration.ofMillis(50)));
        assertInstanceOf(AskTimeoutException.class, timeout);
        assertEquals("AKT_ETIMEDOUT", ((AktException) timeout).errorName());
        assertInstanceOf(UnhandledMessageException.class, Await.failure(pid.ask("other", Await.ASK)));
        assertInstanceOf(ActorFailedException.class, Await.failure(pid.ask("boom", Await.ASK)));
        CompletableFuture<String> wrongType = pid.ask("boom", Await.ASK, String.class);
        assertInstanceOf(ActorFailedException.class, Await.failure(wrongType));
    }

    @Test
    void askCastsTheReply() throws Exception {
        Pid pid = system.spawn("caster", (ctx, msg) -> ctx.respond(42));
        assertInstanceOf(ClassCastException.class, Await.failure(pid.ask("x", Await.ASK, String.class)));
    }

    @Test
    void pidsOfAnotherSystemAreRejected() {
        try (ActorSystem other = ActorSystem.builder("other").workers(1).build()) {
            Pid foreign = other.spawn("f", new Counter());
            assertThrows(IllegalArgumentException.class, () -> system.stop(foreign));
        }
    }

    @Test
    void aContextKeptAfterItsCallbackIsRejected() throws Exception {
        CompletableFuture<Context> kept = new CompletableFuture<>();
        Pid pid = system.spawn("leaky", (ctx, msg) -> kept.complete(ctx));
        pid.tell("go");
        Context ctx = Await.get(kept);
        Await.until(() -> ctx.handle == 0, "the callback to end");
        IllegalStateException e = assertThrows(IllegalStateException.class, ctx::self);
        assertTrue(e.getMessage().contains("outside the callback"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> ctx.respond("late"));
    }

    @Test
    void aContextUsedFromAnotherThreadDuringItsCallbackIsRejected() throws Exception {
        Pid pid = system.spawn("threads", (ctx, msg) -> {
            CompletableFuture<Throwable> other = CompletableFuture.supplyAsync(() -> {
                try {
                    ctx.self();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            ctx.respond(String.valueOf(other.get()));
        });
        String seen = (String) Await.get(pid.ask("go", Await.ASK));
        assertTrue(seen.contains("IllegalStateException"), seen);
    }

    @Test
    void arbitraryPidsAreSafe() {
        for (long id : new long[] {0, 1, -1, 123_456_789L, Long.MAX_VALUE}) {
            Pid pid = system.pid(id);
            assertFalse(pid.isAlive());
            assertThrows(ActorNotFoundException.class, () -> pid.tell("x"));
            assertThrows(ActorNotFoundException.class, () -> pid.ask("x", Await.ASK));
            assertThrows(ActorNotFoundException.class, pid::path);
            assertThrows(AktException.class, () -> system.stop(pid));
            assertThrows(AktException.class, pid::stop);
            assertThrows(AktException.class, pid::poison);
            assertThrows(AktException.class, () -> pid.stopGracefully(Await.ASK));
        }
    }

    @Test
    void aPidStopsAndPoisonsItsActor() throws Exception {
        CompletableFuture<Integer> handled = new CompletableFuture<>();
        Pid poisoned = system.spawn("poisoned", new Actor() {
            int n;

            @Override
            public void receive(Context ctx, Object msg) {
                n++;
            }

            @Override
            public void postStop(Context ctx) {
                handled.complete(n);
            }
        });
        for (int i = 0; i < 100; i++) {
            poisoned.tell(i);
        }
        poisoned.poison();
        assertEquals(100, Await.get(handled), "what was queued before the pill is handled");
        Await.until(() -> !poisoned.isAlive(), "the poisoned actor to stop");
        assertThrows(ActorNotFoundException.class, poisoned::poison);

        Pid stopped = system.spawn("stopped", new Counter());
        stopped.stop();
        Await.until(() -> !stopped.isAlive(), "the stopped actor to stop");
        ActorNotFoundException e = assertThrows(ActorNotFoundException.class, stopped::stop);
        assertEquals("AKT_ENOTFOUND", e.codeName());

        Pid graceful = system.spawn("graceful", new Counter());
        assertNull(Await.get(graceful.stopGracefully(Await.ASK)));
        assertFalse(graceful.isAlive());
        assertThrows(IllegalArgumentException.class, () -> stopped.stopGracefully(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> stopped.stopGracefully(null));
    }

    @Test
    void aFailingFactoryFailsTheSpawnCall() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> system.spawn("nope", Props.create(() -> {
                    throw new IllegalStateException("no actor today");
                })));
        assertEquals("no actor today", e.getMessage());
        assertThrows(NullPointerException.class, () -> system.spawn("null", Props.create(() -> null)));
        assertThrows(ActorNotFoundException.class, () -> system.lookup("nope"));
    }

    @Test
    void childNamesAreCheckedInsideActors() throws Exception {
        Pid parent = system.spawn("twins", (ctx, msg) -> {
            ctx.spawn("twin", new Counter());
            try {
                ctx.spawn("twin", new Counter());
                ctx.respond("spawned twice?");
            } catch (ActorNameTakenException e) {
                ctx.respond(e.errorName());
            }
        });
        assertEquals("AKT_EEXIST", Await.get(parent.ask("go", Await.ASK)));
    }
}
