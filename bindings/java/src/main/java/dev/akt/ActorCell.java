package dev.akt;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The Java half of one actor: akt holds it (a global reference) as the actor's state and
 * calls it through {@link Upcalls}. Its methods run one at a time on a worker thread, so
 * nothing here is synchronized. The behaviour stack lives here too: become only changes
 * which Java handler the next message goes to, so it needs no native call.
 */
final class ActorCell {
    final ActorSystem system;
    private final java.util.Comparator<Object> comparator; // a priority mailbox's, else null
    private final Supplier<? extends Actor> factory;
    private Actor actor;
    private final Context context = new Context(this);
    /** Pushed behaviours, top last; empty means the actor's own receive. */
    private final ArrayDeque<Behavior> behaviors = new ArrayDeque<>(0);
    private Behavior top;
    private boolean started;
    /** Requests in flight by id ({@link Context#request}); owner-only like the rest. */
    private final Map<Long, CompletableFuture<Object>> requests = new HashMap<>();
    private long nextRequest;
    /** Async receive: the outcomes of completed stages by step id, put by whichever thread
     *  completed the stage and taken by the step on the actor's turn. */
    private final Map<Long, Object[]> outcomes = new ConcurrentHashMap<>();
    private final AtomicLong nextStep = new AtomicLong();

    /** Registers the future of a new request; its id for the native side. */
    long addRequest(CompletableFuture<Object> f) {
        long id = ++nextRequest;
        requests.put(id, f);
        return id;
    }

    void dropRequest(long id) {
        requests.remove(id);
    }

    /** A request's answer, on the actor's turn: the future completes here, with the Context
     *  entered, so stages registered on it in receive run now and may use it. */
    int settle(long ctx, long id, int rc, Object obj, long msg) {
        CompletableFuture<Object> f = requests.remove(id);
        if (f == null) {
            return 0;
        }
        return guarded(ctx, "a request's continuation", c -> {
            if (rc != 0) {
                f.completeExceptionally(Errors.of(rc, "request"));
            } else {
                f.complete(obj != null ? obj : msg != 0 ? Messages.fromNative(system, msg) : null);
            }
        });
    }

    /**
     * A priority mailbox's order (Upcalls.compare, from akt's comparator on the thread that
     * runs this actor): the sign of the comparator's answer on the two messages' values. What
     * it throws is logged and counts as equal (arrival order), so no message is lost.
     */
    int compareMessages(Object oa, long ma, Object ob, long mb) {
        try {
            Object a = oa != null ? oa : Messages.fromNative(system, ma);
            Object b = ob != null ? ob : Messages.fromNative(system, mb);
            return Integer.signum(comparator.compare(a, b));
        } catch (Throwable t) {
            system.logFailure(describe(context), "mailbox compare", t);
            return 0;
        }
    }

    ActorCell(ActorSystem system, Props props) {
        this.system = system;
        this.comparator = props.mailbox != null ? props.mailbox.comparator : null;
        this.factory = props.factory;
        this.actor = props.instance != null ? props.instance : newActor(props.factory);
    }

    /** The class of the actor (its kind by default), or null for a lambda (a hidden class,
     *  named after no type of the program) or a name too long for a kind. */
    String actorClassName() {
        Class<?> c = actor.getClass();
        if (c.isHidden() || c.isSynthetic()) return null;
        String n = c.getName();
        return n.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 255 ? n : null;
    }

    private static Actor newActor(Supplier<? extends Actor> factory) {
        Actor a = factory.get();
        if (a == null) {
            throw new NullPointerException("akt: the Props factory returned null");
        }
        return a;
    }

    /** Code that akt runs on this actor and whose exception is the actor's failure. */
    @FunctionalInterface
    private interface Callback {
        void run(Context c) throws Exception;
    }

    /**
     * Runs body with the Context entered: 0 when it returns, the failure's code when it
     * throws. receive, receiveBatch and preStart differ only in their body; postStop does not
     * come here: its failure is a warning (not an error) and the actor stops anyway.
     */
    private int guarded(long ctx, String where, Callback body) {
        Context c = context;
        c.enter(ctx);
        try {
            body.run(c);
            return 0;
        } catch (Throwable t) {
            return fail(c, where, t);
        } finally {
            c.exit();
        }
    }

    /** One message (akt's receive). The lambda capturing it costs an allocation at most:
     *  akt sends user messages through receiveBatch, so this path is the rare one. */
    int receive(long ctx, Object obj, long msg) {
        return guarded(ctx, "receive", c -> dispatch(c, obj != null ? obj : Messages.fromNative(system, msg)));
    }

