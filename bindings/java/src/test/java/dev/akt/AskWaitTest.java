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
}
