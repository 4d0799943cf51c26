package dev.akt;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * An actor's address: a small value, compared by system and id, safe to keep after the actor
 * stopped (sending to it then throws {@link ActorNotFoundException}, never crashes).
 */
public final class Pid {
    final ActorSystem system;
    final long id;

    Pid(ActorSystem system, long id) {
        this.system = system;
        this.id = id;
    }

    /**
     * The system the actor lives in.
     *
     * @return the actor's system
     */
    public ActorSystem system() {
        return system;
    }

    /**
     * akt's id of the actor (index and generation); unique within its system.
     *
     * @return the id, as {@code akt_pid.id} has it
     */
    public long id() {
        return id;
    }

    /**
     * Sends msg. Inside an actor's callback (receive, preStart, postStop, and what akt runs
     * from inside one on its thread, such as an ask's completion or an event) that actor is
     * the sender, so the receiver can {@link Context#respond}; elsewhere there is none. Java
     * objects reach Java actors as themselves, not copied; a {@link BytesMessage} travels as
     * bytes.
     *
     * @throws NullPointerException if msg is null
     * @throws ActorNotFoundException if this actor is not alive
     * @param msg the message: a scalar, a String, a BytesMessage or any Java object
     * @throws MailboxFullException if the actor's bounded mailbox is full (the caller keeps msg)
     * @throws ActorSuspendedException while its supervisor keeps it suspended
     * @throws SystemClosedException if the system has shut down
     */
    public void tell(Object msg) {
        Objects.requireNonNull(msg, "msg");
        int rc;
        // akt_tell takes the sender from the actor running on this thread (none elsewhere).
        if (msg instanceof BytesMessage) {
            long m = Messages.toNative(msg);
            rc = AktNativeJNI.akt_tell(system.handle, id, m);
            if (rc != 0) {
                AktNativeJNI.akt_msg_release(m);
            }
        } else {
            rc = AktNativeJNI.aktj_tell(system.handle, id, msg, Messages.typeOf(msg));
        }
        if (rc != 0) {
            throw Errors.refused(rc, "tell to " + this, "tell", msg, this);
        }
    }

    /**
     * Sends msg with headers: metadata the receiver reads with {@link Context#headers} (a
     * trace context, a tenant id), kept when it is forwarded. Names are 1..255 visible ASCII
     * characters; values are text of at most 8 KiB (UTF-8); 64 headers and 64 KiB in all.
     *
     * @param msg the message: a scalar, a String, a BytesMessage or any Java object
     * @param headers the message's headers, names to values
     * @throws NullPointerException if msg or headers is null
     * @throws IllegalArgumentException if a header breaks those limits
     * @throws ActorNotFoundException if this actor is not alive
     */
    public void tell(Object msg, Map<String, String> headers) {
        Objects.requireNonNull(msg, "msg");
        Objects.requireNonNull(headers, "headers");
        String[] keys = headers.keySet().toArray(new String[0]);
        String[] values = headers.values().toArray(new String[0]);
        int rc;
        if (msg instanceof BytesMessage) {
            long m = Messages.toNative(msg);
            rc = AktNativeJNI.aktj_msg_set_headers(m, keys, values);
            if (rc == 0) {
                rc = AktNativeJNI.akt_tell(system.handle, id, m);
            }
            if (rc != 0) {
                AktNativeJNI.akt_msg_release(m);
            }
        } else {
            rc = AktNativeJNI.aktj_tell_headers(system.handle, 0, id, msg, Messages.typeOf(msg), keys, values);
        }
        if (rc == Errors.EINVAL) {
            throw new IllegalArgumentException("akt: bad headers " + headers.keySet()
                    + " (names 1..255 visible ASCII characters, values up to 8 KiB, 64 headers / 64 KiB in all)");
        }
        if (rc != 0) {
            throw Errors.refused(rc, "tell to " + this, "tell", msg, this);
        }
    }

    /**
     * Sends every message of msgs, in order, as one operation (one crossing into akt for the
     * whole batch): all are sent or, on an exception, none. There is no sender.
     *
     * @param msgs the messages, none null
     * @throws NullPointerException if msgs or one of its elements is null
     * @throws ActorNotFoundException if this actor is not alive
     */
    public void tellBatch(List<?> msgs) {
        Batch b = new Batch(msgs);
        int rc = AktNativeJNI.aktj_tell_batch(system.handle, id, b.objs, b.types);
        if (rc != 0) {
            b.releaseHandles();
            throw Errors.refused(rc, "tell of " + msgs.size() + " messages to " + this, "tellBatch",
                    firstWithoutBytes(msgs), this);
        }
    }

