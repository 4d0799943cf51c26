package dev.akt;

import static dev.akt.AktNativeConstants.*;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * What an actor can do while it handles a message: answer, send, spawn children, stop,
 * switch behaviour, stash, watch, reach its dependencies. A Context is valid only inside the
 * callback that received it and only on its thread; using it later throws
 * {@link IllegalStateException}.
 */
public final class Context {
    final ActorCell cell;
    /** The native akt_ctx while a callback runs, else 0. */
    long handle;

    Context(ActorCell cell) {
        this.cell = cell;
    }

    /** Enters a callback: the handle is live until exit. (The sender of a tell made meanwhile
     *  is akt's business: akt_tell uses the actor running on the calling thread.) */
    void enter(long ctx) {
        handle = ctx;
    }

    void exit() {
        handle = 0;
    }

    private long live() {
        long h = handle;
        if (h == 0) {
            throw new IllegalStateException(
                    "akt: this Context is used outside the callback that received it");
        }
        return h;
    }

    void check(int rc, String what) {
        if (rc == Errors.EMISUSE) {
            throw new IllegalStateException("akt: " + what + " is not allowed here: "
                    + Errors.name(rc) + " (the Context belongs to another thread or callback)");
        }
        Errors.check(rc, what);
    }

    /** A respond's result: AKT_ENOTSUP is a reply its reader (issue 17: a C actor, or C
     *  code that asked from outside any actor with a plain akt_ask) cannot read, refused
     *  naming its class and the sender, or "its asker" when there is no sender. */
    private void respondCheck(int rc, Object reply) {
        if (rc == Errors.code("ENOTSUP")) {
            Pid to = sender();
            throw Errors.refused(rc, "respond", "respond", reply,
                    to != null ? to.toString() : "its asker (C code that asked from outside any actor)");
        }
        check(rc, "respond");
    }

    private Pid pid(long id) {
        return id == AKT_PID_NONE_ID ? null : new Pid(cell.system, id);
    }

    // ---- who --------------------------------------------------------------------------------

    /**
     * This actor.
     *
     * @return this actor's pid
     * @throws IllegalStateException outside the callback that got this Context
     */
    public Pid self() {
        long h = live();
        long[] out = new long[1];
        check(AktNativeJNI.akt_ctx_self(h, out), "self");
        return pid(out[0]);
    }

    /**
     * Whether someone waits for an answer to the current message: an asker, or a sender
     * actor. An answer to a plain tell from outside goes to dead letters.
     *
     * @return true if an answer to the current message reaches someone
     */
    public boolean replyExpected() {
        long h = live();
        int rc = AktNativeJNI.aktj_ctx_reply_expected(h);
        if (rc < 0) {
            check(rc, "replyExpected");
        }
        return rc == 1;
    }

    /**
     * The sender of the current message, or null when it came from outside any actor.
     *
     * @return the sender, or null
     */
    public Pid sender() {
        long h = live();
        long[] out = new long[1];
        check(AktNativeJNI.akt_ctx_sender(h, out), "sender");
        return pid(out[0]);
    }

    /**
     * This actor's parent (a system guardian for top-level actors).
     *
     * @return the parent's pid
     */
    public Pid parent() {
        long h = live();
        long[] out = new long[1];
        check(AktNativeJNI.akt_ctx_parent(h, out), "parent");
        return pid(out[0]);
    }

    /**
     * The system this actor lives in.
     *
     * @return the system
     */
    public ActorSystem system() {
        return cell.system;
    }

    /**
     * The id of the current message's registered type ({@link ActorSystem#registerType(String)}):
     * the same for a message made with the type's handle, from its name, or in another
     * language; 0 for a type nobody registered. A receive can switch on it with one integer
     * compare instead of comparing type names.
     *
     * @return the type's id (1 to 4095), or 0
     * @throws IllegalStateException outside the callback that got this Context, or in a
     *         callback that handles no message (preStart, postStop)
     */
    public int typeId() {
        long h = live();
        int id = AktNativeJNI.aktj_ctx_type_id(h);
        if (id < 0) {
            check(id, "typeId");
        }
        return id;
    }

