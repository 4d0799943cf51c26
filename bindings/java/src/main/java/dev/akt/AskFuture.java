package dev.akt;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The future of an ask. It holds akt's future until it completes, so that {@link #cancel}
 * reaches akt: the ask then fails with a CancellationException and a late reply goes to
 * dead letters.
 *
 * <p>Where it completes: a future without dependent stages that a thread waits for in
 * {@link #get()}, {@link #join()} or {@link #get(long, TimeUnit)} is completed by that
 * thread itself, so the answer reaches it in one hand-off from the replying worker, or in
 * none when the waiting thread ran the target's turn itself (akt does that for a plain
 * thread whose target is still queued: akt_system_options.waiters_run_turns). Otherwise
 * (stages attached, nobody waiting, or the wait made on an akt thread) the system's
 * completion executor completes it, and the stages run there. Either way no stage of the
 * application runs on an akt worker.
 */
final class AskFuture extends CompletableFuture<Object> {
    /** Where the completion (and so every dependent stage that is not *Async) runs when no
     *  thread waits for it: the system's completion executor, never an akt worker unless the
     *  system asked for that. */
    final Executor completions;

    /** Whom the ask went to and what it asked: named by a failure ("ask of <path> with
     *  <message class>: ETIMEDOUT ..."), computed only then. Null for futures without them. */
    final Pid target;
    final Object asked; // the message's class, or a BytesMessage's type name

    /** The class the reply is cast to (a typed ask), or null. */
    final Class<?> type;

    AskFuture(Executor completions, Pid target, Object msg) {
        this(completions, target, msg, null);
    }

    AskFuture(Executor completions, Pid target, Object msg, Class<?> type) {
        this.completions = completions;
        this.target = target;
        this.asked = msg instanceof BytesMessage bm ? bm.type() : msg != null ? msg.getClass() : null;
        this.type = type;
    }

    /** The reply as this ask's caller gets it: cast to type (ClassCastException fails it). */
    Object typed(Object reply) {
        return type != null ? type.cast(reply) : reply;
    }

    /** The subject of this ask's failure messages. */
    String what() {
        if (target == null) {
            return "reply";
        }
        return "ask of " + target + (asked instanceof Class<?> c ? " with " + c.getName()
                : asked != null ? " with " + asked : "");
    }

    // ---- akt's future: borrowed by waits and cancels, released once all gave it back ----

    /** akt_future reference, set by native code before the completion is registered (the
     *  field's name is looked up by JNI_OnLoad). */
    private long handle; // guarded by this
    private int borrowers; // guarded by this: calls into akt with handle under way
    private boolean closed; // guarded by this: the completion is done with handle

    /** handle for one call into akt (give it back after), or 0 once the completion closed it. */
    synchronized long borrow() {
        if (closed || handle == 0) {
            return 0;
        }
        borrowers++;
        return handle;
    }

    void giveBack() {
        long h = 0;
        synchronized (this) {
            if (--borrowers == 0 && closed) {
                h = handle;
                handle = 0;
            }
        }
        if (h != 0) {
            AktNativeJNI.akt_future_release(h);
        }
    }

