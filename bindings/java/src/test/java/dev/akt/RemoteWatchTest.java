package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Remote watch, stop, poison, spawn by kind name and flow control: two systems of this
 *  JVM over 127.0.0.1. */
class RemoteWatchTest {
    static final Duration LONG = Duration.ofSeconds(30);

    static String errorOf(Throwable t) {
        while (t != null && !(t instanceof AktException)) t = t.getCause();
        assertNotNull(t, "an AktException");
        return ((AktException) t).errorName();
    }

    static void until(BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(5);
        }
    }

    static boolean gone(ActorSystem s, String path) {
        try {
            s.lookup(path);
            return false;
        } catch (ActorNotFoundException e) {
            return true;
        }
    }

    /** Watches each pid it is told; keeps each Terminated's pid. */
    static final class Watcher implements Actor {
        final List<Pid> gone = new CopyOnWriteArrayList<>();

        @Override
        public void receive(Context ctx, Object msg) {
            if (msg instanceof Terminated t) {
                gone.add(t.pid());
            } else if (msg instanceof Pid p) {
                ctx.watch(p);
                ctx.respond("ok");
            }
        }
    }

    @Test
    void remoteStopAndPoisonSendTerminatedToWatchers() throws Exception {
        try (ActorSystem a = ActorSystem.builder("javaalpha").workers(2).build();
                ActorSystem b = ActorSystem.builder("javabeta").workers(2).build()) {
            String addrB = b.remoteStart(null, 0);
            a.remoteStart(null, 0);
            List<Object> seen = new CopyOnWriteArrayList<>();
            b.spawn("target", (ctx, msg) -> {});
            b.spawn("sink", (ctx, msg) -> seen.add(msg));
            Pid target = a.remoteLookup(addrB + "/user/target");
            Pid sink = a.remoteLookup(addrB + "/user/sink");
            Watcher w = new Watcher();
            Pid wp = a.spawn("watcher", w);
            assertEquals("ok", Await.get(wp.ask(target, LONG)));
            assertEquals("ok", Await.get(wp.ask(sink, LONG)));
            target.stop();
            until(() -> w.gone.size() == 1);
            assertEquals(target, w.gone.get(0));
            until(() -> gone(b, "/user/target"));
            for (int i = 0; i < 100; i++) sink.tell("n" + i);
            sink.poison();
            until(() -> w.gone.size() == 2);
            assertEquals(sink, w.gone.get(1));
            assertEquals(100, seen.size()); // every tell before the pill
        }
    }

    // ack begin:
    @Test
    void gracefulStopOfARemotePidAnswersOnceItStopped() throws Exception {
        try (ActorSystem a = ActorSystem.builder("javaalpha").workers(2).build();
                ActorSystem b = ActorSystem.builder("javabeta").workers(2).build()) {
            String addrB = b.remoteStart(null, 0);
            a.remoteStart(null, 0);
            List<Object> seen = new CopyOnWriteArrayList<>();
            b.spawn("sink", (ctx, msg) -> seen.add(msg));
            Pid sink = a.remoteLookup(addrB + "/user/sink");
            Watcher w = new Watcher();
            Pid wp = a.spawn("watcher", w);
            assertEquals("ok", Await.get(wp.ask(sink, LONG)));
            for (int i = 0; i < 100; i++) sink.tell("n" + i);
            Await.get(sink.stopGracefully(Duration.ofSeconds(30)));
            assertEquals(100, seen.size()); // every tell before the stop, then the answer
            until(() -> gone(b, "/user/sink"));
            until(() -> w.gone.size() == 1);
            assertEquals(sink, w.gone.get(0));
        }
    }
    // ack end

    @Test
    void aLostNodeTerminatesItsWatchedPids() throws Exception {
        try (ActorSystem a = ActorSystem.builder("javaalpha").workers(2).build()) {
            ActorSystem b = ActorSystem.builder("javabeta").workers(2).build();
            String addrB = b.remoteStart(null, 0);
            a.remoteStart(null, 0);
            b.spawn("x", (ctx, msg) -> ctx.respond(msg));
            Pid x = a.remoteLookup(addrB + "/user/x");
            Watcher w = new Watcher();
            Pid wp = a.spawn("watcher", w);
            assertEquals("ok", Await.get(wp.ask(x, LONG)));
            Await.get(b.shutdown());
            b.close();
            until(() -> w.gone.size() == 1);
            assertEquals(x, w.gone.get(0));
        }
    }

    static final class Counter implements Actor {
        private final String name;
        private long n;

        Counter(String name) {
            this.name = name;
        }

        @Override
        public void receive(Context ctx, Object msg) {
            if ("get".equals(msg)) ctx.respond(name + ":" + n);
            else if (msg instanceof Long k) n += k;
        }
    }

    @Test
    void remoteSpawnByKindNameAndItsErrors() throws Exception {
        try (ActorSystem a = ActorSystem.builder("javaalpha").workers(2).build();
                ActorSystem b = ActorSystem.builder("javabeta").workers(2).build()) {
            String addrB = b.remoteStart(null, 0);
            a.remoteStart(null, 0);
            b.registerGrain("counter", Counter::new, GrainOptions.defaults().longLived());
            Pid c = a.remoteSpawn(addrB, "counter", "c1");
            assertEquals(addrB + "/user/c1", c.path());
            c.tell(5L);
            assertEquals("c1:5", Await.get(c.ask("get", LONG)));
            assertThrows(ActorNameTakenException.class, () -> a.remoteSpawn(addrB, "counter", "c1"));
            assertThrows(ActorNotFoundException.class, () -> a.remoteSpawn(addrB, "nosuch", "c2"));
            assertEquals("AKT_EINVAL", errorOf(assertThrows(RuntimeException.class,
                    () -> a.remoteSpawn(addrB, "counter", "a/b"))));
            assertEquals("AKT_EINVAL", errorOf(assertThrows(RuntimeException.class,
                    () -> a.remoteSpawn("not an address", "counter", "c3"))));
            assertThrows(NullPointerException.class, () -> a.remoteSpawn(addrB, null, "c3"));
            assertThrows(IllegalArgumentException.class,
                    () -> a.remoteSpawn(addrB, "counter", "c3", Duration.ZERO));
        }
    }

    @Test
    void flowControlRefusesBeyondTheWindow() throws Exception {
        try (ActorSystem a = ActorSystem.builder("javaalpha").workers(2).build();
                ActorSystem b = ActorSystem.builder("javabeta").workers(2).build()) {
            String addrB = b.remoteStart(null, 0);
            a.remoteStart(null, 0, null, 0, 32);
            CountDownLatch gate = new CountDownLatch(1);
            List<Object> seen = new CopyOnWriteArrayList<>();
            b.spawn("slow", (ctx, msg) -> {
                if (seen.isEmpty()) assertTrue(gate.await(10, TimeUnit.SECONDS));
                seen.add(msg);
            });
            Pid slow = a.remoteLookup(addrB + "/user/slow");
            int sent = 0;
            try {
                for (;;) {
                    slow.tell((long) sent);
                    sent++;
                }
            } catch (MailboxFullException e) {
                // the window is used up: the message stayed here
            }
            assertEquals(32, sent);
            gate.countDown();
            long deadline = System.nanoTime() + LONG.toNanos();
            while (sent < 500) {
                assertTrue(System.nanoTime() < deadline);
                try {
                    slow.tell((long) sent);
                    sent++;
                } catch (MailboxFullException e) {
                    Thread.sleep(1);
                }
            }
            until(() -> seen.size() == 500);
            for (int i = 0; i < 500; i++) assertEquals((long) i, seen.get(i));
            assertEquals("AKT_EINVAL", errorOf(assertThrows(RuntimeException.class,
                    () -> ActorSystem.builder("javagamma").workers(1).build()
                            .remoteStart(null, 0, null, 0, 1 << 30))));
        }
    }
}
