package dev.akt.bench;

import dev.akt.Actor;
import dev.akt.ActorSystem;
import dev.akt.AsyncActor;
import dev.akt.Context;
import dev.akt.Pid;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** akt's Java binding: Java actors on akt's workers (default options: one per core). */
final class AktImpl implements Bench.Impl {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Counts to a target, then opens the latch. */
    static final class Counter implements Actor {
        volatile CountDownLatch done;
        long target;
        long seen;

        @Override
        public void receive(Context ctx, Object msg) {
            if (++seen == target) {
                done.countDown();
            }
        }
    }

    /** Per message: a request to the echo; the message ends when its answer came. */
    static final class AsyncCounter implements AsyncActor {
        volatile CountDownLatch done;
        long target;
        long seen;
        Pid echo;

        @Override
        public CompletionStage<?> receiveAsync(Context ctx, Object msg) {
            return ctx.request(echo, msg, null).thenApply(r -> {
                if (++seen == target) {
                    done.countDown();
                }
                return null;
            });
        }
    }

    private final ActorSystem system = ActorSystem.create("bench");
    private final Counter counter = new Counter();
    private final Pid counterPid = system.spawn("counter", counter);
    private final Pid echo = system.spawn("echo", (ctx, msg) -> ctx.respond(msg));
    private final AsyncCounter asyncCounter = new AsyncCounter();
    private final Pid asyncPid;

    AktImpl() {
        asyncCounter.echo = echo;
        asyncPid = system.spawn("async", asyncCounter);
    }

    @Override
    public String name() {
        return "akt-java";
    }

    @Override
    public long tell(int n) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        // Set before the first tell; the actor reads them after the tell's happens-before.
        counter.seen = 0;
        counter.target = n;
        counter.done = done;
        Object msg = Bench.MSG;
        Pid to = counterPid;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            to.tell(msg);
        }
        if (!done.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("akt: the counter did not see all messages");
        }
        return System.nanoTime() - t0;
    }

    private static final boolean FUTURE_ASK = "future".equals(System.getProperty("akt.bench.ask"));

    @Override
    public void ask() throws Exception {
        // The blocking ask, as Pekko's side waits on its future: akt_ask_wait underneath.
        // -Dakt.bench.ask=future measures ask().get() instead.
        if (FUTURE_ASK) {
            echo.ask(Bench.MSG, TIMEOUT).get();
        } else {
            echo.askSync(Bench.MSG, TIMEOUT);
        }
    }

    @Override
    public long asyncRequests(int n) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        asyncCounter.seen = 0;
        asyncCounter.target = n;
        asyncCounter.done = done;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            asyncPid.tell(Bench.MSG);
        }
        if (!done.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("akt: the async actor did not finish all messages");
        }
        return System.nanoTime() - t0;
    }

    @Override
    public void close() {
        system.close();
    }
}
