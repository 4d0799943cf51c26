package dev.akt;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A topic of one system ({@link ActorSystem#topic(String)}): publish / subscribe through
 * the system's topic actor. Subscribers are actors of any language; one that stops leaves
 * its topics by itself. What one thread does takes effect in the order it did it: a
 * {@link #publish} made after {@link #subscribe(Pid)} on the same thread reaches the new
 * subscriber without waiting for the returned future.
 */
public final class Topic {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final int SUBSCRIBE = 0;
    private static final int UNSUBSCRIBE = 1;
    private static final int COUNT = 2;

    private final ActorSystem system;
    private final String name;

    Topic(ActorSystem system, String name) {
        this.system = system;
        this.name = Objects.requireNonNull(name, "name");
        int n = name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (n == 0 || n > 255 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("akt: a topic name is 1..255 bytes of UTF-8 without NUL");
        }
    }

    /**
     * The topic's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Sends msg to every current subscriber (the message itself, with the calling actor as
     * sender). A topic without subscribers drops it: that is not an error.
     *
     * @param msg the message (a message akt can carry)
     * @throws NullPointerException if msg is null
     * @throws SystemClosedException once the system shut down
     */
    public void publish(Object msg) {
        Objects.requireNonNull(msg, "msg");
        long m = Messages.toNative(msg);
        int rc = AktNativeJNI.akt_topic_publish(system.handle, name, m);
        if (rc != 0) {
            AktNativeJNI.akt_msg_release(m);
            throw Errors.of(rc, "publish to topic '" + name + "'");
        }
    }

    /**
     * Subscribes pid (twice is once); completes with the subscriber count once it is in effect.
     *
     * @param pid an actor of this topic's system
     * @return a future of the subscriber count, within 10 s
     * @throws IllegalArgumentException if pid is of another system
     */
    public CompletableFuture<Long> subscribe(Pid pid) {
        return op(SUBSCRIBE, pid, DEFAULT_TIMEOUT);
    }

    /**
     * {@link #subscribe(Pid)} with a timeout for the acknowledgement.
     *
     * @param pid an actor of this topic's system
     * @param timeout how long to wait for the acknowledgement, positive
     * @return a future of the subscriber count
     * @throws IllegalArgumentException if pid is of another system or timeout is not positive
     */
    public CompletableFuture<Long> subscribe(Pid pid, Duration timeout) {
        return op(SUBSCRIBE, pid, timeout);
    }

    /**
     * Ends pid's subscription; completes with the subscriber count after it.
     *
     * @param pid an actor of this topic's system
     * @return a future of the subscriber count, within 10 s
     * @throws IllegalArgumentException if pid is of another system
     */
    public CompletableFuture<Long> unsubscribe(Pid pid) {
        return op(UNSUBSCRIBE, pid, DEFAULT_TIMEOUT);
    }

    /**
     * The number of subscribers, once what was queued before took effect.
     *
     * @return a future of the count, within 10 s
     */
    public CompletableFuture<Long> count() {
        return op(COUNT, null, DEFAULT_TIMEOUT);
    }

    /**
     * Calls handler for every message published to the topic, one at a time and in
     * publishing order, on an akt worker (it runs as a small Java actor). Close the returned
     * subscription to end it.
     *
     * @param handler called with each message
     * @return the subscription: closing it stops its actor, and so ends it
     * @throws SystemClosedException once the system shut down
     */
    public AutoCloseable subscribe(Consumer<Object> handler) {
        Objects.requireNonNull(handler, "handler");
        Pid pid = system.spawn((Actor) (ctx, msg) -> handler.accept(msg));
        try {
            op(SUBSCRIBE, pid, DEFAULT_TIMEOUT);
        } catch (RuntimeException e) {
            system.stop(pid);
            throw e;
        }
        return () -> {
            if (pid.isAlive()) {
                try {
                    system.stop(pid);
                } catch (ActorNotFoundException | SystemClosedException gone) {
                    // stopped meanwhile: closed already
                }
            }
        };
    }

    private CompletableFuture<Long> op(int op, Pid pid, Duration timeout) {
        if (op != COUNT) {
            Objects.requireNonNull(pid, "pid");
            if (pid.system != system) {
                throw new IllegalArgumentException("akt: " + pid + " is not a pid of " + system);
            }
        }
        long ns = Pid.timeoutNanos(timeout);
        AskFuture f = new AskFuture(system.completions, pid, null);
        int rc = AktNativeJNI.aktj_topic_op(system.handle, op, name, pid == null ? 0 : pid.id, ns, f);
        if (rc != 0) {
            throw Errors.of(rc, "topic '" + name + "'");
        }
        return f.thenApply(n -> ((Number) n).longValue());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Topic t && t.system == system && t.name.equals(name);
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(system) * 31 + name.hashCode();
    }

    @Override
    public String toString() {
        return "Topic(" + name + ")";
    }
}