    /**
     * A run of messages in one upcall (akt's receive_batch): each pull finishes the previous
     * message in akt and returns the next, until akt ends the run (budget spent, mailbox
     * empty, a stop or system message waiting). A failure is the current message's.
     */
    int receiveBatch(long ctx) {
        return guarded(ctx, "receive", c -> {
            for (long code; (code = AktNativeJNI.aktj_ctx_next_code(ctx)) != 0; ) {
                // A Java object is read from its slot here, without a JNI reference; any
                // other message is asked for.
                Object obj = code > 0 ? Slots.get(code) : AktNativeJNI.aktj_ctx_current(ctx);
                dispatch(c, obj != Upcalls.NATIVE_MESSAGE ? obj
                        : Messages.fromNative(system, AktNativeJNI.aktj_ctx_current_msg(ctx)));
            }
        });
    }

    private void dispatch(Context c, Object m) throws Exception {
        Behavior b = top;
        if (b instanceof AsyncBehavior ab) {
            await(c, ab.receiveAsync(c, m));
        } else if (b != null) {
            b.receive(c, m);
        } else if (actor instanceof AsyncActor a) {
            await(c, a.receiveAsync(c, m));
        } else {
            actor.receive(c, m);
        }
    }

    /** An async receive's stage: done already, its outcome now; else akt keeps the message
     *  (suspended) and the stage's completion posts the step that finishes it. */
    private void await(Context c, CompletionStage<?> stage) throws Exception {
        if (stage == null) {
            return;
        }
        CompletableFuture<?> f = null;
        try {
            f = stage.toCompletableFuture();
        } catch (UnsupportedOperationException e) {
            // a stage without a future view: wait for its completion below
        }
        if (f != null && f.isDone()) {
            Object v;
            try {
                v = f.get();
            } catch (ExecutionException e) {
                throw rethrow(e.getCause());
            }
            finish(c, v);
            return;
        }
        long[] out = new long[2];
        c.check(AktNativeJNI.aktj_ctx_suspend(c.handle, out), "an async receive");
        long pid = out[0];
        long sid = out[1];
        stage.whenComplete((v, e) -> resumed(pid, sid, v, e));
    }

    /** A stage completed (any thread): the step that finishes its message, on the turn. */
    private void resumed(long pid, long sid, Object v, Throwable e) {
        long id = nextStep.incrementAndGet();
        outcomes.put(id, new Object[] {v, e});
        int rc = AktNativeJNI.aktj_suspension_post(system.handle, pid, sid, this, id);
        if (rc != 0) {
            outcomes.remove(id);
            if (e != null) {
                system.log(System.Logger.Level.WARNING, "an async receive failed after its system closed", e);
            }
        }
    }

    /** The step of a completed stage (Upcalls.step), on the actor's turn. */
    int step(long ctx, long id) {
        Object[] o = outcomes.remove(id);
        if (o == null) {
            return 0;
        }
        return guarded(ctx, "receive", c -> {
            if (o[1] != null) {
                throw rethrow((Throwable) o[1]);
            }
            finish(c, o[0]);
        });
    }

    /** The value of an async receive's stage is the answer, when someone waits for one. */
    private static void finish(Context c, Object v) {
        if (v != null && c.replyExpected()) {
            c.respond(v);
        }
    }

    private static Exception rethrow(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return cause instanceof Exception e ? e : new RuntimeException(cause);
    }

    int preStart(long ctx) {
        return guarded(ctx, "preStart", c -> {
            behaviors.clear();
            top = null;
            requests.clear(); // a restart: akt cancelled them, they never complete
            outcomes.clear(); // and dropped the suspended messages: their steps never run
            if (started && factory != null) {
                actor = newActor(factory); // a restart: a fresh instance, as Props promised
            }
            started = true;
            actor.preStart(c);
        });
    }

    void postStop(long ctx) {
        Context c = context;
        c.enter(ctx);
        try {
            actor.postStop(c);
        } catch (Throwable t) {
            // The actor stops anyway: a warning, and a failure for akt (an ACTOR_FAILED event),
            // as a C actor's akt_ctx_fail in post_stop is.
            system.log(System.Logger.Level.WARNING, "actor " + describe(c) + " (" + actor.getClass().getName()
                    + ") failed in postStop, stopping anyway", t);
            c.fail(t);
        } finally {
            c.exit();
        }
    }

    /** The failure of a callback: logged (see ActorSystem), then akt's supervisor's. */
    private int fail(Context c, String where, Throwable t) {
        system.logFailure(describe(c), where, t);
        int rc = c.fail(t);
        return rc < 0 ? rc : Errors.EFAILED;
    }

    /** The actor's path for a report (its pid if the path cannot be had). */
    private static String describe(Context c) {
        try {
            return c.self().toString();
        } catch (RuntimeException e) {
            return "(unknown: " + e + ")";
        }
    }

    void become(Behavior b, boolean stacked) {
        if (!stacked) {
            behaviors.clear();
        }
        behaviors.addLast(b);
        top = b;
    }

    void unbecome() {
        behaviors.clear();
        top = null;
    }

    void unbecomeStacked() {
        if (behaviors.isEmpty()) {
            throw new IllegalStateException("akt: unbecomeStacked with no pushed behaviour");
        }
        behaviors.removeLast();
        top = behaviors.peekLast();
    }
}