    // ---- messages ---------------------------------------------------------------------------

    /**
     * Answers the current message: completes the asker's future, or tells the sender (with
     * this actor as sender). When nobody waits for the answer (a tell from outside any actor,
     * an ask that timed out, a sender that stopped) it goes to dead letters, with the reason
     * in the event, and the actor goes on; see {@link #replyExpected()}.
     *
     * @param reply the answer (a message akt can carry)
     * @throws IllegalStateException outside the callback that got this Context
     */
    public void respond(Object reply) {
        Objects.requireNonNull(reply, "reply");
        long h = live();
        int rc;
        if (reply instanceof BytesMessage) {
            long m = Messages.toNative(reply);
            rc = AktNativeJNI.akt_ctx_respond(h, m);
            if (rc != 0) {
                AktNativeJNI.akt_msg_release(m);
            }
        } else {
            rc = AktNativeJNI.aktj_ctx_respond(h, reply, Messages.typeOf(reply));
        }
        respondCheck(rc, reply);
    }

    /**
     * PipeTo to self: see {@link #pipeTo(Pid, Supplier, Duration, CircuitBreaker)}.
     *
     * @param task called once the pipe is accepted; gives the stage whose value is sent
     */
    public void pipeTo(java.util.function.Supplier<? extends java.util.concurrent.CompletionStage<?>> task) {
        pipeTo(self(), task, null, null);
    }

    /**
     * PipeTo: calls task (only once the pipe is accepted) and tells the value its stage
     * completes with to {@code to}, with this actor as the sender. A failed stage, the
     * timeout (null: none) passing first, or a target that is gone is a dead letter with its
     * reason; with a breaker (may be null) the outcome is recorded, and while it is open this
     * throws {@link BreakerOpenException} and task is not called.
     *
     * @param to the target of the value
     * @param task called once the pipe is accepted; gives the stage whose value is sent
     * @param timeout the longest the stage may take, or null for no limit
     * @param breaker the circuit breaker that records the outcome, or null
     * @throws IllegalArgumentException for a negative timeout
     * @throws BreakerOpenException if the breaker is open
     */
    public void pipeTo(Pid to, java.util.function.Supplier<? extends java.util.concurrent.CompletionStage<?>> task,
                       java.time.Duration timeout, CircuitBreaker breaker) {
        Objects.requireNonNull(to, "to");
        pipe(to.id(), null, task, timeout, breaker);
    }

    /**
     * As {@link #pipeTo(Pid, Supplier, Duration, CircuitBreaker)}, to the actor at path, looked
     * up when the stage completes.
     *
     * @param path the target's path
     * @param task called once the pipe is accepted; gives the stage whose value is sent
     * @param timeout the longest the stage may take, or null for no limit
     * @param breaker the circuit breaker that records the outcome, or null
     * @throws IllegalArgumentException for a negative timeout
     * @throws BreakerOpenException if the breaker is open
     */
    public void pipeToName(String path, java.util.function.Supplier<? extends java.util.concurrent.CompletionStage<?>> task,
                           java.time.Duration timeout, CircuitBreaker breaker) {
        Objects.requireNonNull(path, "path");
        pipe(0, path, task, timeout, breaker);
    }

