package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ThreadingTest {
    private static long attachesFor(String name, int messages) throws Exception {
        long before = AktNativeJNI.aktj_stat_attaches();
        try (ActorSystem system = ActorSystem.builder(name).workers(2).build()) {
            Pid pid = system.spawn("counter", new Counter());
            for (int i = 0; i < messages; i++) {
                pid.tell(1);
            }
            assertEquals(messages, Await.get(pid.ask("get", Await.ASK)));
        }
        return AktNativeJNI.aktj_stat_attaches() - before;
    }

    @Test
    void eachAktThreadAttachesOnceNotPerMessage() throws Exception {
        long few = attachesFor("attach-few", 10);
        long many = attachesFor("attach-many", 200_000);
        assertTrue(few >= 2, "both workers attached: " + few);
        assertEquals(few, many, "attaches do not grow with messages");
    }

    private static boolean threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith(prefix));
    }

    @Test
    void workersAreNamedDaemonsAndDetachAtTheEnd() throws Exception {
        // Not run by the asking thread (it may run an idle target's turn itself: AskWaitTest).
        try (ActorSystem system = ActorSystem.builder("named").workers(2).waitersRunTurns(false).build()) {
            Pid pid = system.spawn("who", (ctx, msg) -> {
                Thread t = Thread.currentThread();
                ctx.respond(t.getName() + "/" + t.isDaemon());
            });
            String seen = (String) Await.get(pid.ask("who", Await.ASK));
            assertTrue(seen.matches("akt-named-worker-\\d+/true"), seen);
            assertTrue(threadsNamed("akt-named-"));
        }
        // Every akt thread of the system detached (its last hook may trail close() a little).
        Await.until(() -> !threadsNamed("akt-named-"), "the system's threads to detach");
    }

    @Test
    void manySystemsInOneJvm() throws Exception {
        for (int i = 0; i < 20; i++) {
            try (ActorSystem s = ActorSystem.builder("seq-" + i).workers(1).build()) {
                Pid pid = s.spawn("c", new Counter());
                pid.tell(i);
                assertEquals(i, Await.get(pid.ask("get", Await.ASK)));
            }
        }
        List<ActorSystem> systems = new ArrayList<>();
        try {
            List<Pid> counters = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ActorSystem s = ActorSystem.builder("par-" + i).workers(1).build();
                systems.add(s);
                counters.add(s.spawn("c", new Counter()));
            }
            // Same name, different systems: different actors.
            for (int round = 0; round < 100; round++) {
                for (int i = 0; i < counters.size(); i++) {
                    counters.get(i).tell(i);
                }
            }
            for (int i = 0; i < counters.size(); i++) {
                assertEquals(100 * i, Await.get(counters.get(i).ask("get", Await.ASK)));
                assertEquals("akt://par-" + i + "/user/c", counters.get(i).path());
            }
            // A pid of one system told from inside another system's actor.
            Pid relay = systems.get(0).spawn("relay", (ctx, msg) -> counters.get(1).tell(1000));
            relay.tell("go");
            Await.until(() -> {
                try {
                    return Await.get(counters.get(1).ask("get", Await.ASK)).equals(1100);
                } catch (Exception e) {
                    return false;
                }
            }, "the cross-system tell");
        } finally {
            systems.forEach(ActorSystem::close);
        }
    }

    @Test
    void closingWithBusyActorsStopsEverythingAndReleasesMessages() throws Exception {
        long live = AktNativeJNI.aktj_stat_live_objects();
        CountDownLatch busy = new CountDownLatch(2);
        AtomicInteger stopped = new AtomicInteger();
        List<CompletableFuture<Object>> pending = new ArrayList<>();
        ActorSystem system = ActorSystem.builder("busy").workers(2).build();
        for (int a = 0; a < 2; a++) {
            Pid pid = system.spawn("busy-" + a, new Actor() {
                @Override
                public void receive(Context ctx, Object msg) throws Exception {
                    busy.countDown();
                    Thread.sleep(300); // still working when close() is called
                }

                @Override
                public void postStop(Context ctx) {
                    stopped.incrementAndGet();
                }
            });
            for (int i = 0; i < 1000; i++) {
                pid.tell(new Object[] {i});
            }
            pending.add(pid.ask("never answered", Duration.ofSeconds(30)));
        }
        assertTrue(busy.await(10, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        system.close();
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(10), "close did not hang");
        assertEquals(2, stopped.get());
        assertTrue(system.whenTerminated().isDone());
        for (CompletableFuture<Object> f : pending) {
            assertInstanceOf(AktException.class, Await.failure(f));
        }
        assertEquals(live, AktNativeJNI.aktj_stat_live_objects(), "queued messages released");
        // After close, the system and its pids fail cleanly.
        Pid gone = new Pid(system, 1);
        assertThrows(AktException.class, () -> gone.tell("late"));
        assertThrows(SystemClosedException.class, () -> system.spawn("late", new Counter()));
        system.close(); // idempotent
    }

    @Test
    void closeFromInsideAnActorDoesNotDeadlock() throws Exception {
        ActorSystem system = ActorSystem.builder("self-close").workers(2).build();
        Pid pid = system.spawn("closer", (ctx, msg) -> ctx.system().close());
        pid.tell("close");
        system.whenTerminated().get(10, TimeUnit.SECONDS);
        system.close();
    }

    @Test
    void poisonHandlesQueuedMessagesFirst() throws Exception {
        try (ActorSystem system = ActorSystem.builder("poison").workers(2).build()) {
            CompletableFuture<Integer> last = new CompletableFuture<>();
            Pid pid = system.spawn("p", new Actor() {
                int n;

                @Override
                public void receive(Context ctx, Object msg) {
                    n++;
                }

                @Override
                public void postStop(Context ctx) {
                    last.complete(n);
                }
            });
            for (int i = 0; i < 500; i++) {
                pid.tell(i);
            }
            pid.poison();
            assertEquals(500, Await.get(last));
        }
    }

    @Test
    void gracefulStopTimesOut() throws Exception {
        try (ActorSystem system = ActorSystem.builder("graceful").workers(2).build()) {
            CountDownLatch inside = new CountDownLatch(1);
            Pid pid = system.spawn("slow", (ctx, msg) -> {
                inside.countDown();
                Thread.sleep(500);
            });
            pid.tell("work");
            assertTrue(inside.await(10, TimeUnit.SECONDS));
            pid.tell("more");
            Throwable t = Await.failure(pid.stopGracefully(Duration.ofMillis(50)));
            assertInstanceOf(AskTimeoutException.class, t);
            Await.until(() -> !pid.isAlive(), "the actor to stop");
        }
    }

    @Test
    void manyThreadsTellConcurrently() throws Exception {
        try (ActorSystem system = ActorSystem.builder("concurrent").workers(2).build()) {
            Pid pid = system.spawn("counter", new Counter());
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread th = new Thread(() -> {
                    for (int i = 0; i < 25_000; i++) {
                        pid.tell(1);
                    }
                });
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                th.join();
            }
            assertEquals(100_000, Await.get(pid.ask("get", Await.ASK)));
        }
    }

    @Test
    void aStopIsSeenAfterTheMessageInProgressNotAfterTheWholeTurn() throws Exception {
        try (ActorSystem system = ActorSystem.builder("stop-now").workers(2).build()) {
            java.util.concurrent.atomic.AtomicBoolean stopRequested = new java.util.concurrent.atomic.AtomicBoolean();
            AtomicInteger afterStop = new AtomicInteger();
            CountDownLatch running = new CountDownLatch(1);
            CompletableFuture<Void> stopped = new CompletableFuture<>();
            Pid pid = system.spawn("slowpoke", new Actor() {
                @Override
                public void receive(Context ctx, Object msg) throws Exception {
                    if (stopRequested.get()) {
                        afterStop.incrementAndGet();
                    }
                    running.countDown();
                    Thread.sleep(2);
                }

                @Override
                public void postStop(Context ctx) {
                    stopped.complete(null);
                }
            });
            for (int i = 0; i < 500; i++) {
                pid.tell(i);
            }
            assertTrue(running.await(10, TimeUnit.SECONDS));
            stopRequested.set(true);
            system.stop(pid);
            Await.get(stopped);
            // The message in progress, and at most one that raced with the request.
            assertTrue(afterStop.get() <= 2, "messages handled after the stop: " + afterStop.get());
        }
    }
}
