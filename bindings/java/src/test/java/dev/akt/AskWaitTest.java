package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A thread waiting for an ask: it may run the target's turn, it completes the ask itself
 *  when no stage depends on it, and get/join keep CompletableFuture's contract meanwhile
 *  (interrupts, timeouts, cancels from another thread). */
class AskWaitTest {
    /** Of n asks waited for with get(), how many were answered on the asking thread. */
    private static int answeredHere(boolean waitersRunTurns, int n) throws Exception {
        try (ActorSystem system = ActorSystem.builder("ask-wait-" + waitersRunTurns).workers(1)
                .waitersRunTurns(waitersRunTurns).build()) {
            Pid who = system.spawn("who", (ctx, msg) -> ctx.respond(Thread.currentThread().getName()));
            String me = Thread.currentThread().getName();
            int here = 0;
            for (int i = 0; i < n; i++) {
                if (me.equals(who.ask("who", Await.ASK).get())) {
                    here++;
                }
            }
            return here;
        }
    }

    @Test
    void aWaitingThreadRunsAnIdleTargetsTurnUnlessTheBuilderSaysNo() throws Exception {
        assertEquals(0, answeredHere(false, 200));
        // The worker wakes from a futex well after the asker reached its wait: most asks are
        // answered here (all would be, but a worker may win the race now and then).
        assertTrue(answeredHere(true, 200) > 0);
    }

    /** A system for gated actors: their turns block, so a waiting thread must leave them to
     *  the worker (a turn the waiter ran would end only when the test opened the gate). */
    private static ActorSystem slowSystem(String name) {
        return ActorSystem.builder(name).workers(1).waitersRunTurns(false).build();
    }

    /** An actor that answers once its gate is open. */
    private static Pid gated(ActorSystem system, String name, CountDownLatch gate) {
        return system.spawn(name, (ctx, msg) -> {
            assertTrue(gate.await(10, TimeUnit.SECONDS));
            ctx.respond("late " + msg);
        });
    }

