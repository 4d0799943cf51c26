package dev.akt;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Streams across nodes: two systems of this JVM over 127.0.0.1. A remote Sink.actor delivers
 *  every element once, in order, at most inFlight unacknowledged (counted on the target's node)
 *  and fails when its node goes; a Source.actorRef answers each element once it is buffered, so
 *  a SourceRef producer on the other node is paced by the stream; a stream feeds a stream on
 *  another node. */
class StreamRemoteTest {
    static final Duration LONG = Duration.ofSeconds(30);

    static void until(BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!cond.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(2);
        }
    }

    static List<Long> range(long n) {
        return LongStream.range(0, n).boxed().collect(Collectors.toList());
    }

    static AktException failure(CompletableFuture<?> f) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS));
        Throwable t = e.getCause();
        assertInstanceOf(AktException.class, t);
        return (AktException) t;
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

    static ActorSystem node(String name) {
        ActorSystem s = ActorSystem.builder(name).workers(2).build();
        s.remoteStart(null, 0);
        return s;
    }

    @Test
    void aRemoteSinkIsInOrderAndBounded() throws Exception {
        try (ActorSystem a = node("jsra"); ActorSystem b = node("jsrb")) {
            Target t = new Target();
            Pid local = b.spawn("target", t);
            Pid target = a.remoteLookup(b.remoteAddress() + "/user/target");
            Stream<Void> s = Source.range(0, 1000).runWith(Sink.actor(target, 3, "done"), a);
            until(() -> t.got.size() == 3);
            Thread.sleep(100);
            assertEquals(3, t.got.size());
            assertEquals(3, t.maxOwed);
            local.tell("open");
            assertNull(s.result().get(20, TimeUnit.SECONDS));
            until(() -> t.doneAt >= 0);
            assertEquals(range(1000), new ArrayList<>(t.got));
            assertEquals(1000, t.doneAt);
            assertEquals(3, t.maxOwed);
        }
    }

    @Test
    void aRemoteSinkFailsWhenItsNodeGoes() throws Exception {
        try (ActorSystem a = node("jsra")) {
            ActorSystem b = node("jsrb");
            Target t = new Target();
            b.spawn("target", t);
            Pid target = a.remoteLookup(b.remoteAddress() + "/user/target");
            Stream<Void> s = Source.range(0, 1_000_000).runWith(Sink.actor(target, 2, null), a);
            until(() -> t.got.size() == 2);
            b.close();
            AktException e = failure(s.result());
            assertEquals("AKT_ESTOPPED", e.errorName());
            assertTrue(e.getMessage().contains("the target actor stopped"), e.getMessage());
        }
    }

    @Test
    void aSourceRefIsPacedByTheStream() throws Exception {
        try (ActorSystem a = node("jsra"); ActorSystem b = node("jsrb")) {
            Target t = new Target();
            Pid tp = a.spawn("target", t);
            Stream<Void> s = Source.<Object>actorRef(4).window(4).runWith(Sink.actor(tp, 2, "done"), a);
            assertTrue(s.sourceAddress().startsWith(a.remoteAddress() + "/user/"));
            Pid src = b.remoteLookup(s.sourceAddress());
            // The target acks nothing: 4 + 4 + 2 are answered, the next 3 asks wait unanswered.
            List<CompletableFuture<Object>> asks = new ArrayList<>();
            for (long i = 0; i < 13; i++) {
                asks.add(src.ask(i, LONG));
            }
            until(() -> asks.stream().filter(CompletableFuture::isDone).count() == 10);
            Thread.sleep(200);
            for (int i = 0; i < 13; i++) {
                assertEquals(i < 10, asks.get(i).isDone(), "ask " + i);
            }
            tp.tell("open");
            for (CompletableFuture<Object> f : asks) {
                assertEquals(Stream.STREAM_ACK.type(), ((BytesMessage) f.get(10, TimeUnit.SECONDS)).type());
            }
            SourceRef ref = new SourceRef(src, 3, LONG);
            for (long i = 13; i < 300; i++) {
                ref.push(i);
            }
            ref.complete();
            assertNull(s.result().get(20, TimeUnit.SECONDS));
            until(() -> t.doneAt >= 0);
            assertEquals(range(300), new ArrayList<>(t.got));
        }
    }

    @Test
    void aStreamFeedsAStreamOnAnotherNode() throws Exception {
        try (ActorSystem a = node("jsra"); ActorSystem b = node("jsrb")) {
            Stream<List<Long>> sa = Source.<Long>actorRef(2).map(x -> x * 10).runWith(Sink.collect(), a);
            Pid src = b.remoteLookup(sa.sourceAddress());
            Stream<Void> sb = Source.range(0, 500).runWith(Sink.actor(src, 3, Stream.STREAM_END), b);
            assertNull(sb.result().get(20, TimeUnit.SECONDS));
            List<Long> want = range(500).stream().map(x -> x * 10).collect(Collectors.toList());
            assertEquals(want, sa.result().get(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void aSourceRefFailsWhenItsProducerNodeGoes() throws Exception {
        try (ActorSystem a = node("jsra")) {
            ActorSystem b = node("jsrb");
            Target t = new Target();
            Pid tp = a.spawn("target", t);
            Stream<Void> sa = Source.<Object>actorRef(4).runWith(Sink.actor(tp, 2, null), a);
            Pid src = b.remoteLookup(sa.sourceAddress());
            Source.range(0, 1_000_000).runWith(Sink.actor(src, 3, Stream.STREAM_END), b);
            until(() -> t.got.size() == 2);
            Thread.sleep(100); // B's 3 in flight wait, unanswered, on A
            b.close();
            AktException e = failure(sa.result());
            assertEquals("AKT_ESTOPPED", e.errorName());
            assertTrue(e.getMessage().contains("the producer stopped before the end"), e.getMessage());
        }
    }

    @Test
    void aLocalSourceRefAndMisuse() throws Exception {
        try (ActorSystem a = ActorSystem.builder("jsrl").workers(2).build()) {
            Stream<List<Object>> s = Source.<Object>actorRef(8).runWith(Sink.collect(), a);
            for (long i = 0; i < 5; i++) {
                s.sourcePid().tell(i);
            }
            Object ack = s.sourcePid().ask(5L, LONG).get(10, TimeUnit.SECONDS);
            assertEquals(Stream.STREAM_ACK.type(), ((BytesMessage) ack).type());
            AktException e = assertThrows(AktException.class, s::sourceAddress);
            assertEquals("AKT_ENOTFOUND", e.errorName());
            s.complete();
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), s.result().get(10, TimeUnit.SECONDS));
            Stream<Void> q = Source.<Object>queue(2).runWith(Sink.ignore(), a);
            assertEquals("AKT_EINVAL", assertThrows(AktException.class, q::sourcePid).errorName());
            q.cancel();
            assertEquals("AKT_EINVAL", assertThrows(AktException.class, () -> Source.actorRef(0)).errorName());
            assertEquals("AKT_EINVAL",
                    assertThrows(AktException.class, () -> new SourceRef(s.sourcePid(), 0, LONG)).errorName());
            assertThrows(NullPointerException.class, () -> new SourceRef(null, 1, LONG));
        }
    }
}
