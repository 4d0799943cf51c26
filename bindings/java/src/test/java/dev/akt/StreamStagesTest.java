package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tick source: paced by the system's timer, dropping what a slow consumer cannot take. */
class StreamStagesTest {
    ActorSystem system;

    @BeforeEach
    void start() {
        system = ActorSystem.builder("streams-stages").workers(2).build();
    }

    @AfterEach
    void stop() {
        system.close();
    }

    @Test
    void tickPacesAndDrains() throws Exception {
        List<Object> seen = new CopyOnWriteArrayList<>();
        long t0 = System.nanoTime();
        Stream<Void> s = Source.tick(Duration.ZERO, Duration.ofMillis(10), "tick")
                .runWith(Sink.forEach(seen::add), system);
        Await.until(() -> seen.size() >= 5, "5 ticks");
        long took = System.nanoTime() - t0;
        s.drain();
        s.result().get(15, TimeUnit.SECONDS);
        assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(40), "5 ticks in " + took + " ns");
        assertTrue(seen.stream().allMatch("tick"::equals));
        assertEquals("tick", s.metrics().get(0).name());
        assertEquals(seen.size(), s.metrics().get(0).elementsOut());
    }

    @Test
    void aSlowConsumerGetsFewerTicks() throws Exception {
        Stream<Void> s = Source.tick(Duration.ofMillis(1), Duration.ofMillis(2), 1L).window(2)
                .runWith(Sink.forEach(x -> {
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }), system);
        Await.until(() -> s.metrics().get(0).drops() >= 10, "10 dropped ticks");
        s.cancel();
        assertThrows(ExecutionException.class, () -> s.result().get(15, TimeUnit.SECONDS));
        StageMetrics src = s.metrics().get(0), sink = s.metrics().get(1);
        assertTrue(src.elementsOut() <= sink.elementsIn() + 2);
    }

    @Test
    void tickWithFlowsAndFirst() throws Exception {
        assertEquals(3L, Source.tick(Duration.ZERO, Duration.ofMillis(1), 1L).scan(0L, (a, x) -> a + x)
                .filter(n -> n >= 3).runWith(Sink.first(), system).result().get(15, TimeUnit.SECONDS));
    }

    @Test
    void tickBadArguments() {
        AktException e = assertThrows(AktException.class,
                () -> Source.tick(Duration.ZERO, Duration.ofNanos(10), 1L).runWith(Sink.ignore(), system));
        assertEquals(Errors.EINVAL, e.code());
        assertThrows(NullPointerException.class, () -> Source.tick(Duration.ZERO, Duration.ofMillis(1), null));
    }

    @Test
    void batchFullPartialAndMaxWait() throws Exception {
        assertEquals(List.of(List.of(0L, 1L, 2L, 3L), List.of(4L, 5L, 6L, 7L), List.of(8L, 9L)),
                Source.range(0, 10).batch(4, Duration.ofSeconds(10)).runWith(Sink.collect(), system)
                        .result().get(15, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        List<String> first = Source.tick(Duration.ZERO, Duration.ofMillis(10), "t")
                .batch(1000, Duration.ofMillis(35)).runWith(Sink.first(), system).result().get(15, TimeUnit.SECONDS);
        assertTrue(first.size() >= 1 && first.size() < 1000);
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(35));
    }

    @Test
    void batchBadArguments() {
        AktException e = assertThrows(AktException.class,
                () -> Source.range(0, 1).batch(0, Duration.ofMillis(10)).runWith(Sink.ignore(), system));
        assertEquals(Errors.EINVAL, e.code());
        e = assertThrows(AktException.class,
                () -> Source.range(0, 1).batch(2, Duration.ZERO).runWith(Sink.ignore(), system));
        assertEquals(Errors.EINVAL, e.code());
    }
}
