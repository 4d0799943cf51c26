package dev.akt;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The future of an ask. It holds akt's future until it completes, so that {@link #cancel}
 * reaches akt: the ask then fails with a CancellationException and a late reply goes to
 * dead letters.
 */
final class AskFuture extends CompletableFuture<Object> {
    /** Where the completion (and so every dependent stage that is not *Async) runs: the
     *  system's completion executor, never an akt worker unless the system asked for that. */
    final Executor completions;

    /** Whom the ask went to and what it asked: named by a failure ("ask of <path> with
     *  <message class>: ETIMEDOUT ..."), computed only then. Null for futures without them. */
    final Pid target;
    final Object asked; // the message's class, or a BytesMessage's type name

    AskFuture(Executor completions, Pid target, Object msg) {
        this.completions = completions;
        this.target = target;
        this.asked = msg instanceof BytesMessage bm ? bm.type() : msg != null ? msg.getClass() : null;
    }

    /** The subject of this ask's failure messages. */
    String what() {
        if (target == null) {
            return "reply";
        }
        return "ask of " + target + (asked instanceof Class<?> c ? " with " + c.getName()
                : asked != null ? " with " + asked : "");
    }

    /** akt_future reference, set by native code before the completion is registered; taken
     *  (set to 0) exactly once, by the completion or by cancel, which then releases it. */
    private long handle;

    synchronized long takeHandle() {
        long h = handle;
        handle = 0;
        return h;
    }

    /** The thread inside cancel(): the completion it causes runs there, at once, so that
     *  isCancelled() holds when cancel returns. */
    volatile Thread cancelling;

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        long h = takeHandle();
        if (h != 0) {
            cancelling = Thread.currentThread();
            try {
                // Completes this future (through Upcalls.complete) on this thread, unless the
                // reply won the race: then it is a no-op (Errors.EMISUSE) and the reply stands.
                AktNativeJNI.akt_future_cancel(h);
            } finally {
                AktNativeJNI.akt_future_release(h);
            }
        }
        return isCancelled();
    }
}
