package dev.akt.bench;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.pattern.Patterns;
import scala.concurrent.Await;

/** Apache Pekko classic actors with the default configuration (default dispatcher). */
final class PekkoImpl implements Bench.Impl {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Counts to a target, then opens the latch. */
    static final class Counter extends AbstractActor {
        static volatile CountDownLatch done;
        static long target;
        long seen;

        @Override
        public Receive createReceive() {
            return receiveBuilder().matchAny(m -> {
                if (m instanceof Reset) {
                    seen = 0;
                } else if (++seen == target) {
                    done.countDown();
                }
            }).build();
        }
    }

    record Reset() {}

    static final class Echo extends AbstractActor {
        @Override
        public Receive createReceive() {
            return receiveBuilder().matchAny(m -> getSender().tell(m, getSelf())).build();
        }
    }

    /** Per message: a request to the echo (a tell with self as sender, its answer told back:
     *  cheaper than Patterns.ask, whose temporary actor and pipe add hops); the messages that
     *  come meanwhile wait in the actor's own FIFO until the answer came (one at a time, in
     *  order). Pekko's stash would re-queue every waiting message at each answer
     *  (unstashAll): quadratic with the messages told at once, so the peer keeps a FIFO. */
    static final class AsyncCounter extends AbstractActor {
        static volatile CountDownLatch done;
        static long target;
        static ActorRef echo;
        final ArrayDeque<Object> waiting = new ArrayDeque<>();
        boolean busy;
        long seen;

        @Override
        public Receive createReceive() {
            return receiveBuilder().match(Reset.class, m -> seen = 0).matchAny(m -> {
                if (getSender().equals(echo)) { // an answer
                    if (++seen == target) {
                        done.countDown();
                    }
                    Object next = waiting.poll();
                    busy = next != null;
                    if (busy) {
                        echo.tell(next, getSelf());
                    }
                } else if (busy) {
                    waiting.add(m);
                } else {
                    busy = true;
                    echo.tell(m, getSelf());
                }
            }).build();
        }
    }

    private final ActorSystem system = ActorSystem.create("bench");
    private final ActorRef counter = system.actorOf(Props.create(Counter.class), "counter");
    private final ActorRef echo = system.actorOf(Props.create(Echo.class), "echo");
    private final ActorRef asyncCounter;

    PekkoImpl() {
        AsyncCounter.echo = echo;
        asyncCounter = system.actorOf(Props.create(AsyncCounter.class), "async");
    }

    @Override
    public String name() {
        return "pekko";
    }

    @Override
    public long tell(int n) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        Counter.target = n;
        Counter.done = done;
        counter.tell(new Reset(), ActorRef.noSender());
        Object msg = Bench.MSG;
        ActorRef to = counter;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            to.tell(msg, ActorRef.noSender());
        }
        if (!done.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("pekko: the counter did not see all messages");
        }
        return System.nanoTime() - t0;
    }

    @Override
    public void ask() throws Exception {
        Patterns.ask(echo, Bench.MSG, TIMEOUT).toCompletableFuture().get();
    }

    @Override
    public long asyncRequests(int n) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        AsyncCounter.target = n;
        AsyncCounter.done = done;
        asyncCounter.tell(new Reset(), ActorRef.noSender());
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            asyncCounter.tell(Bench.MSG, ActorRef.noSender());
        }
        if (!done.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("pekko: the async actor did not finish all messages");
        }
        return System.nanoTime() - t0;
    }

    @Override
    public void close() {
        system.terminate();
        try {
            Await.result(system.whenTerminated(), scala.concurrent.duration.Duration.create(30, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
