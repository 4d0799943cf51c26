package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The queue source, the actor sink and mapAsync: bounded, no loss, order where promised. */
class StreamActorTest {
    ActorSystem system;

    @BeforeEach
    void start() {
        system = ActorSystem.builder("streams-actor").workers(2).build();
    }

    @AfterEach
    void stop() {
        system.close();
    }

    /** Records elements; acks at once when open, else owes the acks until "open". */
    static final class Target implements Actor {
        final List<Object> got = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<Pid> owed = new ArrayList<>();
        volatile boolean open;
        volatile int maxOwed;
        volatile int doneAt = -1;

        @Override
        public void receive(Context ctx, Object msg) {
            if ("open".equals(msg)) {
                open = true;
                for (Pid p : owed) {
                    ctx.tell(p, "ack");
                }
                owed.clear();
            } else if ("done".equals(msg)) {
                doneAt = got.size();
            } else {
                got.add(msg);
                if (open) {
                    ctx.respond("ack");
                } else {
                    owed.add(ctx.sender());
                    maxOwed = Math.max(maxOwed, owed.size());
                }
            }
        }
    }

    @Test
    void aQueueIntoAnActorIsBoundedAndLosesNothing() throws Exception {
        Target t = new Target();
        Pid pid = system.spawn("target", t);
        Stream<Void> s = Source.<Long>queue(8).window(4).runWith(Sink.actor(pid, 3, "done"), system);
        long accepted = 0;
        while (true) {
            if (s.offer(accepted)) {
                accepted++;
                assertTrue(accepted <= 8 + 4 + 3);
            } else if (s.queued() == 8) {
                break;
            }
        }
        Await.until(() -> t.got.size() == 3, "3 in flight");
        assertEquals(3, t.maxOwed);
        pid.tell("open");
        int n = 1000;
        for (long i = accepted; i < n;) {
            if (s.offer(i)) {
                i++;
            } else {
                Thread.onSpinWait();
            }
        }
        s.complete();
        assertThrows(AktException.class, () -> s.offer(-1L));
        assertNull(s.result().get(15, TimeUnit.SECONDS));
        Await.until(() -> t.doneAt >= 0, "the on-complete message");
        assertEquals(LongStream.range(0, n).boxed().collect(Collectors.toList()), t.got);
        assertEquals(n, t.doneAt);
        assertEquals(3, t.maxOwed);
        assertEquals("queue", s.metrics().get(0).name());
        assertEquals(n, s.metrics().get(1).elementsOut());
    }

    @Test
    void mapAsyncOrderedKeepsOrderAndItsBound() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            AtomicInteger live = new AtomicInteger(), most = new AtomicInteger();
            java.util.function.Function<Long, java.util.concurrent.CompletionStage<Long>> slow = x ->
                    CompletableFuture.supplyAsync(() -> {
                        most.accumulateAndGet(live.incrementAndGet(), Math::max);
                        try {
                            Thread.sleep(x % 5);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        live.decrementAndGet();
                        return x * 10;
                    }, pool);
            List<Long> want = LongStream.range(0, 200).map(x -> x * 10).boxed().collect(Collectors.toList());
            assertEquals(want, Source.range(0, 200).mapAsync(4, slow).runWith(Sink.collect(), system)
                    .result().get(15, TimeUnit.SECONDS));
            assertTrue(most.get() <= 4);
            List<Long> out = Source.range(0, 200).mapAsyncUnordered(4, slow).runWith(Sink.collect(), system)
                    .result().get(15, TimeUnit.SECONDS);
            assertEquals(want, out.stream().sorted().collect(Collectors.toList()));
            assertTrue(most.get() <= 4);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void mapAsyncFailureResumeAndCancel() throws Exception {
        java.util.function.Function<Long, java.util.concurrent.CompletionStage<Long>> boom = x ->
                x == 7 ? CompletableFuture.failedFuture(new IllegalStateException("seven"))
                       : CompletableFuture.completedFuture(x);
        ExecutionException e = assertThrows(ExecutionException.class, () -> Source.range(0, 20)
                .mapAsync(3, boom).runWith(Sink.collect(), system).result().get(15, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("stage 1 (map_async)"), e.getCause().getMessage());
        assertInstanceOf(IllegalStateException.class, e.getCause().getCause());
        List<Long> out = Source.range(0, 20).mapAsync(3, boom).onError(Source.OnError.RESUME)
                .runWith(Sink.collect(), system).result().get(15, TimeUnit.SECONDS);
        assertEquals(19, out.size());
        assertFalse(out.contains(7L));
        CompletableFuture<Long> gate = new CompletableFuture<>();
        Stream<Void> s = Source.range(0, 1000).mapAsync(5, x -> gate).runWith(Sink.ignore(), system);
        Await.until(() -> s.metrics().get(1).elementsIn() >= 5, "5 pending");
        s.cancel();
        assertThrows(ExecutionException.class, () -> s.result().get(15, TimeUnit.SECONDS));
        gate.complete(1L); /* the late completions are dropped */
    }

    @Test
    void mapAsyncInAFlowBranch() throws Exception {
        Sink<Long, List<Long>> k = StreamFlow.<Long>create()
                .mapAsync(2, x -> CompletableFuture.completedFuture(x + 1)).to(Sink.collect());
        assertEquals(List.of(1L, 2L, 3L), Source.range(0, 3).runWith(k, system).result().get(15, TimeUnit.SECONDS));
    }

    @Test
    void badInput() throws Exception {
        assertThrows(AktException.class, () -> Source.queue(0));
        assertThrows(AktException.class, () -> Source.range(0, 1).mapAsync(0, x -> null));
        assertThrows(NullPointerException.class, () -> Sink.actor(null, 1, null));
        Stream<List<Long>> s = Source.range(0, 3).runWith(Sink.collect(), system);
        assertThrows(AktException.class, () -> s.offer(1L));
        s.result().get(15, TimeUnit.SECONDS);
    }
}