    /**
     * The old name of {@link #tellBatch}.
     *
     * @deprecated use {@link #tellBatch}, the name the other akt bindings use too
     * @param msgs the messages, none null
     */
    @Deprecated(since = "0.2")
    public void tellAll(List<?> msgs) {
        tellBatch(msgs);
    }

    /**
     * Asks every message of msgs, in order, as one operation; the i-th future answers the i-th
     * message (as {@link #ask(Object, Duration)} does).
     *
     * @param msgs the messages, none null
     * @param timeout each ask's timeout, positive
     * @return one future per message, in the order of msgs
     * @throws NullPointerException if msgs, one of its elements or timeout is null
     * @throws IllegalArgumentException if timeout is not positive
     * @throws ActorNotFoundException if this actor is not alive
     */
    public List<CompletableFuture<Object>> askBatch(List<?> msgs, Duration timeout) {
        long ns = timeoutNanos(timeout);
        Batch b = new Batch(msgs);
        @SuppressWarnings({"unchecked", "rawtypes"})
        CompletableFuture<Object>[] futures = new CompletableFuture[b.objs.length];
        for (int i = 0; i < futures.length; i++) {
            futures[i] = new AskFuture(system.completions, this, msgs.get(i));
        }
        int rc = AktNativeJNI.aktj_ask_batch(system.handle, id, b.objs, b.types, ns, futures);
        if (rc != 0) {
            b.releaseHandles();
            throw Errors.refused(rc, "ask of " + msgs.size() + " messages of " + this, "askBatch",
                    firstWithoutBytes(msgs), this);
        }
        return List.of(futures);
    }

    /**
     * The old name of {@link #askBatch}.
     *
     * @deprecated use {@link #askBatch}, the name the other akt bindings use too
     * @param msgs the messages, none null
     * @param timeout each ask's timeout, positive
     * @return one future per message, in the order of msgs
     */
    @Deprecated(since = "0.2")
    public List<CompletableFuture<Object>> askAll(List<?> msgs, Duration timeout) {
        return askBatch(msgs, timeout);
    }

    /** The first message of a refused batch that has no bytes (for the error's text). */
    private static Object firstWithoutBytes(List<?> msgs) {
        for (Object m : msgs) {
            if (!(m instanceof BytesMessage) && Messages.toBytes(m) == null) {
                return m;
            }
        }
        return msgs.isEmpty() ? null : msgs.get(0);
    }

    /** A batch as aktj_tell_batch takes it: Java objects with their types, or null with a
     *  native message handle (bytes messages are made here). */
    private static final class Batch {
        final Object[] objs;
        final long[] types;

        Batch(List<?> msgs) {
            Objects.requireNonNull(msgs, "msgs");
            objs = new Object[msgs.size()];
            types = new long[objs.length];
            try {
                for (int i = 0; i < objs.length; i++) {
                    Object m = Objects.requireNonNull(msgs.get(i), "msgs[" + i + "]");
                    if (m instanceof BytesMessage) {
                        types[i] = Messages.toNative(m);
                    } else {
                        objs[i] = m;
                        types[i] = Messages.typeOf(m);
                    }
                }
            } catch (RuntimeException e) {
                releaseHandles();
                throw e;
            }
        }

        void releaseHandles() {
            for (int i = 0; i < objs.length; i++) {
                if (objs[i] == null && types[i] != 0) {
                    AktNativeJNI.akt_msg_release(types[i]);
                    types[i] = 0;
                }
            }
        }
    }

    /**
     * Sends msg and returns the reply as a future. Cancelling the future cancels the ask (a
     * late reply goes to dead letters). The future fails with
     * {@link AskTimeoutException} after timeout, {@link ActorStoppedException},
     * {@link UnhandledMessageException} or {@link ActorFailedException}. It completes on the
     * system's completion executor ({@link ActorSystem.Builder#completionExecutor}; by
     * default a pool of Java threads, never akt's workers), so a dependent stage may block,
     * even {@code join()} another ask.
     *
     * @param msg the question: a scalar, a String, a BytesMessage or any Java object
     * @param timeout how long to wait for the reply, positive
     * @return a future completed with the reply on the completion executor
     * @throws NullPointerException if msg or timeout is null
     * @throws IllegalArgumentException if timeout is not positive
     * @throws ActorNotFoundException if this actor is not alive
     */
    public CompletableFuture<Object> ask(Object msg, Duration timeout) {
        return ask(0, msg, timeout); // akt_ask picks the sender as akt_tell does
    }