    /** Called once by the completion: akt's future is released now, or by the last borrower. */
    void close() {
        long h = 0;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (borrowers == 0) {
                h = handle;
                handle = 0;
            }
        }
        if (h != 0) {
            AktNativeJNI.akt_future_release(h);
        }
    }

    /** The thread inside cancel(): the completion it causes runs there, at once, so that
     *  isCancelled() holds when cancel returns. */
    volatile Thread cancelling;

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        long h = borrow();
        if (h != 0) {
            cancelling = Thread.currentThread();
            try {
                // Completes this future (through Upcalls.complete) on this thread, unless the
                // reply won the race: then it is a no-op (Errors.EMISUSE) and the reply stands.
                AktNativeJNI.akt_future_cancel(h);
            } finally {
                giveBack();
            }
        }
        return isCancelled();
    }

    // ---- the hand-off to a waiting thread -----------------------------------------------

    /** The completion handed to the waiting thread. */
    private record Handed(Runnable settle) {}

    /** Marks the hand-off as decided: the completion goes (or went) to the executor, or the
     *  waiter left. */
    private static final Object DECIDED = new Object();

    /** null, the Thread waiting in awaitHere, a Handed completion, or DECIDED. */
    @SuppressWarnings("unused") // through WAITER
    private volatile Object waiter;

    private static final VarHandle WAITER;

    static {
        try {
            WAITER = MethodHandles.lookup().findVarHandle(AskFuture.class, "waiter", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** How long one wait inside akt lasts before an interrupt or a deadline is looked at. */
    private static final long SLICE_NS = TimeUnit.MILLISECONDS.toNanos(1);

    /** How long a waiter parks while akt's future is complete but its completion has not
     *  been handed over yet (it is on its way: the completer runs it right after). */
    private static final long HANDOVER_PARK_NS = TimeUnit.MICROSECONDS.toNanos(50);

    /** Called by the completion (Upcalls.complete): true if a waiting thread took settle
     *  (it runs it), false if the caller must run it on the executor. A future with
     *  dependent stages goes to the executor: their stages run there, as the builder chose
     *  (a thread waiting in awaitHere is not one of them: it waits outside the stack). */
    boolean handToWaiter(Runnable settle) {
        for (;;) {
            Object w = WAITER.getVolatile(this);
            if (w instanceof Thread t && getNumberOfDependents() == 0) {
                if (WAITER.compareAndSet(this, w, new Handed(settle))) {
                    if (t != Thread.currentThread()) {
                        LockSupport.unpark(t);
                    }
                    return true;
                }
            } else if (w == null || w instanceof Thread) {
                if (WAITER.compareAndSet(this, w, DECIDED)) {
                    if (w instanceof Thread t) {
                        LockSupport.unpark(t); // it leaves, and waits as CompletableFuture does
                    }
                    return false;
                }
            } else {
                return false;
            }
        }
    }

    /** Leaves the hand-off; runs a completion handed meanwhile (it is this thread's now). */
    private void leave(Thread me) {
        if (!WAITER.compareAndSet(this, me, DECIDED)) {
            Object w = WAITER.getAndSet(this, DECIDED);
            if (w instanceof Handed h) {
                h.settle().run();
            }
        }
    }

    /**
     * Waits for this future as the thread that completes it, until it is complete, this
     * thread is interrupted (when interruptible), or deadline (System.nanoTime; any value
     * when !timed) has passed. Returns at once if another thread already waits this way or
     * the completion went to the executor: the caller then waits as CompletableFuture does.
     */
    void awaitHere(boolean interruptible, boolean timed, long deadline) {
        if (isDone()) {
            return;
        }
        Thread me = Thread.currentThread();
        if (!WAITER.compareAndSet(this, null, me)) {
            return;
        }
        awaitClaimed(me, interruptible, timed, deadline);
    }

    /** Makes this thread the waiter before the ask is sent (Pid.askSync): a completion that
     *  runs during the send, on this thread, is then handed to it and not to the executor.
     *  Follow with {@link #awaitClaimed}, which gives the claim up, or {@link #unclaim}. */
    Thread claimWaiter() {
        Thread me = Thread.currentThread();
        WAITER.setVolatile(this, me); // a new future: nobody else has seen it yet
        return me;
    }

    /** Gives up a claim that no ask followed (it was refused): nothing was handed. */
    void unclaim(Thread me) {
        leave(me);
    }

    /** awaitHere's wait, for the thread that is the waiter already (claimed). */
    void awaitClaimed(Thread me, boolean interruptible, boolean timed, long deadline) {
        try {
            for (;;) {
                Object w = WAITER.getVolatile(this);
                if (w instanceof Handed h) {
                    WAITER.setVolatile(this, DECIDED);
                    h.settle().run();
                    return;
                }
                if (w != me || isDone() || (interruptible && me.isInterrupted())) {
                    return; // DECIDED: the completion went to the executor
                }
                long slice = SLICE_NS;
                if (timed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return;
                    }
                    slice = Math.min(slice, left);
                }
                long h = borrow();
                int rc = Errors.EAGAIN;
                if (h != 0) {
                    try {
                        rc = AktNativeJNI.aktj_future_await(h, slice);
                    } finally {
                        giveBack();
                    }
                }
                if (rc == Errors.EMISUSE) {
                    return; // an akt thread: the executor keeps the stages off it
                }
                if ((rc != Errors.EAGAIN || h == 0) && WAITER.getVolatile(this) == me) {
                    // Complete in akt (or its completion under way on another thread): the
                    // hand-over follows and unparks this thread. (One made on this thread,
                    // by the turn it ran inside akt, is here already.)
                    LockSupport.parkNanos(this, HANDOVER_PARK_NS);
                }
            }
        } finally {
            leave(me);
        }
    }

    @Override
    public Object get() throws InterruptedException, ExecutionException {
        awaitHere(true, false, 0);
        return super.get();
    }

    @Override
    public Object get(long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        long ns = unit.toNanos(timeout);
        if (ns >= Long.MAX_VALUE / 2) {
            return get(); // no deadline a program could reach
        }
        long deadline = System.nanoTime() + ns;
        awaitHere(true, true, deadline);
        return super.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    @Override
    public Object join() {
        awaitHere(false, false, 0);
        return super.join();
    }
}