    /** Opens gate after ms milliseconds, from a thread of its own. */
    private static Thread openLater(CountDownLatch gate, long ms) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            gate.countDown();
        });
        t.start();
        return t;
    }

    @Test
    void aWorkersAnswerIsHandedToTheWaitingThread() throws Exception {
        try (ActorSystem system = slowSystem("ask-handoff")) {
            for (int i = 0; i < 3; i++) {
                CountDownLatch gate = new CountDownLatch(1);
                Pid pid = gated(system, "g" + i, gate);
                CompletableFuture<Object> f = pid.ask(i, Await.ASK);
                Thread opener = openLater(gate, 100); // the worker is in the turn meanwhile
                assertEquals("late " + i, i % 2 == 0 ? f.get() : f.join());
                opener.join();
            }
            // A typed ask casts in the future itself.
            CountDownLatch open = new CountDownLatch(0);
            assertEquals("late 7", gated(system, "typed", open).ask(7, Await.ASK, String.class).get());
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> gated(system, "mistyped", open).ask(8, Await.ASK, Integer.class).get());
            assertInstanceOf(ClassCastException.class, e.getCause());
        }
    }

    @Test
    void getIsInterruptedWhileTheAskIsPending() throws Exception {
        try (ActorSystem system = slowSystem("ask-interrupt")) {
            CountDownLatch gate = new CountDownLatch(1);
            CompletableFuture<Object> f = gated(system, "slow", gate).ask(1, Await.ASK);
            AtomicReference<Throwable> seen = new AtomicReference<>();
            Thread waiter = new Thread(() -> {
                try {
                    f.get();
                } catch (Throwable t) {
                    seen.set(t);
                }
            });
            waiter.start();
            Thread.sleep(100);
            long t0 = System.nanoTime();
            waiter.interrupt();
            waiter.join(5_000);
            assertFalse(waiter.isAlive(), "get() returned after the interrupt");
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2));
            assertInstanceOf(InterruptedException.class, seen.get());
            gate.countDown();
            assertEquals("late 1", Await.get(f)); // the ask itself still completes
        }
    }

    @Test
    void aTimedGetTimesOutAndTheAskStillCompletes() throws Exception {
        try (ActorSystem system = slowSystem("ask-timed")) {
            CountDownLatch gate = new CountDownLatch(1);
            CompletableFuture<Object> f = gated(system, "slow", gate).ask(2, Await.ASK);
            long t0 = System.nanoTime();
            assertThrows(TimeoutException.class, () -> f.get(50, TimeUnit.MILLISECONDS));
            long waited = System.nanoTime() - t0;
            assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(50), "waited " + waited + " ns");
            assertFalse(f.isDone());
            gate.countDown();
            assertEquals("late 2", f.get(Long.MAX_VALUE, TimeUnit.DAYS)); // no deadline at all
        }
    }

    @Test
    void aCancelFromAnotherThreadEndsTheWait() throws Exception {
        try (ActorSystem system = slowSystem("ask-cancel")) {
            CountDownLatch gate = new CountDownLatch(1);
            CompletableFuture<Object> f = gated(system, "slow", gate).ask(3, Await.ASK);
            AtomicReference<Throwable> seen = new AtomicReference<>();
            Thread waiter = new Thread(() -> {
                try {
                    f.join();
                } catch (Throwable t) {
                    seen.set(t);
                }
            });
            waiter.start();
            Thread.sleep(100);
            assertTrue(f.cancel(false));
            waiter.join(5_000);
            assertFalse(waiter.isAlive(), "join() returned after the cancel");
            assertInstanceOf(CancellationException.class, seen.get());
            gate.countDown();
        }
    }

    /** The ask's timeout reaches a waiting thread on time when a worker runs the turn. A turn
     *  the waiter ran itself (waitersRunTurns, the default) ends before the waiter sees the
     *  timeout: a turn that blocks belongs on a system that says waitersRunTurns(false). */
    @Test
    void anAskTimeoutReachesTheWaitingThread() throws Exception {
        try (ActorSystem system = slowSystem("ask-timeout")) {
            CountDownLatch gate = new CountDownLatch(1);
            CompletableFuture<Object> f = gated(system, "slow", gate).ask(4, Duration.ofMillis(50));
            long t0 = System.nanoTime();
            ExecutionException e = assertThrows(ExecutionException.class, f::get);
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "the timeout came late");
            assertInstanceOf(AskTimeoutException.class, e.getCause());
            gate.countDown();
        }
    }

    @Test
    void anActorWaitingForAnAskLeavesItsStagesToTheExecutor() throws Exception {
        try (ActorSystem system = ActorSystem.builder("ask-in-actor").workers(2).build()) {
            Pid echo = system.spawn("echo", (ctx, msg) -> ctx.respond(msg));
            AtomicReference<String> stageThread = new AtomicReference<>();
            Pid asker = system.spawn("asker", (ctx, msg) -> {
                CompletableFuture<Object> f = echo.ask(msg, Await.ASK);
                Object r = f.get(); // on an akt worker: the completion goes to the executor
                f.thenRun(() -> stageThread.set(Thread.currentThread().getName())).get();
                ctx.respond(r);
            });
            assertEquals(5, Await.get(asker.ask(5, Await.ASK)));
            assertNotNull(stageThread.get());
        }
    }
    // ---- askSync: the ask and its wait in one call (akt_ask_wait) ----------------------------

    @Test
    void askSyncRunsAnIdleTargetsTurnOnTheCallingThread() {
        try (ActorSystem system = ActorSystem.builder("ask-sync").workers(2).build()) {
            Pid who = system.spawn("who", (ctx, msg) -> ctx.respond(Thread.currentThread().getName()));
            String me = Thread.currentThread().getName();
            int here = 0;
            for (int i = 0; i < 500; i++) {
                if (me.equals(who.askSync("who", Await.ASK))) {
                    here++;
                }
            }
            // No worker is woken for the turn: only one that happened to search could take it.
            assertTrue(here > 450, here + " of 500 ran on the asker");
            assertEquals(me.length(), who.askSync("who", Await.ASK, String.class).length());
        }
    }

    @Test
    void askSyncThrowsTheAsksOwnFailures() throws Exception {
        try (ActorSystem system = slowSystem("ask-sync-errors")) {
            Pid picky = system.spawn("picky", (ctx, msg) -> {
                if ("fail".equals(msg)) {
                    throw new IllegalStateException("no");
                }
                if (!"ok".equals(msg)) {
                    ctx.unhandled();
                    return;
                }
                ctx.respond(7L);
            });
            assertEquals(7L, picky.askSync("ok", Await.ASK));
            assertThrows(ClassCastException.class, () -> picky.askSync("ok", Await.ASK, String.class));
            assertThrows(UnhandledMessageException.class, () -> picky.askSync("other", Await.ASK));
            assertThrows(ActorFailedException.class, () -> picky.askSync("fail", Await.ASK));
            CountDownLatch gate = new CountDownLatch(1);
            Pid slow = gated(system, "slow", gate);
            long t0 = System.nanoTime();
            assertThrows(AskTimeoutException.class, () -> slow.askSync(1, Duration.ofMillis(50)));
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "the timeout came late");
            gate.countDown();
            picky.stop();
            Await.until(() -> !picky.isAlive(), "picky stopped");
            assertThrows(ActorNotFoundException.class, () -> picky.askSync("ok", Await.ASK));
            assertThrows(IllegalArgumentException.class, () -> slow.askSync("x", Duration.ZERO));
            assertThrows(NullPointerException.class, () -> slow.askSync(null, Await.ASK));
        }
    }

    @Test
    void askSyncInsideAnActorWaitsAsJoin() throws Exception {
        try (ActorSystem system = ActorSystem.builder("ask-sync-in-actor").workers(2).build()) {
            Pid echo = system.spawn("echo", (ctx, msg) -> ctx.respond(msg));
            Pid asker = system.spawn("asker", (ctx, msg) -> ctx.respond(echo.askSync(msg, Await.ASK)));
            assertEquals(6, Await.get(asker.ask(6, Await.ASK)));
        }
    }
}
