package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamTest {
    ActorSystem system;

    @BeforeEach
    void start() {
        system = ActorSystem.builder("streams").workers(2).build();
    }

    @AfterEach
    void stop() {
        system.close();
    }

    private static <R> R get(Stream<R> s) throws Exception {
        return s.result().get(15, TimeUnit.SECONDS);
    }

    @Test
    void rangeMapFilterCollect() throws Exception {
        Stream<List<Long>> s = Source.range(1, 10).map(x -> x * 2).filter(x -> x > 4)
                .runWith(Sink.collect(), system);
        assertEquals(List.of(6L, 8L, 10L, 12L, 14L, 16L, 18L), get(s));
    }

    @Test
    void fusionGivesTheSameResults() throws Exception {
        Source<Long> src = Source.range(0, 500).map(x -> x + 1).filter(x -> x % 2 == 0)
                .flatMap(x -> List.of(x, x)).dedup().scan(0L, (a, x) -> a + x);
        Stream<Long> fused = src.runWith(Sink.fold(0L, (a, x) -> a + x), system);
        Stream<Long> unfused = src.fusion(false).runWith(Sink.fold(0L, (a, x) -> a + x), system);
        long acc = 0, total = 0;
        for (long x = 2; x <= 500; x += 2) {
            acc += x;
            total += acc;
        }
        assertEquals(total, get(fused));
        assertEquals(total, get(unfused));
        assertEquals(4, fused.actors());
        assertEquals(7, unfused.actors());
    }

    @Test
    void javaObjectsPassByReference() throws Exception {
        Object marker = new Object();
        List<Object> got = get(Source.of("a", marker).runWith(Sink.collect(), system));
        assertEquals("a", got.get(0));
        assertSame(marker, got.get(1));
    }

    @Test
    void firstEndsAnEndlessStream() throws Exception {
        assertEquals(7L, get(Source.unfold(7L, (Long n) -> new Object[] {n + 1, n})
                .runWith(Sink.first(), system)));
        assertNull(get(Source.of().runWith(Sink.first(), system)));
    }

    @Test
    void anExceptionFailsTheStreamWithItsCause() throws Exception {
        Stream<List<Long>> s = Source.range(0, 100).map(x -> {
            if (x == 5) {
                throw new IllegalStateException("five");
            }
            return x;
        }).named("boom").runWith(Sink.collect(), system);
        ExecutionException e = assertThrows(ExecutionException.class, () -> get(s));
        ActorFailedException f = assertInstanceOf(ActorFailedException.class, e.getCause());
        assertEquals("stage 1 (boom): actor failed", f.reason());
        assertInstanceOf(IllegalStateException.class, f.getCause());
        StageMetrics m = s.metrics().get(1);
        assertEquals("boom", m.name());
        assertEquals(1, m.errors());
        assertEquals(5, m.elementsOut());
    }

    @Test
    void resumeAndRetry() throws Exception {
        Stream<List<Long>> s = Source.range(0, 10).map(x -> {
            if (x % 2 == 1) {
                throw new IllegalArgumentException("odd");
            }
            return x;
        }).onError(Source.OnError.RESUME).runWith(Sink.collect(), system);
        assertEquals(List.of(0L, 2L, 4L, 6L, 8L), get(s));
        assertEquals(5, s.metrics().get(1).drops());
        int[] calls = {0};
        Stream<List<Long>> r = Source.range(0, 4).map(x -> {
            if (++calls[0] % 3 != 0) {
                throw new IllegalStateException("not yet");
            }
            return x;
        }).onError(Source.OnError.RETRY, 2).runWith(Sink.collect(), system);
        assertEquals(List.of(0L, 1L, 2L, 3L), get(r));
    }

    @Test
    void cancelAndDrain() throws Exception {
        Stream<Void> s = Source.unfold(0L, (Long n) -> new Object[] {n + 1, n}).runWith(Sink.ignore(), system);
        s.cancel();
        ExecutionException e = assertThrows(ExecutionException.class, () -> get(s));
        assertInstanceOf(java.util.concurrent.CancellationException.class, e.getCause());
        Stream<List<Long>> d = Source.<Long, Long>unfold(0L, n -> new Object[] {n + 1, n})
                .runWith(Sink.collect(), system);
        Await.until(() -> d.metrics().get(1).elementsIn() >= 100, "100 elements at the sink");
        d.drain();
        List<Long> got = get(d);
        for (int i = 0; i < got.size(); i++) {
            assertEquals(i, got.get(i));
        }
        assertEquals(got.size(), d.metrics().get(0).elementsOut());
        d.close();
    }

    @Test
    void aBufferFailsOrDropsWhenFull() throws Exception {
        Stream<Void> f = Source.range(0, 300).buffer(4, Source.Overflow.FAIL)
                .runWith(Sink.forEach(x -> sleep(1)), system);
        ExecutionException e = assertThrows(ExecutionException.class, () -> get(f));
        assertEquals("AKT_EFULL", ((AktException) e.getCause()).codeName());
        List<Long> seen = new CopyOnWriteArrayList<>();
        Stream<Void> d = Source.range(0, 300).buffer(4, Source.Overflow.DROP_TAIL)
                .runWith(Sink.forEach((Long x) -> {
                    seen.add(x);
                    sleep(1);
                }), system);
        get(d);
        long drops = d.metrics().get(1).drops();
        assertTrue(drops > 0);
        assertEquals(300, seen.size() + drops);
    }

    @Test
    void fromAPublisherToASubscriber() throws Exception {
        List<Integer> got = new CopyOnWriteArrayList<>();
        java.util.concurrent.CompletableFuture<Void> completed = new java.util.concurrent.CompletableFuture<>();
        Flow.Subscriber<Integer> subscriber = new Flow.Subscriber<>() {
            Flow.Subscription sub;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                sub = s;
                s.request(3);
            }

            @Override
            public void onNext(Integer item) {
                got.add(item);
                sub.request(1);
            }

            @Override
            public void onError(Throwable t) {
                completed.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                completed.complete(null);
            }
        };
        try (SubmissionPublisher<Integer> pub = new SubmissionPublisher<>()) {
            Stream<Void> s = Source.fromPublisher(pub).map(x -> x * 10).runWith(Sink.toSubscriber(subscriber), system);
            Await.until(() -> pub.getNumberOfSubscribers() == 1, "the stream subscribed");
            for (int i = 0; i < 50; i++) {
                pub.submit(i);
            }
            pub.close();
            completed.get(15, TimeUnit.SECONDS);
            get(s);
        }
        List<Integer> want = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            want.add(i * 10);
        }
        assertEquals(want, got);
    }

    @Test
    void throttlePaces() throws Exception {
        long t0 = System.nanoTime();
        List<Long> got = get(Source.range(0, 20).throttle(5, java.time.Duration.ofMillis(50))
                .runWith(Sink.collect(), system));
        assertEquals(20, got.size());
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(150));
        assertThrows(AktException.class, () -> Source.range(0, 1).throttle(0, java.time.Duration.ofMillis(50))
                .runWith(Sink.collect(), system));
    }

    @Test
    void badArguments() {
        assertThrows(IllegalArgumentException.class, () -> Source.range(0, 1, 0));
        assertThrows(NullPointerException.class, () -> Source.range(0, 1).map(null));
        assertThrows(AktException.class, () -> Source.range(0, 1).window(0).runWith(Sink.collect(), system));
        assertThrows(AktException.class, () -> Source.range(0, 1).buffer(0, Source.Overflow.FAIL)
                .runWith(Sink.collect(), system));
    }

    private static void sleep(int ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
