package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** flatMapMerge (breadth inners at once, per-inner order, failures) and offerAsync (room). */
class StreamMergeTest {
    ActorSystem system;

    @BeforeEach
    void start() {
        system = ActorSystem.builder("streams-merge").workers(2).build();
    }

    @AfterEach
    void stop() {
        system.close();
    }

    static Source<Long> inner(long x) {
        return Source.range(x * 100, x * 100 + x % 5 + 1).window(2);
    }

    static void checkPerKey(List<Long> got, int n) {
        Map<Long, List<Long>> byKey = new HashMap<>();
        for (long v : got) {
            byKey.computeIfAbsent(v / 100, k -> new ArrayList<>()).add(v % 100);
        }
        assertEquals(n, byKey.size());
        for (Map.Entry<Long, List<Long>> e : byKey.entrySet()) {
            List<Long> want = new ArrayList<>();
            for (long i = 0; i < e.getKey() % 5 + 1; i++) {
                want.add(i);
            }
            assertEquals(want, e.getValue()); // in order within its inner, each once
        }
    }

    @Test
    void everyElementOnceInInnerOrder() throws Exception {
        List<Long> got = Source.range(0, 60).<Long>flatMapMerge(4, StreamMergeTest::inner)
                .runWith(Sink.collect(), system).result().get(15, TimeUnit.SECONDS);
        checkPerKey(got, 60);
        List<Long> one = Source.range(0, 20).<Long>flatMapMerge(1, StreamMergeTest::inner)
                .runWith(Sink.collect(), system).result().get(15, TimeUnit.SECONDS);
        List<Long> sorted = new ArrayList<>(one);
        java.util.Collections.sort(sorted);
        assertEquals(sorted, one); // breadth 1 is concat
        checkPerKey(one, 20);
    }

    @Test
    void aBranchFlowMergesToo() throws Exception {
        Sink<Long, List<Object>> k = StreamFlow.<Long>create().<Long>flatMapMerge(2, StreamMergeTest::inner)
                .to(Sink.collect());
        List<Object> r = Source.range(0, 10).runWith(Sink.broadcast(k), system).result()
                .get(15, TimeUnit.SECONDS);
        @SuppressWarnings("unchecked")
        List<Long> got = (List<Long>) r.get(0);
        checkPerKey(got, 10);
    }

    @Test
    void slowSinkHoldsEndlessInnersBack() throws Exception {
        AtomicLong made = new AtomicLong();
        AtomicLong seen = new AtomicLong();
        Stream<Void> s = Source.range(0, 1_000_000).<Long>flatMapMerge(3, x -> Source.<Long, Long>unfold(0L, st -> {
            made.incrementAndGet();
            return new Object[] {st, 1L};
        }).window(4)).window(4).runWith(Sink.forEach(v -> {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            seen.incrementAndGet();
        }), system);
        long worst = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (seen.get() < 300) {
            assertTrue(System.nanoTime() < deadline);
            worst = Math.max(worst, made.get() - seen.get());
            Thread.sleep(2);
        }
        s.cancel();
        assertTrue(worst <= 3 * 2 * 4 + 2 * 4 + 4, worst + " ahead");
        assertTrue(s.metrics().get(1).elementsIn() <= 3 + 4);
    }

