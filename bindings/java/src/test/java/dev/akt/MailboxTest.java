package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MailboxTest {
    ActorSystem system;

    @BeforeEach
    void start() {
        system = ActorSystem.builder("mb").workers(2).build();
    }

    @AfterEach
    void stop() {
        system.close();
    }

    /** Blocks in "hold" until released, records the rest. */
    static final class Slow implements Actor {
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<Object> seen = new CopyOnWriteArrayList<>();

        @Override
        public void receive(Context ctx, Object msg) throws Exception {
            if ("hold".equals(msg)) {
                held.countDown();
                assertTrue(release.await(10, TimeUnit.SECONDS));
            } else {
                seen.add(msg);
            }
        }
    }

    Pid heldFull(Slow a, Mailbox mailbox, int n) throws InterruptedException {
        Pid pid = system.spawn(null, Props.of(a).withMailbox(mailbox));
        pid.tell("hold");
        assertTrue(a.held.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < n; i++) pid.tell(i);
        return pid;
    }

    @Test
    void aFullFailMailboxThrowsMailboxFullException() throws Exception {
        Slow a = new Slow();
        Pid pid = heldFull(a, Mailbox.bounded(4, Mailbox.WhenFull.FAIL), 4);
        MailboxFullException e = assertThrows(MailboxFullException.class, () -> pid.tell("refused"));
        assertEquals(Errors.code("EFULL"), e.code());
        a.release.countDown();
        Await.until(() -> a.seen.size() == 4, "the four accepted messages");
        pid.tell("later");
        Await.until(() -> a.seen.equals(List.of(0, 1, 2, 3, "later")), "room again");
    }

    @Test
    void aFullDropMailboxSendsToDeadLetters() throws Exception {
        List<String> reasons = new CopyOnWriteArrayList<>();
        try (Subscription sub = system.deadLetters(ev -> reasons.add(ev.reason()))) {
            Slow a = new Slow();
            Pid pid = heldFull(a, Mailbox.bounded(2, Mailbox.WhenFull.DROP), 2);
            pid.tell("dropped");
            Await.until(() -> reasons.equals(List.of("mailbox full")), "the dead letter");
            a.release.countDown();
            Await.until(() -> a.seen.equals(List.of(0, 1)), "the kept messages");
            assertNotNull(sub);
        }
    }

    @Test
    void aFullBlockMailboxTimesOutOutsideActors() throws Exception {
        Slow a = new Slow();
        Pid pid = heldFull(a, Mailbox.bounded(1, Mailbox.WhenFull.BLOCK, Duration.ofMillis(50)), 1);
        long t0 = System.nanoTime();
        assertThrows(AskTimeoutException.class, () -> pid.tell("late"));
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(45).toNanos());
        a.release.countDown();
        Await.until(() -> a.seen.equals(List.of(0)), "the kept message");
    }

    @Test
    void aFairMailboxServesSendersRoundRobin() throws Exception {
        Slow a = new Slow();
        Pid target = system.spawn(null, Props.of(a).withMailbox(Mailbox.fair()));
        target.tell("hold");
        assertTrue(a.held.await(10, TimeUnit.SECONDS));
        for (String tag : List.of("A", "B", "C")) {
            Pid sender = system.spawn((ctx, msg) -> {
                for (int i = 1; i <= 3; i++) ctx.tell(target, tag + i);
                ctx.respond("done");
            });
            assertEquals("done", Await.get(sender.ask("go", Await.ASK)));
        }
        a.release.countDown();
        Await.until(() -> a.seen.size() == 9, "nine messages");
        assertEquals(List.of("A1", "B1", "C1", "A2", "B2", "C2", "A3", "B3", "C3"), a.seen);
    }

    @Test
    void badMailboxesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Mailbox.bounded(0, Mailbox.WhenFull.FAIL));
        assertThrows(IllegalArgumentException.class, () -> Mailbox.bounded(4, Mailbox.WhenFull.BLOCK));
        assertThrows(IllegalArgumentException.class,
                () -> Mailbox.bounded(4, Mailbox.WhenFull.BLOCK, Duration.ZERO));
        assertThrows(NullPointerException.class, () -> Props.of(new Slow()).withMailbox(null));
    }

    /** [priority, tag] messages sort by priority (only they are compared: "hold" is alone). */
    static int byPriority(Object a, Object b) {
        return Integer.compare((Integer) ((List<?>) a).get(0), (Integer) ((List<?>) b).get(0));
    }

    @Test
    void aPriorityMailboxHandsOutTheLowestFirstAndEqualOnesInArrivalOrder() throws Exception {
        Slow a = new Slow();
        Pid pid = system.spawn(null, Props.of(a).withMailbox(Mailbox.priority(MailboxTest::byPriority)));
        pid.tell("hold");
        assertTrue(a.held.await(10, TimeUnit.SECONDS));
        int[][] sent = {{3, 0}, {1, 1}, {2, 2}, {1, 3}, {3, 4}, {1, 5}};
        for (int[] m : sent) pid.tell(List.of(m[0], m[1]));
        a.release.countDown();
        Await.until(() -> a.seen.size() == 6, "six messages");
        assertEquals(List.of(List.of(1, 1), List.of(1, 3), List.of(1, 5), List.of(2, 2), List.of(3, 0),
                List.of(3, 4)), a.seen);
    }

    @Test
    void theComparatorRunsOnAnAttachedThreadOnlyForItsActor() throws Exception {
        Slow a = new Slow();
        List<String> threads = new CopyOnWriteArrayList<>();
        Pid pid = system.spawn(null, Props.of(a).withMailbox(Mailbox.priority((x, y) -> {
            threads.add(Thread.currentThread().getName());
            return Integer.compare(x instanceof Integer i ? i : Integer.MIN_VALUE,
                    y instanceof Integer j ? j : Integer.MIN_VALUE);
        })));
        pid.tell("hold"); // a String: first
        pid.tell(-1);
        assertTrue(a.held.await(10, TimeUnit.SECONDS));
        for (int i : new int[] {5, 2, 9, 2}) pid.tell(i);
        a.release.countDown();
        Await.until(() -> a.seen.size() == 5, "five messages");
        assertEquals(List.of(-1, 2, 2, 5, 9), a.seen);
        assertFalse(threads.isEmpty());
        assertFalse(threads.contains(Thread.currentThread().getName()));
    }

    /** Records what the system logs. */
    static final class Recorder implements System.Logger {
        final List<String> texts = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();

        @Override
        public String getName() {
            return "recorder";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, java.util.ResourceBundle bundle, String msg, Throwable thrown) {
            texts.add(msg);
            errors.add(thrown);
        }

        @Override
        public void log(Level level, java.util.ResourceBundle bundle, String format, Object... params) {
            texts.add(format);
        }
    }

    @Test
    void aComparatorThatThrowsIsLoggedAndCountsAsEqualSoNothingIsLost() throws Exception {
        Recorder log = new Recorder();
        try (ActorSystem sys = ActorSystem.builder("mbthrow").workers(2).logger(log).build()) {
            Slow a = new Slow();
            Pid pid = sys.spawn("picky", Props.of(a).withMailbox(Mailbox.priority((x, y) -> {
                if ("bad".equals(x) || "bad".equals(y)) throw new IllegalStateException("cannot rank");
                return Integer.compare(((String) x).length(), ((String) y).length());
            })));
            pid.tell("hold");
            assertTrue(a.held.await(10, TimeUnit.SECONDS));
            for (String m : List.of("ccc", "bad", "a", "bb")) pid.tell(m);
            a.release.countDown();
            Await.until(() -> a.seen.size() == 4, "four messages");
            assertEquals(List.of("a", "bad", "bb", "ccc"), a.seen.stream().map(String.class::cast).sorted().toList());
            assertEquals(List.of("a", "bb", "ccc"), a.seen.stream().filter(m -> !"bad".equals(m)).toList());
            pid.tell("after");
            Await.until(() -> a.seen.size() == 5, "the actor carries on");
            assertTrue(log.texts.stream().anyMatch(t -> t.contains("mailbox compare") && t.contains("cannot rank")),
                    log.texts.toString());
            assertTrue(log.errors.stream().anyMatch(e -> e instanceof IllegalStateException));
        }
    }

    @Test
    void aBoundedPriorityMailboxRefusesWhenFullAndStillSorts() throws Exception {
        Slow a = new Slow();
        Pid pid = system.spawn(null, Props.of(a).withMailbox(
                Mailbox.priority(MailboxTest::byPriority, 3, Mailbox.WhenFull.FAIL)));
        pid.tell("hold");
        assertTrue(a.held.await(10, TimeUnit.SECONDS));
        pid.tell(List.of(5, 0));
        pid.tell(List.of(1, 1));
        pid.tell(List.of(3, 2));
        assertThrows(MailboxFullException.class, () -> pid.tell(List.of(0, 3)));
        a.release.countDown();
        Await.until(() -> a.seen.size() == 3, "three messages");
        assertEquals(List.of(List.of(1, 1), List.of(3, 2), List.of(5, 0)), a.seen);
    }

    @Test
    void aPriorityMailboxNeedsAComparator() {
        assertThrows(IllegalArgumentException.class,
                () -> Mailbox.priority((x, y) -> 0, 0, Mailbox.WhenFull.FAIL));
        assertThrows(IllegalArgumentException.class,
                () -> Mailbox.priority((x, y) -> 0, 4, Mailbox.WhenFull.BLOCK));
        assertThrows(NullPointerException.class, () -> Mailbox.priority(null, 4, Mailbox.WhenFull.DROP));
        assertThrows(NullPointerException.class, () -> Mailbox.priority(null));
        assertEquals("Mailbox[priority, capacity=0, whenFull=FAIL]", Mailbox.priority((x, y) -> 0).toString());
    }
}