    private void pipe(long to, String path,
                      java.util.function.Supplier<? extends java.util.concurrent.CompletionStage<?>> task,
                      java.time.Duration timeout, CircuitBreaker breaker) {
        Objects.requireNonNull(task, "task");
        long h = live();
        long ns = timeout == null ? 0 : timeout.toNanos();
        if (ns < 0) {
            throw new IllegalArgumentException("akt: a pipe timeout is >= 0, not " + timeout);
        }
        long[] out = new long[1];
        int rc = AktNativeJNI.aktj_ctx_pipe_start(h, to, path, ns, breaker != null ? breaker.handle : 0, out);
        if (rc != 0 && breaker != null && rc == Errors.code("EBUSY")) {
            throw new BreakerOpenException(rc, "akt: circuit breaker is open: the task was not started");
        }
        check(rc, "pipeTo");
        long pipe = out[0];
        long sys = cell.system.handle;
        java.util.concurrent.CompletionStage<?> stage;
        try {
            stage = Objects.requireNonNull(task.get(), "the task's stage");
        } catch (RuntimeException | Error e) {
            AktNativeJNI.aktj_pipe_complete(pipe, Errors.EFAILED, 0);
            throw e;
        }
        stage.whenComplete((v, err) -> {
            if (err != null || v == null) {
                AktNativeJNI.aktj_pipe_complete(pipe, Errors.EFAILED, 0);
                return;
            }
            long m;
            try {
                m = Messages.toNative(v);
            } catch (RuntimeException | Error e) {
                AktNativeJNI.aktj_pipe_complete(pipe, Errors.EFAILED, 0);
                return;
            }
            // A result the target (a C actor) cannot read fails the pipe: a dead letter.
            AktNativeJNI.aktj_pipe_deliver(sys, pipe, to, path, m);
        });
    }

    /**
     * Tells {@code to} with this actor as the sender (same as {@code to.tell(msg)} here).
     *
     * @param to the target
     * @param msg the message (a message akt can carry)
     * @throws ActorNotFoundException if to is not alive
     * @throws MailboxFullException if to's bounded mailbox is full
     */
    public void tell(Pid to, Object msg) {
        Objects.requireNonNull(to, "to");
        live();
        to.tell(msg);
    }

    /**
     * Tells a typed reference with this actor as the sender: the compiler lets only M through
     * (and the reference checks msg's class at run time, see {@link ActorRef#tell}).
     *
     * @param <M> the type of the messages the target accepts
     * @param to the target
     * @param msg the message
     * @throws NullPointerException if to or msg is null
     * @throws ClassCastException if msg is not an instance of the reference's message class
     * @throws ActorNotFoundException if to is not alive
     */
    public <M> void tell(ActorRef<M> to, M msg) {
        Objects.requireNonNull(to, "to");
        tell(to.pid(), to.checked(msg));
    }

    /**
     * Responds with headers: {@code ctx.respond(reply, ctx.headers())} carries the request's
     * headers back to the asker (limits as {@link Pid#tell(Object, Map)}).
     *
     * @param reply the answer (a message akt can carry)
     * @param headers the answer's headers
     * @throws IllegalArgumentException for headers beyond the limits
     */
    public void respond(Object reply, Map<String, String> headers) {
        Objects.requireNonNull(reply, "reply");
        Objects.requireNonNull(headers, "headers");
        long h = live();
        String[] keys = headers.keySet().toArray(new String[0]);
        String[] values = headers.values().toArray(new String[0]);
        int rc;
        if (reply instanceof BytesMessage) {
            long m = Messages.toNative(reply);
            rc = AktNativeJNI.aktj_msg_set_headers(m, keys, values);
            if (rc == 0) {
                rc = AktNativeJNI.akt_ctx_respond(h, m);
            }
            if (rc != 0) {
                AktNativeJNI.akt_msg_release(m);
            }
        } else {
            rc = AktNativeJNI.aktj_ctx_respond_headers(h, reply, Messages.typeOf(reply), keys, values);
        }
        if (rc == Errors.EINVAL) {
            throw new IllegalArgumentException("akt: bad headers " + headers.keySet());
        }
        respondCheck(rc, reply);
    }

    /**
     * Tells {@code to} with headers, this actor as the sender (see {@link Pid#tell(Object, Map)}).
     *
     * @param to the target
     * @param msg the message (a message akt can carry)
     * @param headers the message's headers
     */
    public void tell(Pid to, Object msg, Map<String, String> headers) {
        Objects.requireNonNull(to, "to");
        live();
        to.tell(msg, headers);
    }

    /**
     * The headers of the current message (a new map in the order they were set; empty when
     * it has none, and in preStart / postStop).
     *
     * @return the headers, a new modifiable map
     */
    public Map<String, String> headers() {
        Object[] kv = AktNativeJNI.aktj_ctx_headers(live());
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (kv != null) {
            for (int i = 0; i + 1 < kv.length; i += 2) {
                out.put((String) kv[i], (String) kv[i + 1]);
            }
        }
        return out;
    }

