package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventsTest {
    ActorSystem system;

    @BeforeEach
    void start() {
        system = ActorSystem.builder("events").workers(2).build();
    }

    @AfterEach
    void stop() {
        system.close();
    }

    @Test
    void lifecycleEventsNameTheActor() throws Exception {
        List<Event> events = new CopyOnWriteArrayList<>();
        try (Subscription s = system.subscribe(
                EnumSet.of(EventKind.ACTOR_STARTED, EventKind.ACTOR_STOPPED), events::add)) {
            Pid pid = system.spawn("observed", new Counter());
            Await.get(system.stopGracefully(pid, Await.ASK));
            Await.until(() -> events.size() >= 2, "two events");
            assertEquals(EventKind.ACTOR_STARTED, events.get(0).kind());
            assertEquals(EventKind.ACTOR_STOPPED, events.get(1).kind());
            assertEquals(pid, events.get(0).pid());
            assertEquals("akt://events/user/observed", events.get(0).path());
        }
    }

    @Test
    void unhandledAndFailedEventsCarryTheMessageAndReason() throws Exception {
        List<Event> events = new CopyOnWriteArrayList<>();
        try (Subscription s = system.subscribe(
                EnumSet.of(EventKind.UNHANDLED, EventKind.ACTOR_FAILED), events::add)) {
            Pid pid = system.spawn("picky", (ctx, msg) -> {
                if ("fail".equals(msg)) {
                    throw new UnsupportedOperationException("no way");
                }
                ctx.unhandled();
            });
            Object odd = new Object();
            pid.tell(odd);
            pid.tell("fail");
            Await.until(() -> events.size() >= 2, "two events");
            Event unhandled = events.get(0);
            assertEquals(EventKind.UNHANDLED, unhandled.kind());
            assertSame(odd, unhandled.message());
            assertNull(unhandled.sender());
            Event failed = events.get(1);
            assertEquals(EventKind.ACTOR_FAILED, failed.kind());
            assertEquals("java.lang.UnsupportedOperationException: no way", failed.reason());
        }
    }

    @Test
    void deadLettersGetTheQueuedMessagesOfAStoppedActor() throws Exception {
        List<Object> dead = new CopyOnWriteArrayList<>();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Subscription s = system.deadLetters(e -> dead.add(e.message()))) {
            Pid pid = system.spawn("slow", (ctx, msg) -> {
                entered.countDown();
                release.await(10, TimeUnit.SECONDS);
            });
            pid.tell("first");
            assertTrue(entered.await(10, TimeUnit.SECONDS));
            pid.tell("queued-1");
            pid.tell(BytesMessage.of("conf.Bytes", "queued-2"));
            pid.stop();
            release.countDown();
            Await.until(() -> dead.size() >= 2, "two dead letters");
            assertEquals("queued-1", dead.get(0));
            assertEquals(BytesMessage.of("conf.Bytes", "queued-2"), dead.get(1));
        }
    }

    @Test
    void closedSubscriptionsHearNothingMore() throws Exception {
        List<Event> events = new CopyOnWriteArrayList<>();
        Subscription s = system.subscribe(EnumSet.of(EventKind.ACTOR_STARTED), events::add);
        system.spawn("one", new Counter());
        Await.until(() -> events.size() == 1, "one event");
        s.close();
        s.close(); // idempotent
        Pid two = system.spawn("two", new Counter());
        Await.get(two.ask("get", Await.ASK)); // started and running
        assertEquals(1, events.size());
    }

    @Test
    void aThrowingListenerDoesNotHurtTheSystem() throws Exception {
        CompletableFuture<Event> after = new CompletableFuture<>();
        LoggingTest.Capture log = new LoggingTest.Capture();
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger(ActorSystem.LOGGER_NAME);
        jul.addHandler(log);
        try (Subscription bad = system.subscribe(EnumSet.of(EventKind.ACTOR_STARTED), e -> {
            throw new RuntimeException("listener bug");
        }); Subscription good = system.subscribe(EnumSet.of(EventKind.ACTOR_STARTED), after::complete)) {
            Pid pid = system.spawn("fine", new Counter());
            assertEquals(pid, Await.get(after).pid());
            assertEquals(0, Await.get(pid.ask("get", Await.ASK)));
            // The listener's bug is reported, not swallowed.
            Await.until(() -> !log.about("an event listener of ActorSystem[events] threw: "
                    + "java.lang.RuntimeException: listener bug").isEmpty(), "the report");
        } finally {
            jul.removeHandler(log);
        }
    }

    @Test
    void cancellingAnAskDeadLettersTheLateReply() throws Exception {
        List<Event> dead = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        try (Subscription s = system.deadLetters(dead::add)) {
            Pid slow = system.spawn("slow-echo", (ctx, msg) -> {
                entered.countDown();
                release.await(10, TimeUnit.SECONDS);
                ctx.respond("late:" + msg);
            });
            CompletableFuture<Object> f = slow.ask("q", Await.ASK);
            // Cancelled once receive has it: an ask cancelled before would be skipped.
            assertTrue(entered.await(10, TimeUnit.SECONDS));
            assertTrue(f.cancel(true));
            assertTrue(f.isCancelled());
            Throwable t = assertThrows(java.util.concurrent.CancellationException.class, f::join);
            assertInstanceOf(AktException.class, t.getCause());
            assertEquals("AKT_ECANCELED", ((AktException) t.getCause()).errorName());
            release.countDown();
            Await.until(() -> !dead.isEmpty(), "the late reply's dead letter");
            assertEquals("late:q", dead.get(0).message());
            assertFalse(f.cancel(true) && !f.isCancelled());
        }
    }

    @Test
    void aCompletedAskCannotBeCancelled() throws Exception {
        Pid echo = system.spawn("quick-echo", (ctx, msg) -> ctx.respond(msg));
        CompletableFuture<Object> f = echo.ask("x", Await.ASK);
        assertEquals("x", Await.get(f));
        assertFalse(f.cancel(true));
        assertEquals("x", f.join());
    }
}
