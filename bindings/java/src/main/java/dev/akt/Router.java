package dev.akt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The handle of a router actor ({@link ActorSystem#spawnRouter}). The router passes each
 * message to one or more routees, keeping the sender and the asker, so a routee's
 * {@link Context#respond} answers the original asker. It drops routees that stop and stops
 * itself once the last one is gone.
 */
public final class Router {
    /** How a router picks its routees. */
    public enum Strategy {
        /** One after the other, in routee order. */
        ROUND_ROBIN,
        /** Drawn from a PRNG (seeded with {@link Options#seed}). */
        RANDOM,
        /** Every routee; an ask completes with the first reply. */
        BROADCAST,
        /** The routee owning the message's key (its type and bytes) on a hash ring. */
        CONSISTENT_HASH,
        /** Asks every routee; the first reply within the deadline answers. */
        SCATTER_GATHER_FIRST,
        /** Asks one routee per interval until one answers or the deadline passes. */
        TAIL_CHOPPING
    }

    /** What happens to a pool routee whose receive failed. */
    public enum FailurePolicy {
        /** Stop it: it leaves the pool (the default). */
        STOP,
        /** Restart it (a fresh instance from the factory), within a retry budget. */
        RESTART,
        /** Keep its state and go on with the next message. */
        RESUME
    }

    /** What {@link ActorSystem#spawnRouter} needs; a small builder. */
    public static final class Options {
        Strategy strategy = Strategy.ROUND_ROBIN;
        String name;
        Duration within = Duration.ZERO;
        Duration interval = Duration.ZERO;
        long seed;
        FailurePolicy onFailure = FailurePolicy.STOP;
        int maxRetries;
        Duration retryWithin = Duration.ZERO;

        /**
         * A pool routee's failure policy; with RESTART, a routee failing more than
         * maxRetries times within retryWithin is stopped (maxRetries 0: no budget).
         *
         * @param policy what a failed routee's supervision does
         * @param maxRetries the restarts allowed within retryWithin, or 0 for no budget
         * @param retryWithin the window of the restart budget
         * @return these options
         */
        public Options onFailure(FailurePolicy policy, int maxRetries, Duration retryWithin) {
            this.onFailure = Objects.requireNonNull(policy, "policy");
            this.maxRetries = maxRetries;
            this.retryWithin = Objects.requireNonNull(retryWithin, "retryWithin");
            return this;
        }

        /**
         * How the router picks routees ({@link Strategy#ROUND_ROBIN} by default).
         *
         * @param s the strategy
         * @return these options
         */
        public Options strategy(Strategy s) {
            this.strategy = Objects.requireNonNull(s, "strategy");
            return this;
        }

        /**
         * The router's name, or null (the default) for an anonymous one.
         *
         * @param n the name, or null
         * @return these options
         */
        public Options name(String n) {
            this.name = n;
            return this;
        }

        /**
         * The deadline of scatter-gather and tail-chopping.
         *
         * @param d the deadline, positive for those two strategies
         * @return these options
         */
        public Options within(Duration d) {
            this.within = Objects.requireNonNull(d, "within");
            return this;
        }

        /**
         * Tail-chopping's time between two routees.
         *
         * @param d the interval, positive for tail-chopping
         * @return these options
         */
        public Options interval(Duration d) {
            this.interval = Objects.requireNonNull(d, "interval");
            return this;
        }

        /**
         * Fixes the random choices (0, the default: drawn from the clock).
         *
         * @param s the PRNG's seed, or 0
         * @return these options
         */
        public Options seed(long s) {
            this.seed = s;
            return this;
        }

        java.util.function.Function<Object, ?> key;

        /**
         * Consistent hashing's key of a message (without one: its type and bytes), as
         * Python's {@code key=}: a Long, Integer, Short or Byte is the ring position itself
         * (as an unsigned 64-bit value), a String (its UTF-8) or a byte[] is hashed with
         * FNV-1a, the same in every process and language. It runs on the router's thread; a
         * key that throws, or returns null or another type, is logged and counts as 0.
         *
         * @param key gives a message's key
         * @return these options
         */
        public Options key(java.util.function.Function<Object, ?> key) {
            this.key = Objects.requireNonNull(key, "key");
            return this;
        }
    }

    /** A consistent-hash key function, called by akt on the router's thread. */
    static final class Key {
        private final ActorSystem system;
        private final java.util.function.Function<Object, ?> fn;

        Key(ActorSystem system, java.util.function.Function<Object, ?> fn) {
            this.system = system;
            this.fn = fn;
        }

        /** Called from native code (aktj_router.c): obj is the message's Java object, or
         *  null for a native message (handle msg). */
        long key(Object obj, long msg) {
            try {
                Object k = fn.apply(obj != null ? obj : Messages.fromNative(system, msg));
                if (k instanceof Long || k instanceof Integer || k instanceof Short || k instanceof Byte) {
                    return ((Number) k).longValue();
                }
                if (k instanceof String str) {
                    return fnv1a(str.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                if (k instanceof byte[] b) {
                    return fnv1a(b);
                }
                throw new IllegalArgumentException("a router key must be a Long, Integer, String or byte[], not "
                        + (k == null ? "null" : k.getClass().getName()));
            } catch (Throwable t) {
                system.logFailure("router", "consistent-hash key", t);
                return 0;
            }
        }

        static long fnv1a(byte[] b) {
            long h = 0xcbf29ce484222325L;
            for (byte x : b) {
                h = (h ^ (x & 0xff)) * 0x100000001b3L;
            }
            return h;
        }
    }

    /** A pool's routee factory, called by akt on the router's thread for each new routee. */
    static final class Pool {
        private final ActorSystem system;
        private final java.util.function.Supplier<? extends Actor> factory;

        Pool(ActorSystem system, java.util.function.Supplier<? extends Actor> factory) {
            this.system = system;
            this.factory = factory;
        }

        /** Called from native code (aktj_router.c). */
        ActorCell make(long index) {
            return new ActorCell(system, Props.create(factory));
        }
    }

    private final Pid pid;

    Router(Pid pid) {
        this.pid = pid;
    }

    /**
     * The router's own pid (watch it, stop it).
     *
     * @return the router's pid
     */
    public Pid pid() {
        return pid;
    }

    /**
     * Routes msg to a routee (or several, as the strategy says).
     *
     * @param msg the message, routed with its sender
     * @throws ActorNotFoundException if the router is not alive
     */
    public void tell(Object msg) {
        pid.tell(msg);
    }

    /**
     * Routes msg and completes with the routee's reply.
     *
     * @param msg the question, routed with this ask as its asker
     * @param timeout how long to wait for the reply, positive
     * @return a future completed with the reply (as {@link Pid#ask(Object, Duration)})
     */
    public CompletableFuture<Object> ask(Object msg, Duration timeout) {
        return pid.ask(msg, timeout);
    }

    /**
     * Routes msg and completes with the routee's reply cast to type.
     *
     * @param <T> the reply's type
     * @param msg the question
     * @param timeout how long to wait for the reply, positive
     * @param type the class of the reply
     * @return a future completed with the reply, cast
     */
    public <T> CompletableFuture<T> ask(Object msg, Duration timeout, Class<T> type) {
        return pid.ask(msg, timeout, type);
    }

    /**
     * Sends msg to every routee, whatever the strategy.
     *
     * @param msg the message every routee gets
     * @throws ActorNotFoundException if the router is not alive
     */
    public void broadcast(Object msg) {
        Objects.requireNonNull(msg, "msg");
        // A BytesMessage goes as its bytes (as Pid.tell sends it), so remote routees read it.
        int rc = msg instanceof BytesMessage
                ? AktNativeJNI.aktj_router_broadcast(pid.system.handle, pid.id, null, 0, Messages.toNative(msg))
                : AktNativeJNI.aktj_router_broadcast(pid.system.handle, pid.id, msg, Messages.typeOf(msg), 0);
        Errors.check(rc, "broadcast to " + pid);
    }

    /**
     * The live routees, in routing order. Waits for the router's answer.
     *
     * @return the routees' pids, a new list
     * @throws ActorNotFoundException if the router is not alive
     */
    public List<Pid> routees() {
        long[] ids = new long[16];
        long[] count = new long[1];
        int rc;
        while ((rc = AktNativeJNI.aktj_router_routees(pid.system.handle, pid.id, ids, count)) == Errors.ERANGE) {
            ids = new long[(int) count[0]];
        }
        Errors.check(rc, "routees of " + pid);
        List<Pid> out = new ArrayList<>((int) count[0]);
        for (int i = 0; i < count[0]; i++) {
            out.add(new Pid(pid.system, ids[i]));
        }
        return out;
    }

    /**
     * Sets a pool router's size: spawns routees or stops the newest. Waits for the router.
     * Routers made over pids are groups.
     *
     * @param size the pool's new size
     * @throws IllegalArgumentException if size is below 1
     * @throws AktException (AKT_ENOTSUP) for a group router
     */
    public void resize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("the size must be at least 1");
        }
        Errors.check(AktNativeJNI.akt_router_resize(pid.system.handle, pid.id, size), "resize " + pid);
    }

    @Override
    public String toString() {
        return "Router(" + pid + ")";
    }
}
