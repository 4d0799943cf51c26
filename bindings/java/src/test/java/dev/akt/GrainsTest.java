package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GrainsTest {
    ActorSystem system;
    final AtomicInteger activations = new AtomicInteger();
    final AtomicInteger deactivations = new AtomicInteger();

    @BeforeEach
    void start() {
        system = ActorSystem.builder("grains").workers(2).build();
    }

    @AfterEach
    void stop() {
        system.close();
    }

    /** Counts "inc"; answers "get" with its count and "who" with name#count. */
    final class Counter implements Actor {
        final String name;
        long count;

        Counter(String name) {
            this.name = name;
        }

        @Override
        public void preStart(Context ctx) {
            activations.incrementAndGet();
        }

        @Override
        public void postStop(Context ctx) {
            synchronized (deactivations) {
                deactivations.incrementAndGet();
                deactivations.notifyAll();
            }
        }

        @Override
        public void receive(Context ctx, Object msg) {
            if ("inc".equals(msg)) {
                count++;
            } else if ("get".equals(msg)) {
                ctx.respond(count);
            } else if ("who".equals(msg)) {
                ctx.respond(name + "#" + count);
            } else {
                ctx.unhandled();
            }
        }
    }

    private void awaitDeactivations(int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        synchronized (deactivations) {
            while (deactivations.get() < n && System.nanoTime() < end) {
                deactivations.wait(50);
            }
        }
        assertTrue(deactivations.get() >= n, "deactivations: " + deactivations.get());
    }

    @Test
    void firstMessagesFromManyThreadsActivateOnce() throws Exception {
        system.registerGrain("counter", Counter::new, GrainOptions.defaults());
        Grain g = system.grain("counter", "hot");
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 500; i++) {
                    g.tell("inc");
                }
            });
            th.start();
            threads.add(th);
        }
        go.countDown();
        for (Thread th : threads) {
            th.join();
        }
        assertEquals(4000L, Await.get(g.ask("get", Await.ASK)));
        assertEquals(1, activations.get());
    }

    @Test
    void askByIdentity() throws Exception {
        system.registerGrain("counter", Counter::new, GrainOptions.defaults());
        Grain alice = system.grain("counter", "alice");
        alice.tell("inc");
        alice.tell("inc");
        assertEquals("alice#2", Await.get(alice.ask("who", Await.ASK, String.class)));
        assertEquals("bob#0", Await.get(system.grain("counter", "bob").ask("who", Await.ASK)));
        assertEquals("counter/alice", alice.identity());
        assertEquals(alice, system.grain("counter", "alice"));
        assertEquals(2, activations.get());
    }

    @Test
    void idleGrainsDeactivateAndReactivateFresh() throws Exception {
        system.registerGrain("idle", Counter::new, GrainOptions.defaults().deactivateAfter(Duration.ofMillis(30)));
        Grain g = system.grain("idle", "x");
        g.tell("inc");
        assertEquals(1L, Await.get(g.ask("get", Await.ASK)));
        awaitDeactivations(1);
        assertEquals(0L, Await.get(g.ask("get", Await.ASK)));
        assertEquals(2, activations.get());
    }

    @Test
    void supplierFactoriesAndLongLivedKinds() throws Exception {
        system.registerGrain("plain", () -> new Counter("?"), GrainOptions.defaults().longLived());
        assertEquals("?#0", Await.get(system.grain("plain", "p").ask("who", Await.ASK)));
    }

    @Test
    void aFailingFactoryFailsThatActivationOnly() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        system.registerGrain("flaky", name -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("not yet");
            }
            return new Counter(name);
        }, GrainOptions.defaults());
        assertNotNull(Await.failure(system.grain("flaky", "f").ask("get", Await.ASK)));
        assertEquals("f#0", Await.get(system.grain("flaky", "f").ask("who", Await.ASK)));
        assertEquals(2, calls.get());
    }

    @Test
    void badInput() {
        assertThrows(ActorNotFoundException.class, () -> system.grain("nokind", "x").tell("inc"));
        system.registerGrain("counter", Counter::new, GrainOptions.defaults());
        assertThrows(ActorNameTakenException.class,
                () -> system.registerGrain("counter", Counter::new, GrainOptions.defaults()));
        assertThrows(IllegalArgumentException.class,
                () -> system.registerGrain("a/b", Counter::new, GrainOptions.defaults()));
        assertThrows(IllegalArgumentException.class, () -> GrainOptions.defaults().deactivateAfter(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> system.grain("counter", null));
        assertThrows(IllegalArgumentException.class, () -> system.grain("counter", "").tell("inc"));
        assertThrows(IllegalArgumentException.class, () -> system.grain("counter", "x").ask("get", Duration.ZERO));
    }

    @Test
    void shutdownWithActiveGrainsDeactivatesThemAll() throws Exception {
        system.registerGrain("counter", Counter::new, GrainOptions.defaults());
        for (int i = 0; i < 50; i++) {
            system.grain("counter", "g" + i).tell("inc");
        }
        // Every grain answers, so all fifty are active (a tell alone may still be on its way
        // when the system closes, and then that grain never activates).
        for (int i = 0; i < 50; i++) {
            assertEquals(1L, Await.get(system.grain("counter", "g" + i).ask("get", Await.ASK)));
        }
        system.close();
        assertEquals(50, deactivations.get());
        assertThrows(SystemClosedException.class, () -> system.grain("counter", "g0").tell("inc"));
    }
}
