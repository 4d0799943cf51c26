package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fan-in (merge, concat, zip) and fan-out (broadcast, balance, partition) junctions. */
class StreamFanTest {
    ActorSystem system;

    @BeforeEach
    void start() {
        system = ActorSystem.builder("streams-fan").workers(2).build();
    }

    @AfterEach
    void stop() {
        system.close();
    }

    private static <R> R get(Stream<R> s) throws Exception {
        return s.result().get(15, TimeUnit.SECONDS);
    }

    private static List<Long> range(long lo, long hi) {
        return LongStream.range(lo, hi).boxed().toList();
    }

    @Test
    void mergeTakesEveryElementOnceInEachInputsOrder() throws Exception {
        List<Long> got = get(Source.merge(Source.range(0, 1000), Source.range(1000, 2000).map(x -> x),
                Source.range(2000, 2100)).runWith(Sink.collect(), system));
        List<Long> sorted = new ArrayList<>(got);
        sorted.sort(null);
        assertEquals(range(0, 2100), sorted);
        for (long[] r : new long[][] {{0, 1000}, {1000, 2000}, {2000, 2100}}) {
            assertEquals(range(r[0], r[1]), got.stream().filter(x -> x >= r[0] && x < r[1]).toList());
        }
    }

    @Test
    void concatAndZip() throws Exception {
        assertEquals(List.of(0L, 1L, 2L, "a"), get(Source.<Object>concat(Source.range(0, 3), Source.of(),
                Source.of("a")).runWith(Sink.collect(), system)));
        assertEquals(List.of("0x", "1y"), get(Source.zip(xs -> "" + xs.get(0) + xs.get(1),
                Source.range(0, 100), Source.of("x", "y")).runWith(Sink.collect(), system)));
    }

    @Test
    void broadcastBalancePartition() throws Exception {
        List<Object> r = get(Source.range(0, 50).runWith(Sink.broadcast(Sink.collect(),
                StreamFlow.<Long>create().filter(x -> x % 10 == 0).map(String::valueOf).to(Sink.collect()),
                Sink.fold(0L, (a, x) -> a + x)), system));
        assertEquals(List.of(range(0, 50), List.of("0", "10", "20", "30", "40"), 1225L), r);
        List<Object> parts = get(Source.range(0, 300).runWith(Sink.balance(Sink.collect(), Sink.collect()), system));
        List<Long> together = new ArrayList<>();
        parts.forEach(p -> ((List<?>) p).forEach(x -> together.add((Long) x)));
        together.sort(null);
        assertEquals(range(0, 300), together);
        List<Object> eo = get(Source.range(0, 9).runWith(
                Sink.partition(x -> (int) (x % 2), Sink.collect(), Sink.collect()), system));
        assertEquals(List.of(List.of(0L, 2L, 4L, 6L, 8L), List.of(1L, 3L, 5L, 7L)), eo);
    }

    @Test
    void aSlowBranchPacesABroadcast() throws Exception {
        AtomicLong made = new AtomicLong(), worst = new AtomicLong();
        List<Long> fast = new CopyOnWriteArrayList<>(), slow = new CopyOnWriteArrayList<>();
        get(Source.<Long, Long>unfold(0L, n -> {
            if (n >= 300) return null;
            made.set(n + 1);
            return new Object[] {n + 1, n};
        }).window(4).runWith(Sink.broadcast(
                StreamFlow.<Long>create().window(4).to(Sink.forEach(fast::add)),
                StreamFlow.<Long>create().window(4).to(Sink.forEach(x -> {
                    worst.accumulateAndGet(made.get() - slow.size(), Math::max);
                    slow.add(x);
                    try {
                        Thread.sleep(0, 500_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }))), system));
        assertEquals(range(0, 300), fast);
        assertEquals(range(0, 300), slow);
        assertTrue(worst.get() > 0 && worst.get() <= 16, "the source ran " + worst.get() + " ahead");
    }

    @Test
    void failuresThroughJunctions() throws Exception {
        java.util.function.Function<Long, Long> boom = x -> {
            if (x == 7) throw new IllegalStateException("seven");
            return x;
        };
        Stream<List<Object>> s = Source.range(0, 100).runWith(Sink.broadcast(Sink.ignore(),
                StreamFlow.<Long>create().map(boom).to(Sink.ignore())), system);
        ExecutionException e = assertThrows(ExecutionException.class, () -> get(s));
        assertInstanceOf(ActorFailedException.class, e.getCause());
        assertEquals("branch 1: stage 0 (map): actor failed", s.reason());
        Stream<Void> m = Source.merge(Source.range(0, 10), Source.range(0, 10).map(boom)).runWith(Sink.ignore(), system);
        assertThrows(ExecutionException.class, () -> get(m));
        assertEquals("input 1: stage 1 (map): actor failed", m.reason());
        Stream<List<Object>> bad = Source.range(0, 10).runWith(Sink.partition(x -> -1, Sink.collect()), system);
        e = assertThrows(ExecutionException.class, () -> get(bad));
        assertEquals(Errors.EINVAL, ((AktException) e.getCause()).code());
    }

    @Test
    void cancelMidStreamThroughJunctions() throws Exception {
        AtomicLong seen = new AtomicLong();
        Stream<List<Object>> s = Source.merge(Source.range(0, Long.MAX_VALUE), Source.range(0, Long.MAX_VALUE))
                .runWith(Sink.broadcast(Sink.ignore(), Sink.forEach(x -> seen.incrementAndGet())), system);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (seen.get() < 50) {
            assertTrue(System.nanoTime() < deadline);
            Thread.sleep(1);
        }
        s.cancel();
        ExecutionException e = assertThrows(ExecutionException.class, () -> get(s));
        assertInstanceOf(java.util.concurrent.CancellationException.class, e.getCause());
    }

    @Test
    void badJunctionArguments() {
        assertThrows(IllegalArgumentException.class, () -> Source.merge());
        assertThrows(IllegalArgumentException.class, () -> Sink.broadcast());
        assertThrows(NullPointerException.class, () -> Sink.partition(null, Sink.collect()));
        assertThrows(NullPointerException.class, () -> StreamFlow.<Long>create().to(null));
        assertThrows(IllegalStateException.class, () -> StreamFlow.<Long>create().named("x"));
        @SuppressWarnings("unchecked")
        Source<Long>[] many = new Source[65];
        java.util.Arrays.fill(many, Source.range(0, 1));
        assertThrows(IllegalArgumentException.class, () -> Source.merge(many));
    }
}