    /**
     * An extension given to the system ({@link ActorSystem.Builder#extension}).
     *
     * @param name the extension's name
     * @return the extension's value
     * @throws java.util.NoSuchElementException if there is none by that name
     */
    public Object extension(String name) {
        Objects.requireNonNull(name, "name");
        Object value = AktNativeJNI.aktj_ctx_extension(live(), name);
        if (value == null) {
            throw new java.util.NoSuchElementException("akt: no extension named '" + name + "'");
        }
        return value;
    }

    /**
     * {@link #extension(String)} cast to type.
     *
     * @param <T> the extension's type
     * @param name the extension's name
     * @param type the class the value is cast to
     * @return the extension's value
     * @throws java.util.NoSuchElementException if there is none by that name
     * @throws ClassCastException if the value is not an instance of type
     */
    public <T> T extension(String name, Class<T> type) {
        return type.cast(extension(name));
    }

    /**
     * Asks {@code to} with this actor as the sender. Do not block on the future here:
     * use {@link #pipeToSelf} to get the answer as a message.
     *
     * @param to the actor asked
     * @param msg the question (a message akt can carry)
     * @param timeout how long to wait for the answer, positive
     * @return a future completed with the answer, or exceptionally (e.g. {@link AskTimeoutException})
     */
    public CompletableFuture<Object> ask(Pid to, Object msg, Duration timeout) {
        Objects.requireNonNull(to, "to");
        long h = live();
        return to.ask(to.system == cell.system ? h : 0, msg, timeout);
    }

    /**
     * Asks a typed reference with this actor as the sender (see {@link #ask(Pid, Object,
     * Duration)}), the reply cast to replyType.
     *
     * @param <M> the type of the messages the target accepts
     * @param <R> the reply's type
     * @param to the actor asked
     * @param msg the question
     * @param timeout how long to wait for the answer, positive
     * @param replyType the class of the answer (another class fails the future with
     *     ClassCastException)
     * @return a future completed with the answer, or exceptionally
     * @throws NullPointerException if to, msg, timeout or replyType is null
     * @throws ClassCastException if msg is not an instance of the reference's message class
     */
    public <M, R> CompletableFuture<R> ask(ActorRef<M> to, M msg, Duration timeout, Class<R> replyType) {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(replyType, "replyType");
        return ask(to.pid(), to.checked(msg), timeout).thenApply(replyType::cast);
    }

    /**
     * When stage completes, tells this actor {@code mapper.apply(value, error)} (if not null),
     * so the result is handled as a message, on the actor's own turn.
     *
     * @param <T> the stage's value
     * @param stage the stage to wait for, from any thread
     * @param mapper gives the message for the value or the error (the other one null); null sends nothing
     */
    public <T> void pipeToSelf(CompletionStage<T> stage, BiFunction<? super T, Throwable, ?> mapper) {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(mapper, "mapper");
        Pid self = self();
        stage.whenComplete((value, error) -> {
            Object msg = mapper.apply(value, error);
            if (msg != null) {
                try {
                    self.tell(msg); // from whichever thread completed the stage
                } catch (ActorNotFoundException gone) {
                    // the actor stopped meanwhile: like any tell to a stopped actor, dropped
                }
            }
        });
    }

    /**
     * Asks {@code to} without blocking the actor: the stage completes later <b>on this
     * actor's own turn</b>, with this Context live, so stages added to it here (thenAccept,
     * whenComplete...) run there too, never beside receive. {@code timeout} null or zero
     * means none ({@link AskTimeoutException} after it). What the actor does meanwhile is its
     * {@link Props#withReentrancy} mode, or {@code mode} when not null. A stop or restart
     * cancels the requests in flight: their stages never complete.
     *
     * @throws AktException BUSY beyond {@link Props#withMaxInFlight}, NOTFOUND for a stopped actor
     * @param to the actor asked
     * @param msg the question (a message akt can carry)
     * @param timeout the longest wait, or null or zero for none
     * @param mode the reentrancy of this request, or null for the actor's own
     * @return the answer's stage, completed on this actor's turn
     * @throws IllegalArgumentException for a negative timeout
     */
    public CompletionStage<Object> request(Pid to, Object msg, Duration timeout, Reentrancy mode) {
        Objects.requireNonNull(to, "to");
        return request(to, null, msg, timeout, mode);
    }

