package dev.akt;

import static dev.akt.internal.AktNativeConstants.AKT_EFAILED;

import dev.akt.internal.AktNativeJNI;
import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * The Java half of one actor: akt holds it (a global reference) as the actor's state and
 * calls it through {@link Upcalls}. Its methods run one at a time on a worker thread, so
 * nothing here is synchronized. The behaviour stack lives here too: become only changes
 * which Java handler the next message goes to, so it needs no native call.
 */
final class ActorCell {
    final ActorSystem system;
    private final Supplier<? extends Actor> factory;
    private Actor actor;
    private final Context context = new Context(this);
    /** Pushed behaviours, top last; empty means the actor's own receive. */
    private final ArrayDeque<Behavior> behaviors = new ArrayDeque<>(0);
    private Behavior top;
    private boolean started;

    ActorCell(ActorSystem system, Props props) {
        this.system = system;
        this.factory = props.factory;
        this.actor = props.instance != null ? props.instance : newActor(props.factory);
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
     * come here, since akt has no use for a failure of it.
     */
    private int guarded(long ctx, Callback body) {
        Context c = context;
        c.enter(ctx);
        try {
            body.run(c);
            return 0;
        } catch (Throwable t) {
            return fail(c, t);
        } finally {
            c.exit();
        }
    }

    /** One message (akt's receive). The lambda capturing it costs an allocation at most:
     *  akt sends user messages through receiveBatch, so this path is the rare one. */
    int receive(long ctx, Object obj, long msg) {
        return guarded(ctx, c -> dispatch(c, obj != null ? obj : Messages.fromNative(system, msg)));
    }

    /**
     * A run of messages in one upcall (akt's receive_batch): each pull finishes the previous
     * message in akt and returns the next, until akt ends the run (budget spent, mailbox
     * empty, a stop or system message waiting). A failure is the current message's.
     */
    int receiveBatch(long ctx) {
        return guarded(ctx, c -> {
            for (Object obj; (obj = AktNativeJNI.aktj_ctx_next(ctx)) != null; ) {
                dispatch(c, obj != Upcalls.NATIVE_MESSAGE ? obj
                        : Messages.fromNative(system, AktNativeJNI.aktj_ctx_current_msg()));
            }
        });
    }

    private void dispatch(Context c, Object m) throws Exception {
        Behavior b = top;
        if (b != null) {
            b.receive(c, m);
        } else {
            actor.receive(c, m);
        }
    }

    int preStart(long ctx) {
        return guarded(ctx, c -> {
            behaviors.clear();
            top = null;
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
            // akt has nothing to do with a failure of postStop: the actor stops anyway.
            System.err.println("akt: postStop of " + actor.getClass().getName() + " failed: " + t);
        } finally {
            c.exit();
        }
    }

    private static int fail(Context c, Throwable t) {
        if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
            // Still a failure for the supervisor, but say it loudly: the JVM is in trouble.
            t.printStackTrace();
        }
        int rc = c.fail(t);
        return rc < 0 ? rc : AKT_EFAILED;
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