    @Test
    void failuresOfTheFunctionAndOfAnInner() throws Exception {
        java.util.function.Function<Long, Source<Long>> bad = x -> {
            if (x == 3) {
                throw new IllegalStateException("no inner for 3");
            }
            return inner(x);
        };
        ExecutionException e = assertThrows(ExecutionException.class, () -> Source.range(0, 10)
                .flatMapMerge(2, bad).runWith(Sink.collect(), system).result().get(15, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("stage 1 (flat_map_merge)"), e.getCause().getMessage());
        assertInstanceOf(IllegalStateException.class, e.getCause().getCause());
        List<Long> resumed = Source.range(0, 10).flatMapMerge(2, bad).onError(Source.OnError.RESUME)
                .runWith(Sink.collect(), system).result().get(15, TimeUnit.SECONDS);
        long want = 0;
        for (long x = 0; x < 10; x++) {
            want += x == 3 ? 0 : x % 5 + 1;
        }
        assertEquals(want, resumed.size());
        java.util.function.Function<Long, Source<Long>> failing =
                x -> Source.of(x, 0L).map(v -> 100 / v);
        ExecutionException f = assertThrows(ExecutionException.class, () -> Source.range(1, 5)
                .flatMapMerge(2, failing).runWith(Sink.collect(), system).result().get(15, TimeUnit.SECONDS));
        assertTrue(f.getCause().getMessage().contains("flat_map_merge): inner: stage 1 (map)"),
                f.getCause().getMessage());
        Stream<List<Long>> s = Source.range(1, 5).flatMapMerge(2, failing).onError(Source.OnError.RESUME)
                .runWith(Sink.collect(), system);
        List<Long> got = new ArrayList<>(s.result().get(15, TimeUnit.SECONDS));
        java.util.Collections.sort(got);
        assertEquals(List.of(25L, 33L, 50L, 100L), got);
        assertEquals(4, s.metrics().get(1).errors());
        assertThrows(AktException.class, () -> Source.range(0, 3).flatMapMerge(0, StreamMergeTest::inner));
        assertThrows(AktException.class, () -> Source.range(0, 3).flatMapMerge(4097, StreamMergeTest::inner));
        assertThrows(NullPointerException.class, () -> Source.range(0, 3).flatMapMerge(2, null));
        ExecutionException g = assertThrows(ExecutionException.class, () -> Source.range(0, 3)
                .<Long>flatMapMerge(2, x -> null).runWith(Sink.collect(), system).result().get(15, TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, g.getCause().getCause());
    }

    /** Offers 0, 1, ... until the queue stays full with the sink stuck on its first element. */
    static long fill(Stream<?> s, CountDownLatch entered) throws InterruptedException {
        long n = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            assertTrue(System.nanoTime() < deadline);
            if (s.offer(n)) {
                n++;
            } else if (entered.getCount() == 0) {
                Thread.sleep(20); // what the sink asked for has reached it
                if (!s.offer(n)) {
                    return n;
                }
                n++;
            } else {
                Thread.sleep(1);
            }
        }
    }

    @Test
    void offerAsyncCompletesWhenThereIsRoom() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        List<Object> got = java.util.Collections.synchronizedList(new ArrayList<>());
        Stream<Void> s = Source.<Long>queue(2).window(2).runWith(Sink.forEach(x -> {
            entered.countDown();
            try {
                gate.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            got.add(x);
        }), system);
        long n = fill(s, entered);
        CompletableFuture<Void> w = s.offerAsync(n).toCompletableFuture();
        Thread.sleep(50);
        assertFalse(w.isDone(), "still full: the producer waits");
        gate.countDown();
        w.get(15, TimeUnit.SECONDS);
        for (long i = n + 1; i < n + 100; i++) {
            s.offerAsync(i).toCompletableFuture().get(15, TimeUnit.SECONDS);
        }
        s.complete();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> s.offerAsync(-1L).toCompletableFuture().get(15, TimeUnit.SECONDS));
        assertInstanceOf(ActorStoppedException.class, e.getCause());
        s.result().get(15, TimeUnit.SECONDS);
        List<Object> want = new ArrayList<>();
        for (long i = 0; i < n + 100; i++) {
            want.add(i);
        }
        assertEquals(want, got);
    }

    @Test
    void offerAsyncFailsWhenTheStreamEndsWhileWaiting() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        Stream<Void> s = Source.<Long>queue(2).window(2).runWith(Sink.forEach(x -> {
            entered.countDown();
            try {
                gate.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }), system);
        fill(s, entered);
        CompletableFuture<Void> w = s.offerAsync(1L).toCompletableFuture();
        Thread.sleep(30);
        assertFalse(w.isDone());
        s.cancel();
        ExecutionException e = assertThrows(ExecutionException.class, () -> w.get(15, TimeUnit.SECONDS));
        assertInstanceOf(ActorStoppedException.class, e.getCause());
        gate.countDown();
    }
}