    /**
     * {@link #request(Pid, Object, Duration, Reentrancy)} to the actor that has the name
     * {@code name} (GoAkt's RequestName): any path {@link ActorSystem#lookup} reads
     * ({@code "orders"}, {@code "parent/child"}, {@code "/user/orders"},
     * {@code "akt://<system>/user/orders"}), resolved when the call is made, so an actor
     * spawned under that name later does not get this request.
     *
     * @param name the asked actor's name or path
     * @param msg the question (a message akt can carry)
     * @param timeout the longest wait, or null or zero for none
     * @param mode the reentrancy of this request, or null for the actor's own
     * @return the answer's stage, completed on this actor's turn
     * @throws ActorNotFoundException if no live actor has that name
     * @throws AktException INVAL for an empty name, BUSY beyond {@link Props#withMaxInFlight}
     * @throws IllegalArgumentException for a negative timeout
     */
    public CompletionStage<Object> request(String name, Object msg, Duration timeout, Reentrancy mode) {
        Objects.requireNonNull(name, "name");
        return request(null, name, msg, timeout, mode);
    }

    /**
     * {@link #request(String, Object, Duration, Reentrancy)} in the actor's own mode.
     *
     * @param name the asked actor's name or path
     * @param msg the question (a message akt can carry)
     * @param timeout the longest wait, or null or zero for none
     * @return the answer's stage, completed on this actor's turn
     * @throws ActorNotFoundException if no live actor has that name
     */
    public CompletionStage<Object> request(String name, Object msg, Duration timeout) {
        return request(name, msg, timeout, null);
    }

    /* A request to the pid to, or to the actor named name when to is null. */
    private CompletionStage<Object> request(Pid to, String name, Object msg, Duration timeout,
                                            Reentrancy mode) {
        Objects.requireNonNull(msg, "msg");
        long h = live();
        long ns = timeout == null ? 0 : timeout.toNanos();
        if (ns < 0) {
            throw new IllegalArgumentException("akt: a request timeout must be >= 0, not " + timeout);
        }
        RequestFuture f = new RequestFuture();
        long id = cell.addRequest(f);
        long m = Messages.toNative(msg);
        long[] out = new long[1];
        int code = mode != null ? mode.code : 0;
        int rc = to != null
                ? AktNativeJNI.aktj_ctx_request(h, to.id, m, cell, id, ns, code, out)
                : AktNativeJNI.aktj_ctx_request_named(h, name, m, cell, id, ns, code, out);
        if (rc != 0) {
            cell.dropRequest(id);
            AktNativeJNI.akt_msg_release(m);
            check(rc, to != null ? "request to " + to : "request to '" + name + "'");
        }
        f.handle = out[0];
        return f;
    }

    /** A request's stage, with akt's handle for {@link #cancelRequest}. */
    static final class RequestFuture extends CompletableFuture<Object> {
        long handle;
    }

    /**
     * Cancels a request of this actor still in flight (best effort): its stage then
     * completes exceptionally (cancelled) on a later turn, unless the answer came first.
     * True while it was in flight, false once it is over or for a stage that is not a
     * request of this actor.
     *
     * @param request a stage {@link #request} returned
     * @return true if the request was still in flight
     */
    public boolean cancelRequest(CompletionStage<?> request) {
        Objects.requireNonNull(request, "request");
        long h = live();
        if (!(request instanceof RequestFuture rf) || rf.handle == 0) {
            return false;
        }
        int rc = AktNativeJNI.aktj_request_cancel(h, rf.handle);
        if (rc == Errors.ENOTFOUND) {
            return false;
        }
        check(rc, "cancelRequest");
        return true;
    }