    /**
     * {@link #ask(Object, Duration)} with the reply cast to type (ClassCastException fails the future).
     *
     * @param <T> the reply's type
     * @param msg the question
     * @param timeout how long to wait for the reply, positive
     * @param type the class of the reply
     * @return a future completed with the reply, cast
     * @throws NullPointerException if msg, timeout or type is null
     * @throws IllegalArgumentException if timeout is not positive
     * @throws ActorNotFoundException if this actor is not alive
     */
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> ask(Object msg, Duration timeout, Class<T> type) {
        Objects.requireNonNull(type, "type");
        // The future itself casts: no stage between the reply and a waiting thread.
        return (CompletableFuture<T>) (CompletableFuture<?>) ask(0, msg, timeout, type);
    }

    CompletableFuture<Object> ask(long ctx, Object msg, Duration timeout) {
        return ask(ctx, msg, timeout, null);
    }

    private CompletableFuture<Object> ask(long ctx, Object msg, Duration timeout, Class<?> type) {
        Objects.requireNonNull(msg, "msg");
        long ns = timeoutNanos(timeout);
        CompletableFuture<Object> reply = new AskFuture(system.completions, this, msg, type);
        long m = Messages.toNative(msg);
        int rc = AktNativeJNI.aktj_ask(system.handle, ctx, id, m, ns, reply);
        if (rc != 0) {
            AktNativeJNI.akt_msg_release(m);
            throw Errors.refused(rc, "ask of " + this, "ask", msg, this);
        }
        return reply;
    }

    /**
     * Sends msg and waits for the reply: {@code ask(msg, timeout).join()} without the
     * future, and faster from a plain thread. An idle actor's turn then runs on the calling
     * thread (no worker is woken, the answer is read from this core's cache), as GoAkt's
     * blocking Ask. The wait is bounded by timeout and not interruptible (as join); inside
     * an actor use {@link Context#ask} or {@link #ask(Object, Duration)}.
     *
     * @param msg the question: a scalar, a String, a BytesMessage or any Java object
     * @param timeout how long to wait for the reply, positive
     * @return the reply
     * @throws NullPointerException if msg or timeout is null
     * @throws IllegalArgumentException if timeout is not positive
     * @throws ActorNotFoundException if this actor is not alive
     * @throws AskTimeoutException if no reply came within timeout
     * @throws ActorStoppedException if the actor stopped before it handled msg
     * @throws UnhandledMessageException if the actor did not handle msg
     * @throws ActorFailedException if the actor failed on msg
     */
    public Object askSync(Object msg, Duration timeout) {
        return askSync(msg, timeout, null);
    }

