package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchedulesTest {
    ActorSystem system;

    @BeforeEach
    void start() {
        system = ActorSystem.builder("sched").workers(2).build();
    }

    @AfterEach
    void stop() {
        system.close();
    }

    /** Counts "tick"s and keeps their senders; "get" answers the count. */
    static final class Ticks implements Actor {
        final AtomicInteger n = new AtomicInteger();
        final List<Pid> senders = new CopyOnWriteArrayList<>();
        final String cancelRef;

        Ticks(String cancelRef) {
            this.cancelRef = cancelRef;
        }

        @Override
        public void receive(Context ctx, Object msg) {
            if ("get".equals(msg)) {
                ctx.respond(n.get());
                return;
            }
            senders.add(ctx.sender());
            if (n.incrementAndGet() == 1 && cancelRef != null) {
                ctx.system().cancelSchedule(cancelRef);
            }
        }
    }

    static int count(Pid pid) throws Exception {
        return (Integer) Await.get(pid.ask("get", Await.ASK));
    }

    @Test
    void onceFiresOnceWithAGeneratedReference() throws Exception {
        Pid pid = system.spawn(new Ticks(null));
        String ref = system.scheduleOnce(pid, "tick", Duration.ofMillis(5));
        assertTrue(ref.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), ref);
        Await.until(() -> system.schedules().isEmpty(), "the schedule to end");
        assertEquals(1, count(pid));
        Thread.sleep(20);
        assertEquals(1, count(pid));
        assertThrows(ActorNotFoundException.class, () -> system.cancelSchedule(ref));
    }

    @Test
    void everyWithASenderIsListedUntilCancelled() throws Exception {
        Ticks t = new Ticks(null);
        Pid pid = system.spawn(t);
        Pid other = system.spawn(new Ticks(null));
        String ref = system.scheduleEvery(pid, "tick", Duration.ZERO, Duration.ofMillis(5),
                ScheduleOptions.defaults().withReference("every").withSender(other));
        assertEquals("every", ref);
        List<ScheduleInfo> list = system.schedules();
        assertEquals(List.of(new ScheduleInfo("every", pid, other, ScheduleInfo.Kind.EVERY, false,
                Duration.ofMillis(5))), list);
        Await.until(() -> t.n.get() >= 3, "three ticks");
        system.cancelSchedule("every");
        int n = count(pid);
        Thread.sleep(40);
        assertEquals(n, count(pid));
        assertEquals(other, t.senders.get(0));
        assertTrue(system.schedules().isEmpty());
    }

    @Test
    void badArgumentsAndDuplicateReferences() {
        Pid pid = system.spawn(new Ticks(null));
        ScheduleOptions dup = ScheduleOptions.defaults().withReference("dup");
        system.scheduleOnce(pid, "tick", Duration.ofHours(1), dup);
        ScheduleExistsException ex = assertThrows(ScheduleExistsException.class,
                () -> system.scheduleOnce(pid, "tick", Duration.ZERO, dup));
        assertEquals("dup", ex.reference());
        assertEquals("AKT_EEXIST", ex.codeName());
        assertThrows(ActorNameTakenException.class, () -> system.scheduleOnce(pid, "tick", Duration.ZERO, dup));
        assertThrows(IllegalArgumentException.class, () -> system.scheduleOnce(pid, "tick", Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> system.scheduleEvery(pid, "tick", Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> system.scheduleOnce(pid, "tick", Duration.ZERO, ScheduleOptions.defaults().withReference("")));
        assertThrows(NullPointerException.class, () -> system.scheduleOnce(pid, null, Duration.ZERO));
        ScheduleNotFoundException nf = assertThrows(ScheduleNotFoundException.class,
                () -> system.pauseSchedule("nope"));
        assertEquals("nope", nf.reference());
        assertEquals("AKT_ENOTFOUND", nf.codeName());
        assertTrue(nf.getMessage().contains("'nope'"), nf.getMessage());
        assertThrows(ScheduleNotFoundException.class, () -> system.resumeSchedule("nope"));
        assertThrows(ActorNotFoundException.class, () -> system.cancelSchedule("nope")); // its base
        system.cancelSchedule("dup");
        assertTrue(system.schedules().isEmpty());
    }

    @Test
    void pauseKeepsTheReferenceAndResumeFiresWithoutABurst() throws Exception {
        Ticks t = new Ticks(null);
        Pid pid = system.spawn(t);
        system.scheduleEvery(pid, "tick", Duration.ZERO, Duration.ofMillis(5),
                ScheduleOptions.defaults().withReference("p"));
        Await.until(() -> t.n.get() >= 2, "two ticks");
        system.pauseSchedule("p");
        int n = count(pid);
        assertTrue(system.schedules().get(0).paused());
        Thread.sleep(100);
        assertEquals(n, count(pid));
        system.resumeSchedule("p");
        Await.until(() -> t.n.get() >= n + 1, "a tick after resume");
        assertTrue(count(pid) <= n + 6, "no burst of the missed ticks");
        system.cancelSchedule("p");
    }

    @Test
    void cancelInsideReceiveAndTheEndOfAStoppedActorsSchedules() throws Exception {
        Ticks t = new Ticks("mine");
        Pid pid = system.spawn(t);
        // The interval leaves a loaded machine room to run the first tick's cancel before a
        // second tick is due; a cancel that did nothing shows as a second tick by 400 ms.
        system.scheduleEvery(pid, "tick", Duration.ZERO, Duration.ofMillis(250),
                ScheduleOptions.defaults().withReference("mine"));
        Await.until(() -> t.n.get() == 1, "the first tick");
        Thread.sleep(400);
        assertEquals(1, count(pid));

        List<Event> dead = new CopyOnWriteArrayList<>();
        try (Subscription s = system.deadLetters(dead::add)) {
            Pid victim = system.spawn(new Ticks(null));
            system.scheduleEvery(victim, "tick", Duration.ofHours(1), Duration.ofHours(1),
                    ScheduleOptions.defaults().withReference("a"));
            system.scheduleOnce(victim, "tick", Duration.ofHours(1), ScheduleOptions.defaults().withReference("b"));
            system.pauseSchedule("b");
            assertEquals(2, system.schedules().size());
            Await.get(system.stopGracefully(victim, Await.ASK));
            Await.until(() -> system.schedules().isEmpty(), "the victim's schedules to end");
            system.scheduleOnce(victim, "late", Duration.ofMillis(1));
            Await.until(() -> dead.size() == 1, "a dead letter");
            assertEquals("late", dead.get(0).message());
            assertEquals(victim, dead.get(0).pid());
        }
    }

    @Test
    void cancelFromThreadsRacingTheFire() throws Exception {
        Ticks t = new Ticks(null);
        Pid pid = system.spawn(t);
        AtomicInteger fired = new AtomicInteger();
        Thread[] threads = new Thread[3];
        for (int k = 0; k < threads.length; k++) {
            threads[k] = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    String ref = system.scheduleOnce(pid, "tick", Duration.ofNanos((i % 3) * 20_000));
                    try {
                        system.cancelSchedule(ref);
                    } catch (ActorNotFoundException e) {
                        fired.incrementAndGet();
                    }
                }
            });
            threads[k].start();
        }
        for (Thread th : threads) {
            th.join();
        }
        Await.until(() -> t.n.get() == fired.get(), "every fire that won");
        Thread.sleep(20);
        assertEquals(fired.get(), count(pid));
    }

    @Test
    void cronEverySecondIsListedPausedResumedAndCancelled() throws Exception {
        Ticks t = new Ticks(null);
        Pid pid = system.spawn(t);
        Pid other = system.spawn(new Ticks(null));
        ScheduleOptions o = ScheduleOptions.defaults().withReference("cron").withSender(other);
        assertEquals("cron", system.scheduleCron(pid, "tick", "* * * * * ?", true, o));
        List<ScheduleInfo> list = system.schedules();
        assertEquals(1, list.size());
        ScheduleInfo info = list.get(0);
        assertEquals(ScheduleInfo.Kind.CRON, info.kind());
        assertEquals("* * * * * ?", info.expression());
        assertEquals("cron", info.reference());
        assertTrue(info.utc());
        assertNull(info.interval());
        Await.until(() -> t.n.get() >= 2, "two fires");
        assertEquals(other, t.senders.get(0));
        system.pauseSchedule("cron");
        int n = count(pid);
        assertTrue(system.schedules().get(0).paused());
        Thread.sleep(1500); // a tick missed
        assertEquals(n, count(pid));
        system.resumeSchedule("cron");
        Await.until(() -> t.n.get() >= n + 1, "a fire after resume");
        system.cancelSchedule("cron");
        int m = count(pid);
        Thread.sleep(1200);
        assertEquals(m, count(pid));
        assertTrue(system.schedules().isEmpty());
    }

    @Test
    void cronErrorsNameTheColumn() throws Exception {
        Pid pid = system.spawn(new Ticks(null));
        CronSyntaxException e = assertThrows(CronSyntaxException.class,
                () -> system.scheduleCron(pid, "tick", "0 0 25 * * ?"));
        assertEquals(5, e.column());
        assertThrows(ActorNotFoundException.class, () -> system.scheduleCron(pid, "tick", "0 0 0 1 1 ? 1999"));
        String ref = system.scheduleCron(pid, "tick", "0 0 0 1 1 ?");
        assertEquals(36, ref.length());
        ScheduleInfo info = system.schedules().get(0);
        assertEquals(ref, info.reference());
        assertFalse(info.utc());
        assertThrows(ActorNameTakenException.class, () -> system.scheduleCron(pid, "tick", "* * * * * ?", false,
                ScheduleOptions.defaults().withReference(ref)));
        ScheduleOptions spaced = ScheduleOptions.defaults().withReference("with a space");
        system.scheduleCron(pid, "tick", "0 0 0 1 1 ?", false, spaced);
        assertEquals("with a space", system.schedules().get(1).reference());
        assertEquals("0 0 0 1 1 ?", system.schedules().get(1).expression());
        system.cancelSchedule(ref);
        system.cancelSchedule("with a space");
    }
}
