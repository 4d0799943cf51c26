package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SupervisionTest {
    ActorSystem system;

    @AfterEach
    void stop() {
        if (system != null) {
            system.close();
        }
    }

    /** Counts; "boom" throws; "get" answers the count. */
    static final class Fragile implements Actor {
        final List<String> lifecycle;
        int n;

        Fragile(List<String> lifecycle) {
            this.lifecycle = lifecycle;
        }

        @Override
        public void preStart(Context ctx) {
            lifecycle.add("preStart");
        }

        @Override
        public void postStop(Context ctx) {
            lifecycle.add("postStop");
        }

        @Override
        public void receive(Context ctx, Object msg) {
            if ("boom".equals(msg)) {
                throw new IllegalStateException("boom");
            } else if ("get".equals(msg)) {
                ctx.respond(n);
            } else {
                n++;
            }
        }
    }

    /**
     * Counts one, fails, counts one more, then asks the count: 2 when the failure kept the
     * actor's state, 1 when it started over with a fresh instance.
     */
    private static Object countAroundAFailure(Pid fragile) throws Exception {
        fragile.tell("inc");
        fragile.tell("boom");
        fragile.tell("inc");
        return Await.get(fragile.ask("get", Await.ASK));
    }

    @Test
    void anExceptionRestartsByDefaultKeepingAnInstance() throws Exception {
        system = ActorSystem.builder("sup-default").workers(2).build();
        List<String> life = new CopyOnWriteArrayList<>();
        Pid pid = system.spawn("fragile", new Fragile(life));
        // Props.of keeps the instance: its fields survive the restart.
        assertEquals(2, countAroundAFailure(pid));
        assertEquals(List.of("preStart", "postStop", "preStart"), life);
    }

    @Test
    void aFactoryMakesAFreshInstanceOnRestart() throws Exception {
        system = ActorSystem.builder("sup-factory").workers(2).build();
        List<String> life = new CopyOnWriteArrayList<>();
        AtomicInteger made = new AtomicInteger();
        Pid pid = system.spawn("fresh", Props.create(() -> {
            made.incrementAndGet();
            return new Fragile(life);
        }));
        assertEquals(1, countAroundAFailure(pid));
        assertEquals(2, made.get());
    }

    @Test
    void resumeKeepsStateAndStopStops() throws Exception {
        system = ActorSystem.builder("sup-resume").workers(2)
                .supervisor(SupervisorStrategy.oneForOne(Directive.RESUME)).build();
        List<String> life = new CopyOnWriteArrayList<>();
        Pid pid = system.spawn("resumed", new Fragile(life));
        assertEquals(2, countAroundAFailure(pid));
        assertEquals(List.of("preStart"), life);
        system.close();

        system = ActorSystem.builder("sup-stop").workers(2)
                .supervisor(SupervisorStrategy.oneForOne(Directive.STOP)).build();
        List<String> life2 = new CopyOnWriteArrayList<>();
        Pid stopped = system.spawn("stopped", new Fragile(life2));
        stopped.tell("boom");
        Await.until(() -> !stopped.isAlive(), "the failed actor to stop");
        assertEquals(List.of("preStart", "postStop"), life2);
    }

    @Test
    void oneForAllRestartsEverySibling() throws Exception {
        system = ActorSystem.builder("sup-all").workers(2).build();
        List<List<String>> lives = List.of(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>(),
                new CopyOnWriteArrayList<>());
        Pid parent = system.spawn("group", Props.of((ctx, msg) -> {
            int i = (Integer) msg;
            ctx.respond(ctx.spawn("m" + i, new Fragile(lives.get(i))));
        }).withSupervisor(SupervisorStrategy.oneForOne(Directive.RESTART).oneForAll()));
        Pid[] members = new Pid[3];
        for (int i = 0; i < 3; i++) {
            members[i] = (Pid) Await.get(parent.ask(i, Await.ASK));
            assertEquals(0, Await.get(members[i].ask("get", Await.ASK)));
        }
        members[1].tell("boom");
        for (int i = 0; i < 3; i++) {
            List<String> life = lives.get(i);
            Await.until(() -> life.size() == 3, "member " + i + " to restart");
            assertEquals(List.of("preStart", "postStop", "preStart"), life);
            assertTrue(members[i].isAlive());
        }
        assertTrue(parent.isAlive());
        assertTrue(SupervisorStrategy.RESTART.oneForAll().isOneForAll());
        assertFalse(SupervisorStrategy.RESTART.isOneForAll());
    }

    @Test
    void aRetryBudgetStopsTheChild() throws Exception {
        system = ActorSystem.builder("sup-budget").workers(2)
                .supervisor(SupervisorStrategy.RESTART.withRetries(1, Duration.ofMinutes(1))).build();
        List<String> life = new CopyOnWriteArrayList<>();
        Pid pid = system.spawn("fragile", new Fragile(life));
        pid.tell("boom");
        assertEquals(0, Await.get(pid.ask("get", Await.ASK))); // restarted once
        assertEquals(List.of("preStart", "postStop", "preStart"), life);
        pid.tell("boom"); // the second failure within a minute
        Await.until(() -> !pid.isAlive(), "the child to stop");
    }

    @Test
    void anExhaustedBudgetCanSuspendWithAFreshBudgetOnceReinstated() throws Exception {
        // The code rule checks that the native layout after the exhaustion still reads.
        SupervisorStrategy s = SupervisorStrategy.RESTART.withRetries(1, Duration.ofMinutes(1))
                .onRetriesExhausted(Directive.SUSPEND)
                .withRule(AskTimeoutException.class, Directive.RESTART);
        assertEquals(Directive.SUSPEND, s.retriesExhausted());
        system = ActorSystem.builder("sup-exhausted").workers(2).supervisor(s).build();
        List<EventKind> kinds = new CopyOnWriteArrayList<>();
        Subscription sub = system.subscribe(
                java.util.EnumSet.of(EventKind.ACTOR_SUSPENDED, EventKind.ACTOR_REINSTATED),
                ev -> kinds.add(ev.kind()));
        List<String> life = new CopyOnWriteArrayList<>();
        Pid pid = system.spawn("fragile", new Fragile(life));
        pid.tell("boom");
        assertEquals(0, Await.get(pid.ask("get", Await.ASK))); // restarted once
        pid.tell("inc");
        pid.tell("boom"); // the second failure within a minute: suspended, not stopped
        Await.until(() -> kinds.contains(EventKind.ACTOR_SUSPENDED), "the suspension");
        assertThrows(ActorSuspendedException.class, () -> pid.tell("inc"));
        assertTrue(pid.isAlive());
        assertEquals(List.of("preStart", "postStop", "preStart"), life);
        pid.reinstate();
        Await.until(() -> kinds.contains(EventKind.ACTOR_REINSTATED), "the reinstatement");
        assertEquals(1, Await.get(pid.ask("get", Await.ASK))); // the state was kept
        pid.tell("boom"); // a fresh budget: restarted again
        assertEquals(1, Await.get(pid.ask("get", Await.ASK)));
        assertEquals(List.of("preStart", "postStop", "preStart", "postStop", "preStart"), life);
        pid.tell("boom");
        Await.until(() -> kinds.stream().filter(k -> k == EventKind.ACTOR_SUSPENDED).count() == 2,
                "the second suspension");
        assertTrue(pid.isAlive());
        sub.close();
    }

    @Test
    void aChildOfAOneForAllParentIsSuspendedAlone() throws Exception {
        system = ActorSystem.builder("sup-exhausted-all").workers(2).build();
        List<String> life = new CopyOnWriteArrayList<>();
        Pid parent = system.spawn("parent", Props.of(new Actor() {
            @Override
            public void receive(Context ctx, Object msg) {
                ctx.respond(ctx.spawn((String) msg, new Fragile(life)));
            }
        }).withSupervisor(SupervisorStrategy.RESTART.oneForAll()
                .withRetries(1, Duration.ofMinutes(1)).onRetriesExhausted(Directive.SUSPEND)));
        Pid a = (Pid) Await.get(parent.ask("a", Await.ASK));
        Pid b = (Pid) Await.get(parent.ask("b", Await.ASK));
        a.tell("boom"); // both restart
        Await.until(() -> life.size() == 6, "both restarts");
        a.tell("boom"); // out of retries: a alone is suspended
        Await.until(() -> {
            try {
                a.tell("inc");
                return false;
            } catch (ActorSuspendedException e) {
                return true;
            }
        }, "the suspension of a");
        b.tell("inc");
        assertEquals(1, Await.get(b.ask("get", Await.ASK)));
        assertEquals(6, life.size()); // b was not restarted again
    }

    @Test
    void onRetriesExhaustedTakesStopOrSuspend() {
        SupervisorStrategy s = SupervisorStrategy.RESTART;
        assertEquals(Directive.STOP, s.retriesExhausted());
        for (Directive d : new Directive[] {Directive.RESTART, Directive.RESUME, Directive.ESCALATE})
            assertThrows(IllegalArgumentException.class, () -> s.onRetriesExhausted(d));
        assertThrows(NullPointerException.class, () -> s.onRetriesExhausted(null));
        assertEquals(Directive.STOP,
                s.onRetriesExhausted(Directive.SUSPEND).onRetriesExhausted(Directive.STOP).retriesExhausted());
        assertEquals(Directive.SUSPEND, s.onRetriesExhausted(Directive.SUSPEND).oneForAll()
                .withRetries(2, Duration.ofSeconds(1)).withBackoff(Duration.ofMillis(1),
                        Duration.ofMillis(2), 2, 0, null).retriesExhausted());
    }

    /** Throws the Throwable it is sent; "get" answers how many messages it handled. */
    static final class Thrower implements Actor {
        int n;

        @Override
        public void preStart(Context ctx) {
            n = 0;
        }

        @Override
        public void receive(Context ctx, Object msg) {
            n++;
            if (msg instanceof RuntimeException e) {
                throw e;
            }
            ctx.respond(n);
        }
    }

    static final class Special extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Special(String m) {
            super(m);
        }
    }

    @Test
    void rulesAnswerBeforeTheDeciderTheNearestClassFirst() throws Exception {
        system = ActorSystem.builder("sup-rules").workers(2).build();
        List<String> decided = new CopyOnWriteArrayList<>();
        SupervisorStrategy strategy = SupervisorStrategy.oneForOne(f -> {
            decided.add(f.reason());
            return Directive.RESTART;
        }).withRule(RuntimeException.class, Directive.STOP)
                .withRule(IllegalArgumentException.class, Directive.RESUME);
        Pid parent = system.spawn("parent", Props.of((ctx, msg) -> {
            ctx.respond(ctx.spawn("child", new Thrower()));
        }).withSupervisor(strategy));
        Pid child = (Pid) Await.get(parent.ask("make", Await.ASK));
        child.tell(new Special("nearest rule: resume"));
        child.tell(new IllegalArgumentException("resume"));
        assertEquals(3, Await.get(child.ask("get", Await.ASK))); // resumed twice: state kept
        assertEquals(List.of(), decided);
        child.tell(new IllegalStateException("a RuntimeException: stop"));
        Await.until(() -> !child.isAlive(), "the child to stop");
        assertEquals(List.of(), decided);
        assertTrue(parent.isAlive());
        assertThrows(NullPointerException.class,
                () -> SupervisorStrategy.RESTART.withRule(null, Directive.STOP));
        assertThrows(NullPointerException.class,
                () -> SupervisorStrategy.RESTART.withRule(Exception.class, null));
    }

    @Test
    void withoutAMatchingRuleTheDeciderChooses() throws Exception {
        system = ActorSystem.builder("sup-rules2").workers(2).build();
        List<String> decided = new CopyOnWriteArrayList<>();
        Pid parent = system.spawn("parent", Props.of((ctx, msg) -> {
            ctx.respond(ctx.spawn("child", new Thrower()));
        }).withSupervisor(SupervisorStrategy.oneForOne(f -> {
            decided.add(f.reason());
            return Directive.RESTART;
        }).withRule(IllegalArgumentException.class, Directive.STOP)));
        Pid child = (Pid) Await.get(parent.ask("make", Await.ASK));
        child.tell("x");
        child.tell(new IllegalStateException("no rule"));
        assertEquals(1, Await.get(child.ask("get", Await.ASK))); // restarted
        assertEquals(List.of("java.lang.IllegalStateException: no rule"), decided);
    }

    @Test
    void anAktExceptionRuleIsACodeRuleAppliedByAkt() throws Exception {
        system = ActorSystem.builder("sup-code-rules").workers(2).build();
        List<String> decided = new CopyOnWriteArrayList<>();
        Pid parent = system.spawn("parent", Props.of((ctx, msg) -> {
            ctx.respond(ctx.spawn("child", new Thrower()));
        }).withSupervisor(SupervisorStrategy.oneForOne(f -> {
            decided.add(f.reason());
            return Directive.RESTART;
        }).withRule(ActorFailedException.class, Directive.RESUME)));
        Pid child = (Pid) Await.get(parent.ask("make", Await.ASK));
        child.tell(new IllegalStateException("AKT_EFAILED, like every Java failure"));
        assertEquals(2, Await.get(child.ask("get", Await.ASK))); // resumed by akt's table
        assertEquals(List.of(), decided);
    }

    @Test
    void aThrowingPostStopIsAFailureEvent() throws Exception {
        system = ActorSystem.builder("sup-poststop").workers(2).build();
        List<Event> events = new CopyOnWriteArrayList<>();
        try (Subscription s = system.subscribe(java.util.EnumSet.of(EventKind.ACTOR_FAILED), events::add)) {
            Pid pid = system.spawn("untidy", new Actor() {
                @Override
                public void receive(Context ctx, Object msg) {
                    ctx.respond("up");
                }

                @Override
                public void postStop(Context ctx) {
                    throw new IllegalStateException("cleanup failed");
                }
            });
            assertEquals("up", Await.get(pid.ask("started?", Await.ASK)));
            pid.stop();
            Await.until(() -> !pid.isAlive(), "the stop"); // the failure does not block it
            Await.until(() -> !events.isEmpty(), "the failure event");
            assertEquals("java.lang.IllegalStateException: cleanup failed", events.get(0).reason());
        }
    }

    @Test
    void badRetryBudgetsThrow() {
        SupervisorStrategy s = SupervisorStrategy.RESTART;
        assertThrows(IllegalArgumentException.class, () -> s.withRetries(-1, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> s.withRetries(1L << 32, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> s.withRetries(2, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> s.withRetries(2, Duration.ofSeconds(-1)));
        assertThrows(NullPointerException.class, () -> s.withRetries(2, null));
    }

    @Test
    void theDeciderSeesTheExceptionAndChooses() throws Exception {
        List<Failure> failures = new CopyOnWriteArrayList<>();
        system = ActorSystem.builder("sup-decider").workers(2).build();
        List<String> life = new CopyOnWriteArrayList<>();
        Pid parent = system.spawn("parent", Props.of((ctx, msg) -> {
            ctx.respond(ctx.spawn("child", new Fragile(life)));
        }).withSupervisor(SupervisorStrategy.oneForOne(f -> {
            failures.add(f);
            return Directive.RESUME;
        })));
        Pid child = (Pid) Await.get(parent.ask("make", Await.ASK));
        assertEquals(2, countAroundAFailure(child));
        assertEquals(1, failures.size());
        Failure f = failures.get(0);
        assertEquals("AKT_EFAILED", f.errorName());
        assertEquals("java.lang.IllegalStateException: boom", f.reason());
    }

    @Test
    void escalateFailsTheParent() throws Exception {
        system = ActorSystem.builder("sup-escalate").workers(2)
                .supervisor(SupervisorStrategy.oneForOne(Directive.STOP)).build();
        CompletableFuture<String> parentStopped = new CompletableFuture<>();
        Pid parent = system.spawn("parent", Props.of(new Actor() {
            @Override
            public void receive(Context ctx, Object msg) {
                ctx.respond(ctx.spawn("child", (c, m) -> {
                    throw new RuntimeException("child failed");
                }));
            }

            @Override
            public void postStop(Context ctx) {
                parentStopped.complete("stopped");
            }
        }).withSupervisor(SupervisorStrategy.oneForOne(Directive.ESCALATE)));
        Pid child = (Pid) Await.get(parent.ask("make", Await.ASK));
        child.tell("fail");
        assertEquals("stopped", Await.get(parentStopped));
    }

    @Test
    void aFailingPreStartStopsTheActor() throws Exception {
        system = ActorSystem.builder("sup-prestart").workers(2).build();
        Pid pid = system.spawn("broken", new Actor() {
            @Override
            public void preStart(Context ctx) {
                throw new IllegalStateException("cannot start");
            }

            @Override
            public void receive(Context ctx, Object msg) {}
        });
        Await.until(() -> !pid.isAlive(), "the actor to stop");
    }

    @Test
    void aBackoffDelaysTheRestartKeepingTheMailbox() throws Exception {
        system = ActorSystem.builder("sup-backoff").workers(2)
                .supervisor(SupervisorStrategy.RESTART.withBackoff(Duration.ofMillis(50),
                        Duration.ofSeconds(1), 2.0, 0.0, null)).build();
        List<String> life = new CopyOnWriteArrayList<>();
        Pid pid = system.spawn("fragile", new Fragile(life));
        assertEquals(0, Await.get(pid.ask("get", Await.ASK)));
        long t0 = System.nanoTime();
        pid.tell("boom");
        pid.tell("inc"); // queued during the wait, handled after the restart
        assertEquals(1, Await.get(pid.ask("get", Await.ASK)));
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(50).toNanos());
        assertEquals(List.of("preStart", "postStop", "preStart"), life);
    }

    @Test
    void badBackoffsThrow() {
        SupervisorStrategy s = SupervisorStrategy.RESTART;
        Duration one = Duration.ofSeconds(1);
        assertThrows(IllegalArgumentException.class, () -> s.withBackoff(Duration.ZERO, one, 2, 0, null));
        assertThrows(IllegalArgumentException.class, () -> s.withBackoff(one, Duration.ofMillis(1), 2, 0, null));
        assertThrows(IllegalArgumentException.class, () -> s.withBackoff(one, one, 0.5, 0, null));
        assertThrows(IllegalArgumentException.class, () -> s.withBackoff(one, one, 2, 1.5, null));
        assertThrows(IllegalArgumentException.class, () -> s.withBackoff(one, one, 2, Double.NaN, null));
        assertThrows(IllegalArgumentException.class, () -> s.withBackoff(one, one, 2, 0, Duration.ZERO));
        assertThrows(NullPointerException.class, () -> s.withBackoff(null, one, 2, 0, null));
    }

    @Test
    void suspendRefusesMessagesUntilReinstated() throws Exception {
        system = ActorSystem.builder("sup-suspend").workers(2)
                .supervisor(SupervisorStrategy.oneForOne(Directive.SUSPEND)).build();
        List<EventKind> kinds = new CopyOnWriteArrayList<>();
        Subscription sub = system.subscribe(
                java.util.EnumSet.of(EventKind.ACTOR_SUSPENDED, EventKind.ACTOR_REINSTATED),
                ev -> kinds.add(ev.kind()));
        List<String> life = new CopyOnWriteArrayList<>();
        Pid pid = system.spawn("fragile", new Fragile(life));
        pid.tell("inc");
        pid.tell("boom");
        Await.until(() -> kinds.contains(EventKind.ACTOR_SUSPENDED), "the suspension");
        assertThrows(ActorSuspendedException.class, () -> pid.tell("inc"));
        assertThrows(ActorSuspendedException.class, () -> pid.ask("get", Await.ASK));
        system.reinstateNamed("fragile");
        Await.until(() -> kinds.contains(EventKind.ACTOR_REINSTATED), "the reinstatement");
        assertEquals(1, Await.get(pid.ask("get", Await.ASK))); // the state was kept
        assertEquals(List.of("preStart"), life);
        pid.reinstate(); // not suspended: nothing happens
        assertThrows(ActorNotFoundException.class, () -> system.reinstateNamed("nobody"));
        sub.close();
    }
}
