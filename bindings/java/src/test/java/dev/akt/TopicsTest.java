package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TopicsTest {
    ActorSystem system;

    @BeforeEach
    void start() {
        system = ActorSystem.builder("topics").workers(2).build();
    }

    @AfterEach
    void stop() {
        system.close();
    }

    private Pid recorder(List<Object> into) {
        return system.spawn((ctx, msg) -> into.add(msg));
    }

    @Test
    void everySubscriberGetsEachMessageInOrder() throws Exception {
        List<Object> a = new CopyOnWriteArrayList<>(), b = new CopyOnWriteArrayList<>();
        Pid pa = recorder(a), pb = recorder(b);
        Topic news = system.topic("news");
        assertEquals(1L, Await.get(news.subscribe(pa)));
        assertEquals(2L, Await.get(news.subscribe(pb)));
        assertEquals(2L, Await.get(news.subscribe(pa))); // twice is once
        Object shared = new Object();
        news.publish("n0");
        news.publish(shared);
        news.publish(3L);
        Await.until(() -> a.size() == 3 && b.size() == 3, "three messages each");
        assertEquals(List.of("n0", shared, 3L), a);
        assertSame(shared, b.get(1)); // Java objects reach Java actors as themselves
    }

    @Test
    void unsubscribeCountsAndPublishingToNobody() throws Exception {
        List<Object> got = new CopyOnWriteArrayList<>();
        Pid pid = recorder(got);
        Topic t = system.topic("t");
        assertEquals(0L, Await.get(t.count()));
        t.publish("nobody");
        t.subscribe(pid); // not awaited: the publish below is queued after it
        t.publish("first");
        Await.until(() -> got.size() == 1, "the first message");
        assertEquals("first", got.get(0));
        assertEquals(0L, Await.get(t.unsubscribe(pid)));
        assertEquals(0L, Await.get(t.unsubscribe(pid)));
        assertEquals(0L, Await.get(t.count()));
    }

    @Test
    void aStoppedSubscriberLeavesItsTopics() throws Exception {
        Pid pid = recorder(new CopyOnWriteArrayList<>());
        Topic x = system.topic("x"), y = system.topic("y");
        Await.get(x.subscribe(pid));
        Await.get(y.subscribe(pid));
        Await.get(system.stopGracefully(pid, Await.ASK));
        Await.until(() -> Await.getQuietly(x.count()) == 0 && Await.getQuietly(y.count()) == 0,
                "the subscriber to leave");
    }

    @Test
    void callbackSubscriptions() throws Exception {
        List<Object> got = new CopyOnWriteArrayList<>();
        Topic t = system.topic("cb");
        try (AutoCloseable sub = t.subscribe(got::add)) {
            t.publish("one");
            t.publish("two");
            Await.until(() -> got.size() == 2, "two messages");
            assertEquals(List.of("one", "two"), got);
            assertEquals(1L, Await.get(t.count()));
        }
        Await.until(() -> Await.getQuietly(t.count()) == 0, "the callback actor to leave");
    }

    @Test
    void subscribersSeeThePublisherAsSender() throws Exception {
        List<Object> senders = new CopyOnWriteArrayList<>();
        Pid s = system.spawn((ctx, msg) -> senders.add(ctx.sender()));
        Await.get(system.topic("s").subscribe(s));
        Pid p = system.spawn("pub", (ctx, msg) -> ctx.system().topic("s").publish(msg));
        p.tell("hi");
        Await.until(() -> senders.size() == 1, "one message");
        assertEquals(p, senders.get(0));
    }

    @Test
    void badArgumentsAndAClosedSystem() {
        assertThrows(NullPointerException.class, () -> system.topic(null));
        assertThrows(IllegalArgumentException.class, () -> system.topic(""));
        assertThrows(IllegalArgumentException.class, () -> system.topic("x".repeat(300)));
        assertThrows(NullPointerException.class, () -> system.topic("t").publish(null));
        assertThrows(NullPointerException.class, () -> system.topic("t").subscribe((Pid) null));
        try (ActorSystem other = ActorSystem.create("other")) {
            Pid foreign = other.spawn((ctx, msg) -> {});
            assertThrows(IllegalArgumentException.class, () -> system.topic("t").subscribe(foreign));
        }
        Topic t = system.topic("t");
        system.close();
        assertThrows(SystemClosedException.class, () -> t.publish("late"));
    }
}
