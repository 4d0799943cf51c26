package dev.akt;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The only methods akt's native callbacks call (ids cached in JNI_OnLoad; see
 * native/aktj_jvm.c for the signatures). None of them lets an exception escape into C.
 */
final class Upcalls {
    /** Returned by the native pull of a run for a message that is not a Java object. */
    static final Object NATIVE_MESSAGE = new Object();

    private Upcalls() {}

    static int receive(Object cell, long ctx, Object obj, long msg) {
        return ((ActorCell) cell).receive(ctx, obj, msg);
    }

    /** A priority mailbox's comparator: (obj, msg) per message as in receive. */
    static int compare(Object cell, Object oa, long ma, Object ob, long mb) {
        return ((ActorCell) cell).compareMessages(oa, ma, ob, mb);
    }

    static int receiveBatch(Object cell, long ctx) {
        return ((ActorCell) cell).receiveBatch(ctx);
    }

    static int settle(Object cell, long ctx, long id, int rc, Object obj, long msg) {
        return ((ActorCell) cell).settle(ctx, id, rc, obj, msg);
    }

    static int step(Object cell, long ctx, long step) {
        return ((ActorCell) cell).step(ctx, step);
    }

    static int preStart(Object cell, long ctx) {
        return ((ActorCell) cell).preStart(ctx);
    }

    static void postStop(Object cell, long ctx) {
        ((ActorCell) cell).postStop(ctx);
    }

    static int decide(Object strategy, int code, String reason) {
        return ((SupervisorStrategy) strategy).decide(code, reason);
    }

    /** An ask (or a shutdown, or a graceful stop) completed; msg is borrowed for the call. */
    @SuppressWarnings("unchecked")
    /** A future completed: the reply (obj, or the native msg), or for a failed ask the
     *  receiver's reason and its Throwable in obj when it was a Java actor of this JVM. */
    static void complete(Object future, int rc, Object obj, long msg, String reason) {
        CompletableFuture<Object> f = (CompletableFuture<Object>) future;
        // An ask's dependent stages run on the thread that waits for it in get or join, or
        // else on its system's completion executor (a Java pool by default): AskFuture.
        // Shutdown and graceful-stop futures complete here, on the akt thread.
        try {
            // The outcome is read here (msg is borrowed for this call only); completing the
            // future, which runs its dependent stages, is the executor's job.
            Throwable error = null;
            Object value = null;
            try {
                if (rc != 0) {
                    String what = future instanceof AskFuture af ? af.what() : "reply";
                    error = Errors.failed(rc, what, reason, obj instanceof Throwable t ? t : null);
                } else {
                    value = obj != null ? obj : msg != 0 ? Messages.fromNative(null, msg) : null;
                    if (future instanceof AskFuture af) {
                        value = af.typed(value);
                    }
                }
            } catch (Throwable t) {
                error = t;
            }
            Executor ex = future instanceof AskFuture af && af.cancelling != Thread.currentThread()
                    ? af.completions : null;
            Throwable e = error;
            Object v = value;
            Runnable settle = () -> {
                if (e != null) {
                    f.completeExceptionally(e);
                } else {
                    f.complete(v);
                }
            };
            if (ex == null) {
                settle.run();
            } else if (!((AskFuture) future).handToWaiter(settle)) {
                try {
                    ex.execute(settle);
                } catch (RejectedExecutionException rejected) {
                    settle.run(); // an executor shut down by the application: complete here
                }
            }
        } catch (Throwable t) {
            f.completeExceptionally(t);
        } finally {
            // An ask's reference to akt's future goes once it completed (or once the last
            // wait or cancel that borrowed it gave it back).
            if (future instanceof AskFuture a) {
                a.close();
            }
        }
    }

    static void event(Object sink, int kind, long pid, String path, long sender, Object obj, long msg,
                      int code, String reason) {
        EventSink s = (EventSink) sink;
        try {
            s.onEvent(kind, pid, path, sender, obj, msg, code, reason);
        } catch (Throwable t) {
            s.system.log(System.Logger.Level.WARNING, "an event listener of " + s.system + " threw", t);
        }
    }

    /** A new chunk of message slots (native/aktj_slots.c), before any of its slots is used. */
    static void slotChunk(int id, Object[] chunk) {
        Slots.register(id, chunk);
    }

    /** A grain's new activation: its cell, or null if the kind's factory failed. */
    static Object grainActivate(Object kind, String name) {
        return ((GrainKind) kind).cell(name);
    }

    // local begin:
    /** The system's propagator: the header pairs to add to a message at its first send. */
    static String[] propagate(Object propagation, String[] headers) {
        return ((Propagation) propagation).inject(headers);
    }
    // local end

    static byte[] toBytes(Object obj) {
        return Messages.toBytes(obj);
    }
}
