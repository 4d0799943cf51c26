package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class FaultTest {
    static CircuitBreaker quick(ManualClock clock) {
        return CircuitBreaker.builder().failureRate(0.5).minRequests(2)
                .openTimeout(Duration.ofSeconds(1)).window(Duration.ofSeconds(10), 10)
                .halfOpenMaxCalls(1).clock(clock).build();
    }

    @Test
    void breakerCountsFailedStagesAndShortCircuitsWhenOpen() {
        ManualClock clock = new ManualClock(Duration.ofSeconds(100));
        CircuitBreaker b = quick(clock);
        assertEquals(1, b.call(() -> CompletableFuture.completedFuture(1)).toCompletableFuture().join());
        CompletionException e = assertThrows(CompletionException.class, () -> b.call(
                () -> CompletableFuture.failedFuture(new IllegalStateException("down")))
                .toCompletableFuture().join());
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals(CircuitBreaker.State.OPEN, b.state());
        AtomicBoolean ran = new AtomicBoolean();
        e = assertThrows(CompletionException.class, () -> b.call(() -> {
            ran.set(true);
            return CompletableFuture.completedFuture(2);
        }).toCompletableFuture().join());
        BreakerOpenException open = assertInstanceOf(BreakerOpenException.class, e.getCause());
        assertEquals("AKT_EBUSY", open.codeName());
        assertFalse(ran.get());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(CircuitBreaker.State.HALF_OPEN, b.state());
        assertEquals(3, b.call(() -> CompletableFuture.completedFuture(3)).toCompletableFuture().join());
        assertEquals(new CircuitBreaker.Metrics(CircuitBreaker.State.CLOSED, 0, 0, 0.0, 1), b.metrics());
    }

    @Test
    void aSupplierThatThrowsIsAFailure() {
        CircuitBreaker b = CircuitBreaker.builder().minRequests(1).build();
        CompletionException e = assertThrows(CompletionException.class, () -> b.call(() -> {
            throw new IllegalArgumentException("bad");
        }).toCompletableFuture().join());
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertEquals(CircuitBreaker.State.OPEN, b.state());
    }

    @Test
    void badBreakerOptions() {
        assertThrows(IllegalArgumentException.class, () -> CircuitBreaker.builder().failureRate(0).build());
        assertThrows(IllegalArgumentException.class, () -> CircuitBreaker.builder().minRequests(0).build());
        assertThrows(IllegalArgumentException.class,
                () -> CircuitBreaker.builder().window(Duration.ofSeconds(1), 65).build());
        assertThrows(IllegalArgumentException.class,
                () -> CircuitBreaker.builder().openTimeout(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class, () -> new ManualClock(Duration.ofSeconds(-1)));
        assertThrows(NullPointerException.class, () -> CircuitBreaker.builder().build().call(null));
    }

    static final class Echo implements Actor {
        @Override
        public void receive(Context ctx, Object msg) {
            ctx.respond(msg);
        }
    }

    @Test
    void passivationIdleCountLongLivedAndDefault() throws Exception {
        try (ActorSystem system = ActorSystem.builder("passivate").workers(2).build()) {
            List<String> seen = new CopyOnWriteArrayList<>();
            Subscription sub = system.subscribe(EnumSet.of(EventKind.ACTOR_PASSIVATED), ev -> seen.add(ev.path()));
            Pid idle = system.spawn("idle", Props.of(new Echo()).withPassivation(Passivation.idle(Duration.ofMillis(500))));
            Pid twice = system.spawn("twice", Props.of(new Echo()).withPassivation(Passivation.afterMessages(2)));
            Pid keep = system.spawn("keep", Props.of(new Echo()).withPassivation(Passivation.LONG_LIVED));
            assertEquals(1, Await.get(idle.ask(1, Await.ASK)));
            assertEquals(1, Await.get(twice.ask(1, Await.ASK)));
            assertEquals(2, Await.get(twice.ask(2, Await.ASK)));
            Await.until(() -> !idle.isAlive() && !twice.isAlive(), "both passivated");
            Await.until(() -> seen.size() == 2, "two passivated events");
            assertTrue(seen.contains("akt://passivate/user/idle") && seen.contains("akt://passivate/user/twice"));
            assertTrue(keep.isAlive());
            system.setDefaultPassivation(Passivation.idle(Duration.ofMillis(20)));
            Pid late = system.spawn("late", new Echo());
            Await.until(() -> !late.isAlive(), "the default passivated it");
            system.setDefaultPassivation(null);
            Pid after = system.spawn("after", new Echo());
            Thread.sleep(60);
            assertTrue(after.isAlive());
            sub.close();
        }
    }

    @Test
    void badPassivationValues() {
        assertThrows(IllegalArgumentException.class, () -> Passivation.idle(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Passivation.afterMessages(0));
        assertThrows(NullPointerException.class, () -> Props.of(new Echo()).withPassivation(null));
    }

    @Test
    void pipeToSelfWithTheActorAsSenderAndAnOpenBreakerRefuses() throws Exception {
        try (ActorSystem system = ActorSystem.builder("pipe").workers(2).build()) {
            CircuitBreaker breaker = CircuitBreaker.builder().minRequests(1).build();
            CompletableFuture<String> got = new CompletableFuture<>();
            CompletableFuture<String> refused = new CompletableFuture<>();
            Pid p = system.spawn("piper", (Actor) (ctx, msg) -> {
                if ("go".equals(msg)) {
                    ctx.pipeTo(() -> CompletableFuture.completedFuture("result"));
                } else if ("fail".equals(msg)) {
                    ctx.pipeTo(ctx.self(), () -> CompletableFuture.failedFuture(new IllegalStateException()),
                            null, breaker);
                } else if ("again".equals(msg)) {
                    AtomicBoolean called = new AtomicBoolean();
                    try {
                        ctx.pipeTo(ctx.self(), () -> {
                            called.set(true);
                            return CompletableFuture.completedFuture("x");
                        }, null, breaker);
                    } catch (BreakerOpenException e) {
                        refused.complete(e.codeName() + " " + called.get());
                    }
                } else {
                    got.complete(msg + " " + ctx.sender().path());
                }
            });
            p.tell("go");
            assertEquals("result akt://pipe/user/piper", got.get(5, java.util.concurrent.TimeUnit.SECONDS));
            p.tell("fail");
            Await.until(() -> breaker.state() == CircuitBreaker.State.OPEN, "the failure recorded");
            p.tell("again");
            assertEquals("AKT_EBUSY false", refused.get(5, java.util.concurrent.TimeUnit.SECONDS));
        }
    }

    @Test
    void guardianPolicyStopsTheActorOrShutsTheSystemDown() throws Exception {
        Actor failing = (ctx, msg) -> {
            throw new IllegalStateException("boom");
        };
        ActorSystem system = ActorSystem.builder("guardian").workers(2)
                .supervisor(SupervisorStrategy.oneForOne(Directive.ESCALATE)).build();
        try {
            assertThrows(NullPointerException.class, () -> system.setGuardianPolicy(null));
            Pid a = system.spawn("a", failing);
            a.tell("x");
            Await.until(() -> !a.isAlive(), "the escalating actor to stop");
            Pid b = system.spawn("b", (ctx, msg) -> ctx.respond("pong"));
            assertEquals("pong", b.ask("ping", Duration.ofSeconds(5)).get(5,
                    java.util.concurrent.TimeUnit.SECONDS)); // the default: the system goes on
            assertFalse(system.whenTerminated().isDone());

            system.setGuardianPolicy(GuardianPolicy.STOP_ACTOR);
            system.setGuardianPolicy(GuardianPolicy.SHUTDOWN);
            system.setGuardianPolicy(GuardianPolicy.SHUTDOWN); // again: one reference kept
            system.spawn("c", failing).tell("x");
            system.whenTerminated().get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertFalse(b.isAlive());
            AktException closed = assertThrows(AktException.class,
                    () -> system.setGuardianPolicy(GuardianPolicy.STOP_ACTOR));
            assertEquals("AKT_ECLOSED", closed.codeName());
            assertSame(system.whenTerminated(), system.shutdown()); // completed already
            assertTrue(system.shutdown().isDone());
        } finally {
            system.close();
        }
    }

    @Test
    void aShutdownWithTheGuardianPolicySetCompletesOnce() throws Exception {
        ActorSystem system = ActorSystem.builder("guardian2").workers(2)
                .supervisor(SupervisorStrategy.oneForOne(Directive.ESCALATE)).build();
        system.setGuardianPolicy(GuardianPolicy.SHUTDOWN);
        system.shutdown().get(5, java.util.concurrent.TimeUnit.SECONDS);
        system.close();
        assertTrue(system.whenTerminated().isDone());
    }
}
