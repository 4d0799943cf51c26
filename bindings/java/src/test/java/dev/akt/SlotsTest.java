package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Where a message's Java object waits (native/aktj_slots.c): slots owned by the sending
 *  thread, given back by whoever releases the message, and a global reference beyond them. */
class SlotsTest {
    /** One sender's message: which sender, its sequence number, and a payload of its own. */
    record Numbered(int sender, int seq, int[] payload) {}

    /** Checks every sender's messages arrive in order, each with the payload made for it. */
    static final class Checker implements Actor {
        final int[] next;
        final AtomicReference<String> error = new AtomicReference<>();
        final CountDownLatch done;

        Checker(int senders, int total) {
            next = new int[senders];
            done = new CountDownLatch(total);
        }

        @Override
        public void receive(Context ctx, Object msg) {
            Numbered n = (Numbered) msg;
            if (n.seq() != next[n.sender()] || n.payload()[0] != n.sender() * 1_000_003 + n.seq()) {
                error.compareAndSet(null, "sender " + n.sender() + ": got seq " + n.seq()
                        + " payload " + n.payload()[0] + ", expected seq " + next[n.sender()]);
            }
            next[n.sender()] = n.seq() + 1;
            done.countDown();
        }
    }

    private static Thread started(Runnable body) {
        Thread t = new Thread(body);
        t.start();
        return t;
    }

    private static Numbered numbered(int sender, int seq) {
        return new Numbered(sender, seq, new int[] {sender * 1_000_003 + seq});
    }

    @Test
    void concurrentSendersGetTheirOwnObjectsBackInOrder() throws Exception {
        int senders = 4, each = 50_000;
        long base = AktNativeJNI.aktj_stat_live_objects();
        try (ActorSystem system = ActorSystem.builder("slots-order").workers(2).build()) {
            Checker checker = new Checker(senders, senders * each);
            Pid pid = system.spawn("checker", checker);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < senders; t++) {
                int me = t;
                threads.add(started(() -> {
                    for (int i = 0; i < each; i++) {
                        pid.tell(numbered(me, i));
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertTrue(checker.done.await(60, java.util.concurrent.TimeUnit.SECONDS), "all delivered");
            assertNull(checker.error.get());
        }
        Await.until(() -> AktNativeJNI.aktj_stat_live_objects() <= base, "every slot given back");
    }

    @Test
    void aThreadThatEndsHandsItsRecordToTheNext() throws Exception {
        try (ActorSystem system = ActorSystem.builder("slots-threads").workers(2).build()) {
            Pid sink = system.spawn("sink", (ctx, msg) -> {
                if ("sync".equals(msg)) {
                    ctx.respond("ok");
                }
            });
            // Warm: this test's own thread and the workers have records before counting.
            sink.tell(new Object());
            Await.get(sink.ask("sync", Await.ASK));
            long records = AktNativeJNI.aktj_stat_slot_records();
            for (int t = 0; t < 40; t++) {
                started(() -> {
                    for (int i = 0; i < 300; i++) { // more than one chunk: the record grows
                        sink.tell(new int[] {i});
                    }
                }).join();
                // join returns once the Java thread is over; its native end (where the
                // record is parked) follows a moment later.
                Thread.sleep(2);
            }
            Await.get(sink.ask("sync", Await.ASK));
            // Each ended thread parked its record and the next thread adopted it: a few new
            // records at most (a worker or a JVM thread may make one, a thread may start
            // before the last one's native end on a loaded machine), not forty.
            assertTrue(AktNativeJNI.aktj_stat_slot_records() - records <= 10,
                    "records made: " + (AktNativeJNI.aktj_stat_slot_records() - records));
        }
    }

    @Test
    void beyondTheBoundMessagesFallBackToGlobalReferencesAndAllArrive() throws Exception {
        long base = AktNativeJNI.aktj_stat_live_objects();
        List<WeakReference<Object>> sent = new ArrayList<>();
        long before = AktNativeJNI.aktj_test_slots_max(300); // one chunk of 256, no second
        try (ActorSystem system = ActorSystem.builder("slots-fallback").workers(2).build()) {
            Checker checker = new Checker(1, 2_000);
            Pid stasher = system.spawn("stasher", new Actor() {
                boolean open;

                @Override
                public void receive(Context ctx, Object msg) {
                    if (msg instanceof Go) {
                        open = true;
                    } else if ("go".equals(msg)) {
                        ctx.unstashAll();
                    } else if (!open) {
                        ctx.stash(); // hold every message: all 2,000 in flight at once
                    } else {
                        checker.receive(ctx, msg);
                    }
                }
            });
            Thread th = started(() -> {
                for (int i = 0; i < 2_000; i++) {
                    Numbered n = numbered(0, i);
                    if (i % 250 == 0) {
                        sent.add(new WeakReference<>(n));
                    }
                    stasher.tell(n);
                }
            });
            th.join();
            assertTrue(AktNativeJNI.aktj_stat_live_objects() - base >= 2_000,
                    "stashed messages hold their objects, in slots and beyond them");
            stasher.tell(new Go());
            stasher.tell("go");
            assertTrue(checker.done.await(60, java.util.concurrent.TimeUnit.SECONDS), "all delivered");
            assertNull(checker.error.get());
        } finally {
            AktNativeJNI.aktj_test_slots_max(before);
        }
        Await.until(() -> AktNativeJNI.aktj_stat_live_objects() <= base, "slots and references given back");
        Await.until(() -> {
            System.gc();
            return sent.stream().allMatch(r -> r.get() == null);
        }, "the objects to be collected once their messages went");
    }

    /** Marks the end of stashing (a message that is not stashed itself). */
    record Go() {}
}