    /**
     * {@link #request(Pid, Object, Duration, Reentrancy)} in the actor's own mode.
     *
     * @param to the actor asked
     * @param msg the question (a message akt can carry)
     * @param timeout the longest wait, or null or zero for none
     * @return the answer's stage, completed on this actor's turn
     */
    public CompletionStage<Object> request(Pid to, Object msg, Duration timeout) {
        return request(to, msg, timeout, null);
    }

    /**
     * Forwards the current message to {@code to}, keeping its sender and asker.
     *
     * @param to the target
     */
    public void forward(Pid to) {
        Objects.requireNonNull(to, "to");
        check(AktNativeJNI.akt_ctx_forward(live(), to.id), "forward to " + to);
    }

    /** Marks the current message unhandled: published as an unhandled event; an asker
     *  gets {@link UnhandledMessageException}. */
    public void unhandled() {
        check(AktNativeJNI.akt_ctx_unhandled(live()), "unhandled");
    }

    // ---- children and lifecycle ---------------------------------------------------------------

    /**
     * Spawns a child named {@code name} (null: an anonymous name).
     *
     * @param name the child's name (no '/'), or null
     * @param actor the child's behaviour
     * @return the child's pid
     * @throws ActorNameTakenException if a live child has this name
     */
    public Pid spawn(String name, Actor actor) {
        return spawn(name, Props.of(actor));
    }

    /**
     * Spawns a typed child (see {@link ActorSystem#spawn(String, TypedActor)}) and returns a
     * typed reference to it.
     *
     * @param <M> the type of the messages the child accepts
     * @param name the child's name (no '/'), or null
     * @param actor the child's behaviour
     * @return a typed reference to the child
     * @throws NullPointerException if actor is null
     * @throws ActorNameTakenException if a live child has this name
     */
    public <M> ActorRef<M> spawn(String name, TypedActor<M> actor) {
        Objects.requireNonNull(actor, "actor");
        return new ActorRef<>(spawn(name, Props.of(actor)), actor.messageClass());
    }

    /**
     * Spawns a child from props; a new instance is made on each restart if props has a factory.
     *
     * @param name the child's name (no '/'), or null
     * @param props the child and its options
     * @return the child's pid
     * @throws ActorNameTakenException if a live child has this name
     */
    public Pid spawn(String name, Props props) {
        Objects.requireNonNull(props, "props");
        return cell.system.spawn(live(), name, props);
    }

    /** Stops this actor (asynchronously: children first, then postStop). */
    public void stop() {
        long h = live();
        long[] self = new long[1];
        check(AktNativeJNI.akt_ctx_self(h, self), "self");
        check(AktNativeJNI.akt_ctx_stop(h, self[0]), "stop");
    }

    /**
     * Stops this actor or one of its children; IllegalArgumentException for others.
     *
     * @param pid this actor or one of its children
     */
    public void stop(Pid pid) {
        Objects.requireNonNull(pid, "pid");
        int rc = AktNativeJNI.akt_ctx_stop(live(), pid.id);
        if (rc == Errors.EINVAL) {
            throw new IllegalArgumentException("akt: " + pid + " is not this actor or one of its"
                    + " children; use Pid.stop");
        }
        check(rc, "stop " + pid);
    }

    // ---- behaviour ------------------------------------------------------------------------------

    /**
     * From the next message on, {@code behavior} handles messages (replaces all pushed ones).
     *
     * @param behavior the new behaviour
     */
    public void become(Behavior behavior) {
        Objects.requireNonNull(behavior, "behavior");
        live();
        cell.become(behavior, false);
    }

    /**
     * Pushes {@code behavior}; {@link #unbecomeStacked()} returns to the one below.
     *
     * @param behavior the behaviour pushed
     */
    public void becomeStacked(Behavior behavior) {
        Objects.requireNonNull(behavior, "behavior");
        live();
        cell.become(behavior, true);
    }

    // ft begin: async behaviours
    /** {@link #become(Behavior)} for a handler returning a stage (see {@link AsyncBehavior}):
     *  the next messages go to it, each kept until its stage completes.
     *
     * @param behavior the handler of the next messages
     * @throws IllegalStateException outside this actor's turn
     */
    public void becomeAsync(AsyncBehavior behavior) {
        become(behavior);
    }