    /**
     * {@link #askSync(Object, Duration)} with the reply cast to type.
     *
     * @param <T> the reply's type
     * @param msg the question
     * @param timeout how long to wait for the reply, positive
     * @param type the class of the reply (null: no cast)
     * @return the reply, cast
     * @throws ClassCastException if the reply is not a type
     * @throws ActorNotFoundException if this actor is not alive
     * @throws AskTimeoutException if no reply came within timeout
     */
    @SuppressWarnings("unchecked")
    public <T> T askSync(Object msg, Duration timeout, Class<T> type) {
        Objects.requireNonNull(msg, "msg");
        long ns = timeoutNanos(timeout);
        AskFuture reply = new AskFuture(system.completions, this, msg, type);
        long m = Messages.toNative(msg);
        Thread me = reply.claimWaiter();
        int rc = AktNativeJNI.aktj_ask_wait(system.handle, id, m, ns, ASK_SYNC_SLICE_NS, reply);
        if (rc != 0) {
            reply.unclaim(me);
            AktNativeJNI.akt_msg_release(m);
            throw Errors.refused(rc, "ask of " + this, "askSync", msg, this);
        }
        reply.awaitClaimed(me, false, false, 0);
        try {
            return (T) reply.join();
        } catch (CompletionException e) {
            // The ask's own failure, as the future's get() would give it as its cause.
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** askSync's first wait, inside the ask's call (as AskFuture's slices). */
    private static final long ASK_SYNC_SLICE_NS = 1_000_000L;

    static long timeoutNanos(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("akt: timeout must be positive, got " + timeout);
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * This pid as a typed reference whose sends take only messageClass messages (checked by
     * the compiler, and at run time against the class): {@code
     * system.lookup("/user/account").typed(Cmd.class).tell(new Deposit(5))}. What the actor
     * really accepts is the caller's word; the reference equals any other of this pid.
     *
     * @param <M> the type of the messages the actor accepts
     * @param messageClass their class (a primitive class stands for its wrapper)
     * @return a typed reference to this actor
     * @throws NullPointerException if messageClass is null
     */
    public <M> ActorRef<M> typed(Class<M> messageClass) {
        return new ActorRef<>(this, messageClass);
    }

    /**
     * The actor's path, e.g. {@code akt://demo/user/parent/child}.
     *
     * @return the path
     * @throws ActorNotFoundException if the actor is not alive
     */
    public String path() {
        String p = AktNativeJNI.aktj_pid_path(system.handle, id);
        if (p == null) {
            throw Errors.of(Errors.ENOTFOUND, "path of pid " + id);
        }
        return p;
    }

    /**
     * Stops the actor now: queued messages go to dead letters, its children stop first.
     * Inside an actor, {@link Context#stop(Pid)} does the same for a child.
     *
     * @throws ActorNotFoundException if the actor is not alive
     */
    public void stop() {
        Errors.check(AktNativeJNI.akt_stop(system.handle, id), "stop " + this);
    }

    /**
     * Resumes an actor its supervisor suspended ({@link Directive#SUSPEND}): it keeps its state
     * and goes on with its mailbox. Asynchronous (done once the ACTOR_REINSTATED event is
     * out); a live actor that is not suspended is left as it is. A remote pid's actor is
     * reinstated on its own node.
     *
     * @throws ActorNotFoundException if the actor is not alive
     */
    public void reinstate() {
        Errors.check(AktNativeJNI.akt_reinstate(system.handle, id), "reinstate " + this);
    }

    /**
     * Sends a poison pill: the actor handles what was queued before it, then stops.
     *
     * @throws ActorNotFoundException if the actor is not alive
     */
    public void poison() {
        Errors.check(AktNativeJNI.akt_poison(system.handle, id), "poison " + this);
    }

    /**
     * A poison pill, and a future completing once the actor stopped; after timeout the actor
     * is stopped at once and the future fails with {@link AskTimeoutException}.
     *
     * @param timeout how long the actor has to drain its mailbox, positive
     * @return a future completing once the actor stopped
     * @throws NullPointerException if timeout is null
     * @throws IllegalArgumentException if timeout is not positive
     * @throws ActorNotFoundException if the actor is not alive
     */
    public CompletableFuture<Void> stopGracefully(Duration timeout) {
        long ns = timeoutNanos(timeout);
        long[] out = new long[1];
        Errors.check(AktNativeJNI.akt_stop_graceful(system.handle, id, ns, out), "stop " + this);
        CompletableFuture<Object> done = new CompletableFuture<>();
        int rc = AktNativeJNI.akt_future_on_complete(out[0], done);
        AktNativeJNI.akt_future_release(out[0]);
        Errors.check(rc, "stop " + this);
        return done.thenApply(x -> null);
    }

    /**
     * This actor's metrics, of its current incarnation.
     *
     * @return a snapshot of its counters
     * @throws ActorNotFoundException once it stopped
     */
    public ActorMetrics metrics() {
        long[] v = new long[11];
        Errors.check(AktNativeJNI.aktj_metrics_actor(system.handle, id, v), "metrics of " + this);
        return ActorMetrics.of(path(), v, AktNativeJNI.aktj_metrics_kind(system.handle, id));
    }

    /**
     * True if the actor is alive now.
     *
     * @return whether the actor is alive; by the time it returns it may have stopped
     */
    public boolean isAlive() {
        return AktNativeJNI.akt_pid_is_alive(system.handle, id) == 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pid p && p.id == id && p.system == system;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id) * 31 + System.identityHashCode(system);
    }

    /** The path while the actor lives, else {@code Pid[<system>#<id>]}. */
    @Override
    public String toString() {
        String p = AktNativeJNI.aktj_pid_path(system.handle, id);
        return p != null ? p : "Pid[" + system.name() + "#" + Long.toUnsignedString(id) + "]";
    }
}