    /**
     * {@link #becomeStacked(Behavior)} for a handler returning a stage.
     *
     * @param behavior the handler pushed on top of the current one
     * @throws IllegalStateException outside this actor's turn
     */
    public void becomeStackedAsync(AsyncBehavior behavior) {
        becomeStacked(behavior);
    }
    // ft end

    /** Back to the actor's own {@link Actor#receive}. */
    public void unbecome() {
        live();
        cell.unbecome();
    }

    /** Pops one pushed behaviour; IllegalStateException if none is pushed. */
    public void unbecomeStacked() {
        live();
        cell.unbecomeStacked();
    }

    /** Keeps the current message for later. */
    public void stash() {
        check(AktNativeJNI.akt_ctx_stash(live()), "stash");
    }

    /**
     * Puts the oldest stashed message back in front of the mailbox; false if none.
     *
     * @return true if a message was put back
     */
    public boolean unstash() {
        int rc = AktNativeJNI.akt_ctx_unstash(live());
        if (rc == Errors.EAGAIN) {
            return false;
        }
        check(rc, "unstash");
        return true;
    }

    /** Puts every stashed message back in front of the mailbox, in order. */
    public void unstashAll() {
        check(AktNativeJNI.akt_ctx_unstash_all(live()), "unstashAll");
    }

    // ---- death watch and dependencies -------------------------------------------------------

    /**
     * This actor gets {@link Terminated} when pid stops (at once if it is gone already).
     *
     * @param pid the actor watched
     */
    public void watch(Pid pid) {
        Objects.requireNonNull(pid, "pid");
        check(AktNativeJNI.akt_ctx_watch(live(), pid.id), "watch " + pid);
    }

    /**
     * Stops watching pid: no {@link Terminated} for it comes after this.
     *
     * @param pid an actor this one watches
     * @throws ActorNotFoundException if this actor does not watch pid
     */
    public void unwatch(Pid pid) {
        Objects.requireNonNull(pid, "pid");
        check(AktNativeJNI.akt_ctx_unwatch(live(), pid.id), "unwatch " + pid);
    }

    /**
     * A dependency given at spawn ({@link Props#withDependency}).
     *
     * @param name the dependency's name
     * @return the dependency's value
     * @throws java.util.NoSuchElementException if there is none by that name
     */
    public Object dependency(String name) {
        Objects.requireNonNull(name, "name");
        Object value = AktNativeJNI.aktj_ctx_dependency(live(), name);
        if (value == null) {
            throw new java.util.NoSuchElementException("akt: no dependency named '" + name + "'");
        }
        return value;
    }

    /**
     * {@link #dependency(String)} cast to type.
     *
     * @param <T> the dependency's type
     * @param name the dependency's name
     * @param type the class the value is cast to
     * @return the dependency's value
     * @throws java.util.NoSuchElementException if there is none by that name
     * @throws ClassCastException if the value is not an instance of type
     */
    public <T> T dependency(String name, Class<T> type) {
        return type.cast(dependency(name));
    }

    /** Used by the cell: records a failure's reason, {@code "<class>: <message>"} as
     *  {@link Throwable#toString()} writes it (as every binding does), and gives an asker
     *  the Throwable itself; returns AKT_EFAILED. */
    int fail(Throwable t) {
        String reason;
        try {
            reason = t.toString();
        } catch (RuntimeException e) { // a toString() of its own that throws
            reason = t.getClass().getName();
        }
        if (reason.length() > 1000) {
            reason = reason.substring(0, 1000);
        }
        SupervisorStrategy.remember(reason, t.getClass()); // for the parent's rules
        long detail = AktNativeJNI.aktj_ctx_reply_expected(handle) == 1
                ? AktNativeJNI.aktj_msg_new_object(t, Messages.typeOf(t)) : 0;
        try {
            return AktNativeJNI.akt_ctx_fail_with(handle, reason, detail);
        } finally {
            if (detail != 0) {
                AktNativeJNI.akt_msg_release(detail);
            }
        }
    }
}
